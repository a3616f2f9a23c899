import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLIENT_NAMESPACES, SIGN_IN_CLIENT_NAMESPACES, pickMessages } from "./client-messages";
import { messagesByLocale } from "./messages";

/**
 * The root layout gives client components no messages; ClientMessages
 * (lib/i18n/client-messages-provider.tsx) gives them CLIENT_NAMESPACES. A component that
 * starts reading another namespace would find its messages missing in the
 * browser only, so its namespace must be listed: this reads every
 * `useTranslations(...)` call in app/ and components/.
 */

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const calls = ["app", "components"].flatMap(sourceFiles).flatMap((file) =>
  [...readFileSync(file, "utf8").matchAll(/useTranslations\(([^)]*)\)/g)].map((match) => ({ file, argument: match[1].trim() })),
);

describe("the messages client components get", () => {
  it("finds the calls it checks", () => {
    expect(calls.length).toBeGreaterThan(5);
  });

  it("covers every namespace a component reads with useTranslations", () => {
    const listed: readonly string[] = CLIENT_NAMESPACES;
    const unlisted = calls.filter(({ argument }) => {
      const namespace = /^"([a-zA-Z]+)(?:\.[a-zA-Z.]+)?"$/.exec(argument)?.[1];
      // A call without a literal top-level namespace would need every message.
      return namespace === undefined || !listed.includes(namespace);
    });
    expect(unlisted).toEqual([]);
  });

  it("names only namespaces that exist, and leaves the server's own out", () => {
    const english = messagesByLocale.en;
    for (const namespace of [...CLIENT_NAMESPACES, ...SIGN_IN_CLIENT_NAMESPACES]) expect(english).toHaveProperty(namespace);
    const picked = pickMessages(english, CLIENT_NAMESPACES);
    expect(Object.keys(picked).sort()).toEqual([...CLIENT_NAMESPACES].sort());
    // Emails are rendered on the server; their text never needs to reach a browser.
    expect(picked).not.toHaveProperty("email");
  });

  it("gives the sign-in page's on-demand parts what they read", () => {
    // sign-in-feedback.tsx and the code step (check-email.tsx, lockout-help.tsx, error-text.tsx, passkey-errors.ts,
    // and an escalated sign-in's second factor, second-factor-fields.tsx).
    const files = [
      "components/auth/check-email.tsx",
      "components/auth/second-factor-fields.tsx",
      "components/auth/lockout-help.tsx",
      "components/auth/error-text.tsx",
      "components/auth/passkey-errors.ts",
    ];
    const read = calls.filter(({ file }) => files.includes(file)).map(({ argument }) => argument.replaceAll('"', ""));
    expect(new Set(read)).toEqual(new Set(SIGN_IN_CLIENT_NAMESPACES));
  });
});
