import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { CommandContext } from "../core/command-types";
import { MAGIC_LINK_TTL_MINUTES } from "../core/email-challenge-lifetime";
import { RECENT_AUTH_SECONDS } from "../core/recent-auth";
import { findActiveSession } from "../core/sessions";
import { MAX_CODE_FAILURES } from "./magic-link";
import { digestsEqual } from "../core/secrets";
import type * as Secrets from "../core/secrets";
import { PROVIDERS, createHarness, runCommand, signInByEmail, wrongCode, type Harness } from "../testing/harness";

// Every code comparison goes through digestsEqual: wrapped, so a test can
// count how many guesses were actually compared.
vi.mock("../core/secrets", async (importOriginal) => {
  const actual = await importOriginal<typeof Secrets>();
  return { ...actual, digestsEqual: vi.fn(actual.digestsEqual) };
});
const comparisons = vi.mocked(digestsEqual);

describe.each(PROVIDERS)("re-confirmation by emailed code on %s", (provider) => {
  let h: Harness;
  let people = 0;
  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  const run = (command: string, params: unknown, ctx: Partial<CommandContext> = {}) => runCommand(h, command, params, ctx);

  async function signedIn(): Promise<{ token: string; email: string }> {
    const email = `reauth-${++people}@example.com`;
    return { token: await signInByEmail(h, email), email };
  }

  async function reauthCode(token: string, email: string) {
    const requested = await run("AUTH.REAUTH.REQUEST", {}, { sessionToken: token });
    const message = await h.db.outboxMessage.findFirstOrThrow({ where: { to: email, template: "reauth-code" }, orderBy: { createdAt: "desc" } });
    const code = message.text.match(/^\s*([0-9]{6})\s*$/m)?.[1] ?? "";
    return { challengeId: requested.data.challengeId as string, code, message };
  }

  it("keeps the code unused and the old token working when the re-confirmation's event cannot be written", async () => {
    const { token, email } = await signedIn();
    const { challengeId, code } = await reauthCode(token, email);
    // The suite's own database: renamed back below, dropped after the test.
    await h.db.$executeRawUnsafe(`ALTER TABLE "AuthEvent" RENAME TO "AuthEventGone"`);
    expect(await run("AUTH.REAUTH.VERIFY", { challengeId, code }, { sessionToken: token })).toMatchObject({
      code: "SERVICE_UNAVAILABLE",
    });
    await h.db.$executeRawUnsafe(`ALTER TABLE "AuthEventGone" RENAME TO "AuthEvent"`);
    expect(await h.db.magicLinkChallenge.findUniqueOrThrow({ where: { id: challengeId } })).toMatchObject({ status: "pending" });
    expect((await run("AUTH.SESSION.GET", {}, { sessionToken: token })).ok).toBe(true);
    // Once the log is back, the same code works, and its event is written with it, once.
    const verified = await run("AUTH.REAUTH.VERIFY", { challengeId, code }, { sessionToken: token });
    expect(verified.ok).toBe(true);
    expect(await h.db.authEvent.count({ where: { command: "AUTH.REAUTH.VERIFY", outcome: "ok" } })).toBe(1);
  });

  it("emails a code (no link) that refreshes an old session and rotates its token", async () => {
    const { token, email } = await signedIn();
    h.clock.advanceSeconds(RECENT_AUTH_SECONDS + 1);
    expect(await run("AUTH.PASSKEY.REGISTER.BEGIN", {}, { sessionToken: token })).toMatchObject({ code: "ACTION_DENIED" });

    const { challengeId, code, message } = await reauthCode(token, email);
    expect(message.text).not.toMatch(/magic-link\?token=/);
    expect(message.text).toContain(`It works once, for ${MAGIC_LINK_TTL_MINUTES} minutes.`);
    const verified = await run("AUTH.REAUTH.VERIFY", { challengeId, code }, { sessionToken: token });
    expect(verified.ok).toBe(true);
    const rotated = verified.data.sessionToken as string;
    expect(rotated).not.toBe(token);
    expect(await run("AUTH.SESSION.GET", {}, { sessionToken: token })).toMatchObject({ code: "UNAUTHENTICATED" });

    const session = await run("AUTH.SESSION.GET", {}, { sessionToken: rotated });
    expect(session.data).toMatchObject({ session: { aal: 1 } });
    expect(await run("AUTH.PASSKEY.REGISTER.BEGIN", {}, { sessionToken: rotated })).toMatchObject({ ok: true });
  });

  it("never lets a re-confirmation code sign anyone in, nor another person's code confirm", async () => {
    const alice = await signedIn();
    const bob = await signedIn();
    const { challengeId, code } = await reauthCode(alice.token, alice.email);
    expect(await run("AUTH.EMAIL_CODE.VERIFY", { challengeId, code })).toMatchObject({ code: "TOKEN_INVALID" });
    expect(await run("AUTH.REAUTH.VERIFY", { challengeId, code }, { sessionToken: bob.token })).toMatchObject({ code: "TOKEN_INVALID" });
    expect(await run("AUTH.REAUTH.VERIFY", { challengeId, code }, { sessionToken: alice.token })).toMatchObject({ ok: true });
    expect(await run("AUTH.REAUTH.VERIFY", { challengeId, code }, { sessionToken: alice.token })).toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("locks after five wrong codes, counted across resends", async () => {
    const { token, email } = await signedIn();
    const first = await reauthCode(token, email);
    for (let i = 1; i <= 3; i++) await run("AUTH.REAUTH.VERIFY", { challengeId: first.challengeId, code: wrongCode(first.code, i) }, { sessionToken: token });
    const second = await reauthCode(token, email);
    expect(await run("AUTH.REAUTH.VERIFY", { challengeId: second.challengeId, code: wrongCode(second.code) }, { sessionToken: token })).toMatchObject({
      code: "CODE_INVALID",
    });
    expect(
      await run("AUTH.REAUTH.VERIFY", { challengeId: second.challengeId, code: wrongCode(second.code, 2) }, { sessionToken: token }),
    ).toMatchObject({ code: "CODE_LOCKED" });
    expect(await run("AUTH.REAUTH.VERIFY", { challengeId: second.challengeId, code: second.code }, { sessionToken: token })).toMatchObject({
      code: "CODE_LOCKED",
    });
  });

  it("compares at most five of fifty parallel codes, and the right one in the middle confirms nothing", async () => {
    const { token, email } = await signedIn();
    const { challengeId, code } = await reauthCode(token, email);
    const guesses = Array.from({ length: 50 }, (_, i) => (i === 25 ? code : wrongCode(code, i + 1)));
    comparisons.mockClear();
    const results = await Promise.all(guesses.map((guess) => run("AUTH.REAUTH.VERIFY", { challengeId, code: guess }, { sessionToken: token })));
    expect(comparisons.mock.calls.length).toBeLessThanOrEqual(MAX_CODE_FAILURES);
    expect(results.filter((result) => result.ok)).toHaveLength(0);
    // The session was neither rotated nor marked as re-confirmed.
    expect(await findActiveSession(h.deps.store.sessions, h.clock, token)).toMatchObject({ methods: [{ method: "magic_link" }] });
    expect(await h.db.magicLinkChallenge.findUniqueOrThrow({ where: { id: challengeId } })).toMatchObject({
      status: "pending",
      failedCodeAttempts: MAX_CODE_FAILURES,
    });
    expect(await run("AUTH.REAUTH.VERIFY", { challengeId, code }, { sessionToken: token })).toMatchObject({ code: "CODE_LOCKED" });
  });
});
