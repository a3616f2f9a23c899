import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CommandContext, CookieEffect } from "../core/command-types";
import { auditDetails, PROVIDERS, createHarness, latestEmail, requestContext, runCommand, wrongCode, type Harness } from "../testing/harness";

/**
 * The sign-in commands as a browser and an API client call them: which
 * links a new request replaces, and the audit event a sign-in writes in its
 * own transaction.
 */
describe.each(PROVIDERS)("sign-in commands on %s", (provider) => {
  let h: Harness;
  let people = 0;
  const freshEmail = () => `commands-${++people}-${Date.now()}@example.com`;

  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  /** A browser's call: its cookies, from a network of its own. */
  function browser(bindingCookie: string | null, network = "192.0.2"): Partial<CommandContext> {
    return { channel: "browser", bindingCookie, request: requestContext({ ip: `${network}.7`, ipPrefix: `${network}.0/24` }) };
  }
  const bindingSet = (effects: CookieEffect[]) =>
    effects.find((effect): effect is Extract<CookieEffect, { kind: "set-binding" }> => effect.kind === "set-binding")?.value ?? null;

  it("voids the link a browser asked for earlier when it asks again, never another browser's", async () => {
    const email = freshEmail();
    const first = await runCommand(h, "AUTH.MAGIC_LINK.REQUEST", { email }, browser(null));
    const firstMail = await latestEmail(h.db, email);
    const cookie = bindingSet(first.effects);
    expect(cookie).not.toBeNull();

    // Someone else, elsewhere, asks for the same address: the first link stays.
    await runCommand(h, "AUTH.MAGIC_LINK.REQUEST", { email }, browser(null, "203.0.113"));
    expect(await h.db.magicLinkChallenge.findUniqueOrThrow({ where: { id: first.data.challengeId as string } })).toMatchObject({
      status: "pending",
    });

    // The same browser asks again: its first link is replaced, and its cookie still fits the new one.
    const second = await runCommand(h, "AUTH.MAGIC_LINK.REQUEST", { email }, browser(cookie));
    const secondMail = await latestEmail(h.db, email);
    expect(bindingSet(second.effects)).toBe(cookie);
    expect(await runCommand(h, "AUTH.MAGIC_LINK.REDEEM", { token: firstMail.token }, browser(cookie))).toMatchObject({
      code: "TOKEN_VOIDED",
    });
    expect(await runCommand(h, "AUTH.MAGIC_LINK.REDEEM", { token: secondMail.token }, browser(cookie))).toMatchObject({ ok: true });
  });

  it("lets an API client replace its own earlier link by presenting its binding", async () => {
    const email = freshEmail();
    const first = await runCommand(h, "AUTH.MAGIC_LINK.REQUEST", { email });
    const firstMail = await latestEmail(h.db, email);
    const binding = first.data.binding as string;
    const second = await runCommand(h, "AUTH.MAGIC_LINK.REQUEST", { email, binding });
    expect(second.data.binding).toBe(binding);
    expect(await runCommand(h, "AUTH.MAGIC_LINK.REDEEM", { token: firstMail.token, binding })).toMatchObject({ code: "TOKEN_VOIDED" });
  });

  it("writes each sign-in's event with its session, naming the account, the session and the challenge", async () => {
    const email = freshEmail();
    const requested = await runCommand(h, "AUTH.MAGIC_LINK.REQUEST", { email });
    const mail = await latestEmail(h.db, email);
    const redeemed = await runCommand(h, "AUTH.MAGIC_LINK.REDEEM", { token: mail.token, binding: requested.data.binding });
    expect(redeemed.ok).toBe(true);

    h.clock.advanceSeconds(1);
    const byCode = await runCommand(h, "AUTH.MAGIC_LINK.REQUEST", { email });
    const codeMail = await latestEmail(h.db, email);
    const verified = await runCommand(h, "AUTH.EMAIL_CODE.VERIFY", { challengeId: byCode.data.challengeId, code: codeMail.code });
    expect(verified.ok).toBe(true);

    const user = await h.db.user.findUniqueOrThrow({ where: { email } });
    const sessions = await h.db.session.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
    const events = await h.db.authEvent.findMany({
      where: { command: { in: ["AUTH.MAGIC_LINK.REDEEM", "AUTH.EMAIL_CODE.VERIFY"] } },
      orderBy: { at: "asc" },
    });
    expect(events).toHaveLength(2);
    expect(events.map((event) => [event.command, event.outcome, event.userId])).toEqual([
      ["AUTH.MAGIC_LINK.REDEEM", "ok", user.id],
      ["AUTH.EMAIL_CODE.VERIFY", "ok", user.id],
    ]);
    expect(new Set(events.map((event) => event.sessionId))).toEqual(new Set(sessions.map((session) => session.id)));
    expect(auditDetails(events[0])).toMatchObject({ method: "magic_link", isNewUser: true, challengeId: requested.data.challengeId });
    expect(auditDetails(events[1])).toMatchObject({ method: "email_code", isNewUser: false, challengeId: byCode.data.challengeId });
    expect(events.map((event) => event.details).join()).not.toContain(email);
  });

  it("grants no sign-in whose audit event cannot be written, and leaves the link as it was", async () => {
    const email = freshEmail();
    const requested = await runCommand(h, "AUTH.MAGIC_LINK.REQUEST", { email });
    const mail = await latestEmail(h.db, email);
    const binding = requested.data.binding as string;
    const challengeId = requested.data.challengeId as string;

    // The audit table goes away, as a full or failing audit store would.
    await h.db.$executeRawUnsafe(`ALTER TABLE "AuthEvent" RENAME TO "AuthEventAway"`);
    const byLink = await runCommand(h, "AUTH.MAGIC_LINK.REDEEM", { token: mail.token, binding });
    const byCode = await runCommand(h, "AUTH.EMAIL_CODE.VERIFY", { challengeId, code: mail.code });
    await h.db.$executeRawUnsafe(`ALTER TABLE "AuthEventAway" RENAME TO "AuthEvent"`);

    for (const refused of [byLink, byCode]) {
      expect(refused.ok).toBe(false);
      expect(refused.status).toBe(503);
      expect(refused.effects).toEqual([]);
    }
    expect(await h.db.session.count()).toBe(0);
    expect(await h.db.user.count({ where: { email } })).toBe(0);
    const challenge = await h.db.magicLinkChallenge.findUniqueOrThrow({ where: { id: challengeId } });
    // Still pending; the code's attempt, reserved before the comparison, stays counted (the stricter side).
    expect(challenge).toMatchObject({ status: "pending", redeemedAt: null, failedCodeAttempts: 1 });

    // With the audit store back, the same link works.
    expect(await runCommand(h, "AUTH.MAGIC_LINK.REDEEM", { token: mail.token, binding })).toMatchObject({ ok: true });
  });
  it("names the challenge, never the address, in a refused attempt's event", async () => {
    const email = freshEmail();
    const requested = await runCommand(h, "AUTH.MAGIC_LINK.REQUEST", { email });
    const mail = await latestEmail(h.db, email);
    const challengeId = requested.data.challengeId as string;
    expect(await runCommand(h, "AUTH.EMAIL_CODE.VERIFY", { challengeId, code: wrongCode(mail.code) })).toMatchObject({
      code: "CODE_INVALID",
    });
    h.clock.advanceSeconds(1); // the events are read back in order of time
    expect(await runCommand(h, "AUTH.MAGIC_LINK.REDEEM", { token: mail.token })).toMatchObject({ code: "BINDING_REQUIRED" });
    await h.deps.audit.flush();
    const refusals = await h.db.authEvent.findMany({ where: { outcome: "refused" }, orderBy: { at: "asc" } });
    expect(refusals.map((event) => [event.command, event.errorCode])).toEqual([
      ["AUTH.EMAIL_CODE.VERIFY", "CODE_INVALID"],
      ["AUTH.MAGIC_LINK.REDEEM", "BINDING_REQUIRED"],
    ]);
    for (const event of refusals) {
      expect(auditDetails(event)).toMatchObject({ challengeId });
      expect(event.details).not.toContain(email);
    }
  });
});
