import { describe, expect, it } from "vitest";
import type { MethodUse } from "./method-uses";
import { RECENT_AUTH_SECONDS, factorChangeRefusal } from "./recent-auth";

const NOW = new Date("2026-12-05T12:00:00.000Z");
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();
const use = (method: MethodUse["method"], secondsAgo: number): MethodUse => ({ method, at: ago(secondsAgo) });

/** The factor-change rule of issue 17 item 5, as a table: the proofs on a session, and what the account has. */
describe("what a factor change needs", () => {
  it.each([
    ["a recent email sign-in, no passkey yet (the upgrade path)", [use("magic_link", 60)], false, null],
    ["a recent email code, no passkey yet", [use("magic_link", 3600), use("email_code", 60)], false, null],
    ["an old email sign-in, no passkey yet", [use("magic_link", RECENT_AUTH_SECONDS + 1)], false, "REAUTH_REQUIRED"],
    ["a recent email sign-in, with a passkey", [use("magic_link", 60)], true, "PASSKEY_REAUTH_REQUIRED"],
    ["a recent email code on a passkey session, with a passkey", [use("passkey", 3600), use("email_code", 1)], true, "PASSKEY_REAUTH_REQUIRED"],
    ["a recent passkey sign-in, with a passkey", [use("passkey", 60)], true, null],
    ["a recent passkey re-confirmation of an email session", [use("magic_link", 3600), use("passkey", 60)], true, null],
    ["a passkey proof exactly at the window's edge", [use("passkey", RECENT_AUTH_SECONDS)], true, null],
    ["a passkey proof just past the window", [use("passkey", RECENT_AUTH_SECONDS + 1)], true, "PASSKEY_REAUTH_REQUIRED"],
    ["no proof at all", [], false, "REAUTH_REQUIRED"],
  ] as const)("%s", (_case, methods, hasPasskey, expected) => {
    expect(factorChangeRefusal({ methods: [...methods] }, NOW, { hasPasskey })).toBe(expected);
  });
});
