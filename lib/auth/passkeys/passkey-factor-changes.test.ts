import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Locale } from "../../i18n/locales";
import type { AuditRow } from "../store/types";
import type { CommandContext } from "../core/command-types";
import { finishPasskeyLogin } from "./passkey-login";
import { deletePasskey } from "./passkey-management";
import { RECENT_AUTH_SECONDS } from "../core/recent-auth";
import { findActiveSession } from "../core/sessions";
import {
  PROVIDERS,
  TEST_BASE_URL,
  commandContext,
  createHarness,
  latestEmail,
  runCommand,
  type Harness,
} from "../testing/harness";
import { SoftwareAuthenticator, type Overrides } from "../testing/software-authenticator";

/**
 * Issue 17 item 5: a factor change needs the strongest proof the account
 * has, tells the account by email, offers to sign out every other session,
 * and a removed passkey takes the sessions it created with it. Item 8: the
 * success events of these ceremonies commit with their change.
 */
describe.each(PROVIDERS)("passkey factor changes on %s", (provider) => {
  let h: Harness;
  let people = 0;
  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  const run = (command: string, params: unknown, ctx: Partial<CommandContext> = {}) => runCommand(h, command, params, ctx);
  const device = () => new SoftwareAuthenticator({ origin: TEST_BASE_URL, rpId: "localhost" });

  /** A new person signed in by email link, in `locale`: their session token and address. */
  async function emailSignIn(locale: Locale = "en", email = `factor-person-${++people}@example.com`) {
    const requested = await run("AUTH.MAGIC_LINK.REQUEST", { email }, { locale });
    const mail = await latestEmail(h.db, email);
    const redeemed = await run("AUTH.MAGIC_LINK.REDEEM", { token: mail.token, binding: requested.data.binding }, { locale });
    return { token: redeemed.data.sessionToken as string, email };
  }

  async function register(sessionToken: string, authenticator: SoftwareAuthenticator) {
    const begun = await run("AUTH.PASSKEY.REGISTER.BEGIN", {}, { sessionToken });
    if (!begun.ok) return begun;
    const response = authenticator.register(begun.data.options as never);
    return run("AUTH.PASSKEY.REGISTER.FINISH", { challengeId: begun.data.challengeId, response }, { sessionToken });
  }

  async function passkeySignIn(authenticator: SoftwareAuthenticator, overrides: Overrides = {}) {
    const begun = await run("AUTH.PASSKEY.LOGIN.BEGIN", {});
    const response = authenticator.assert(begun.data.options as never, overrides);
    return run("AUTH.PASSKEY.LOGIN.FINISH", { challengeId: begun.data.challengeId, response });
  }

  /** Re-confirms the session with a passkey; answers the command's result (a new token in data). */
  async function passkeyReauth(sessionToken: string, authenticator: SoftwareAuthenticator, overrides: Overrides = {}) {
    const begun = await run("AUTH.PASSKEY.REAUTH.BEGIN", {}, { sessionToken });
    if (!begun.ok) return begun;
    const response = authenticator.assert(begun.data.options as never, overrides);
    return run("AUTH.PASSKEY.REAUTH.FINISH", { challengeId: begun.data.challengeId, response }, { sessionToken });
  }

  async function passkeyIds(sessionToken: string): Promise<string[]> {
    const listed = await run("AUTH.PASSKEY.LIST", {}, { sessionToken });
    return (listed.data.passkeys as { id: string }[]).map((passkey) => passkey.id);
  }

  /** A person with one passkey, and a fresh email-only session of theirs. */
  async function personWithPasskey() {
    const { token, email } = await emailSignIn();
    const phone = device();
    expect(await register(token, phone)).toMatchObject({ ok: true });
    const emailOnly = (await emailSignIn("en", email)).token;
    return { email, phone, firstToken: token, emailOnly };
  }

  it("lets an email sign-in add the first passkey, and emails the account about it in its language", async () => {
    const { token, email } = await emailSignIn("es");
    const added = await register(token, device());
    expect(added).toMatchObject({ ok: true, data: { passkey: { id: expect.any(String) }, otherSessions: 0 } });
    const notice = await h.db.outboxMessage.findFirstOrThrow({ where: { template: "passkey-added" } });
    expect(notice).toMatchObject({ to: email, locale: "es", subject: "Se añadió una llave de acceso a tu cuenta" });
    expect(notice.text).toContain("/es/settings/security");
  });

  it("refuses a recent email-only session of an account with a passkey: it can neither add nor remove one", async () => {
    const { emailOnly } = await personWithPasskey();
    expect(await register(emailOnly, device())).toMatchObject({ status: 403, code: "PASSKEY_REAUTH_REQUIRED" });
    const [id] = await passkeyIds(emailOnly);
    expect(await run("AUTH.PASSKEY.DELETE", { id }, { sessionToken: emailOnly })).toMatchObject({
      status: 403,
      code: "PASSKEY_REAUTH_REQUIRED",
    });
    expect(await h.db.passkey.count()).toBe(1);
    // Nothing was emailed: nothing changed.
    expect(await h.db.outboxMessage.count({ where: { template: { in: ["passkey-added", "passkey-removed"] } } })).toBe(1);
  });

  it("refuses an email code re-confirmation as proof once the account has a passkey", async () => {
    const { email, emailOnly } = await personWithPasskey();
    const requested = await run("AUTH.REAUTH.REQUEST", {}, { sessionToken: emailOnly });
    // The re-confirmation email carries a code and no link.
    const message = await h.db.outboxMessage.findFirstOrThrow({ where: { to: email, template: "reauth-code" } });
    const code = message.text.match(/^\s*([0-9]{6})\s*$/m)?.[1];
    const verified = await run("AUTH.REAUTH.VERIFY", { challengeId: requested.data.challengeId, code }, { sessionToken: emailOnly });
    expect(verified).toMatchObject({ ok: true });
    const rotated = verified.data.sessionToken as string;
    expect(await register(rotated, device())).toMatchObject({ code: "PASSKEY_REAUTH_REQUIRED" });
  });

  it("refuses to finish a first passkey when another was added after the ceremony began", async () => {
    const { token, email } = await emailSignIn();
    const begun = await run("AUTH.PASSKEY.REGISTER.BEGIN", {}, { sessionToken: token });
    expect(begun.ok).toBe(true);
    // Meanwhile the account gets its first passkey from another session.
    const other = (await emailSignIn("en", email)).token;
    expect(await register(other, device())).toMatchObject({ ok: true });
    const response = device().register(begun.data.options as never);
    expect(
      await run("AUTH.PASSKEY.REGISTER.FINISH", { challengeId: begun.data.challengeId, response }, { sessionToken: token }),
    ).toMatchObject({ code: "PASSKEY_REAUTH_REQUIRED" });
    expect(await h.db.passkey.count()).toBe(1);
  });

  it("after a passkey re-confirmation the same session adds and removes passkeys, each emailed to the account", async () => {
    const { email, phone, emailOnly } = await personWithPasskey();
    const confirmed = await passkeyReauth(emailOnly, phone);
    expect(confirmed).toMatchObject({ ok: true, data: { reauthenticatedAt: expect.any(String) } });
    const token = confirmed.data.sessionToken as string;
    // A new token (ASVS 7.2.4): the one from before the proof is worthless.
    expect(await findActiveSession(h.deps.store.sessions, h.clock, emailOnly)).toBeNull();
    const session = await run("AUTH.SESSION.GET", {}, { sessionToken: token });
    // The level stays the email sign-in's: the session keeps its origin.
    expect(session.data).toMatchObject({ session: { aal: 1, methods: [{ method: "magic_link" }, { method: "passkey" }] } });

    expect(await register(token, device())).toMatchObject({ ok: true });
    const [first] = await passkeyIds(token);
    expect(await run("AUTH.PASSKEY.DELETE", { id: first }, { sessionToken: token })).toMatchObject({
      ok: true,
      data: { deleted: true, remainingPasskeys: 1, otherSessions: 1 },
    });
    const notices = await h.db.outboxMessage.findMany({ where: { to: email, template: { in: ["passkey-added", "passkey-removed"] } } });
    expect(notices.map((notice) => notice.template).sort()).toEqual(["passkey-added", "passkey-added", "passkey-removed"]);

    // The proof ages like any other.
    h.clock.advanceSeconds(RECENT_AUTH_SECONDS + 1);
    expect(await register(token, device())).toMatchObject({ code: "PASSKEY_REAUTH_REQUIRED" });
  });

  it("re-confirms only with a passkey of this session's account, through a re-confirmation challenge, once", async () => {
    const alice = await personWithPasskey();
    const bob = await personWithPasskey();
    // Bob's valid passkey proves nothing about Alice's session.
    expect(await passkeyReauth(alice.emailOnly, bob.phone)).toMatchObject({ status: 400, code: "PASSKEY_INVALID" });

    // A sign-in challenge cannot be spent as a re-confirmation, nor the reverse.
    const login = await run("AUTH.PASSKEY.LOGIN.BEGIN", {});
    const asserted = alice.phone.assert(login.data.options as never);
    expect(
      await run("AUTH.PASSKEY.REAUTH.FINISH", { challengeId: login.data.challengeId, response: asserted }, { sessionToken: alice.emailOnly }),
    ).toMatchObject({ code: "CHALLENGE_INVALID" });
    const reauth = await run("AUTH.PASSKEY.REAUTH.BEGIN", {}, { sessionToken: alice.emailOnly });
    const forReauth = alice.phone.assert(reauth.data.options as never);
    expect(await run("AUTH.PASSKEY.LOGIN.FINISH", { challengeId: reauth.data.challengeId, response: forReauth })).toMatchObject({
      code: "CHALLENGE_INVALID",
    });
    // Alice's re-confirmation challenge is not Bob's to finish.
    expect(
      await run("AUTH.PASSKEY.REAUTH.FINISH", { challengeId: reauth.data.challengeId, response: forReauth }, { sessionToken: bob.emailOnly }),
    ).toMatchObject({ code: "CHALLENGE_INVALID" });

    const fresh = await run("AUTH.PASSKEY.REAUTH.BEGIN", {}, { sessionToken: alice.emailOnly });
    const response = alice.phone.assert(fresh.data.options as never);
    const params = { challengeId: fresh.data.challengeId, response };
    const first = await run("AUTH.PASSKEY.REAUTH.FINISH", params, { sessionToken: alice.emailOnly });
    expect(first).toMatchObject({ ok: true });
    expect(await run("AUTH.PASSKEY.REAUTH.FINISH", params, { sessionToken: first.data.sessionToken as string })).toMatchObject({
      code: "CHALLENGE_USED",
    });
    // The re-confirmation names only this account's passkeys to the browser.
    expect((fresh.data.options as { allowCredentials: { id: string }[] }).allowCredentials).toEqual([
      expect.objectContaining({ id: alice.phone.id }),
    ]);
  });

  it("gives one re-confirmation to a response posted in parallel, and removes a passkey once under parallel deletes", async () => {
    const { phone, emailOnly } = await personWithPasskey();
    const begun = await run("AUTH.PASSKEY.REAUTH.BEGIN", {}, { sessionToken: emailOnly });
    const params = { challengeId: begun.data.challengeId, response: phone.assert(begun.data.options as never) };
    const confirmations = await Promise.all([1, 2, 3].map(() => run("AUTH.PASSKEY.REAUTH.FINISH", params, { sessionToken: emailOnly })));
    const confirmed = confirmations.filter((result) => result.ok);
    expect(confirmed).toHaveLength(1);
    const token = confirmed[0].data.sessionToken as string;

    const [id] = await passkeyIds(token);
    const deletes = await Promise.all([1, 2, 3].map(() => run("AUTH.PASSKEY.DELETE", { id }, { sessionToken: token })));
    expect(deletes.filter((result) => result.ok)).toHaveLength(1);
    expect(deletes.filter((result) => !result.ok).map((result) => result.code)).toEqual(["NOT_FOUND", "NOT_FOUND"]);
    expect(await h.db.outboxMessage.count({ where: { template: "passkey-removed" } })).toBe(1);
    await h.deps.audit.flush();
    expect(await h.db.authEvent.count({ where: { command: "AUTH.PASSKEY.DELETE", outcome: "ok" } })).toBe(1);
  });

  it("has no passkey re-confirmation for an account without a passkey: the emailed code is its proof", async () => {
    const { token } = await emailSignIn();
    expect(await run("AUTH.PASSKEY.REAUTH.BEGIN", {}, { sessionToken: token })).toMatchObject({ code: "REAUTH_REQUIRED" });
  });

  it("refuses a sign-in or re-confirmation response without a user handle", async () => {
    const { phone, emailOnly } = await personWithPasskey();
    const before = await h.db.session.count();
    expect(await passkeySignIn(phone, { omitUserHandle: true })).toMatchObject({ status: 400, code: "PASSKEY_INVALID" });
    expect(await h.db.session.count()).toBe(before);
    expect(await passkeyReauth(emailOnly, phone, { omitUserHandle: true })).toMatchObject({ code: "PASSKEY_INVALID" });
    expect(await register(emailOnly, device())).toMatchObject({ code: "PASSKEY_REAUTH_REQUIRED" });
  });

  it("ends the sessions a removed passkey created, and no others", async () => {
    const { email, phone, firstToken, emailOnly } = await personWithPasskey();
    const laptop = device();
    const confirmed = await passkeyReauth(firstToken, phone);
    const manager = confirmed.data.sessionToken as string;
    expect(await register(manager, laptop)).toMatchObject({ ok: true });

    const byPhone = [(await passkeySignIn(phone)).data.sessionToken as string, (await passkeySignIn(phone)).data.sessionToken as string];
    const byLaptop = (await passkeySignIn(laptop)).data.sessionToken as string;
    // An email session re-confirmed with the phone keeps its origin: it was not created by the phone.
    const reconfirmed = (await passkeyReauth(emailOnly, phone)).data.sessionToken as string;
    // The removal happens from a session the phone itself created: that one stays, its person is present.
    const current = byPhone[0];
    const phoneId = (await h.db.passkey.findFirstOrThrow({ where: { credentialId: phone.id } })).id;

    const deleted = await run("AUTH.PASSKEY.DELETE", { id: phoneId }, { sessionToken: current });
    expect(deleted).toMatchObject({ ok: true, data: { endedSessions: 1, remainingPasskeys: 1 } });
    expect(await findActiveSession(h.deps.store.sessions, h.clock, byPhone[1])).toBeNull();
    for (const kept of [current, byLaptop, reconfirmed, manager]) {
      expect(await findActiveSession(h.deps.store.sessions, h.clock, kept)).not.toBeNull();
    }
    expect((await h.db.session.findMany({ where: { passkeyId: phoneId } })).length).toBe(0);
    const notice = await h.db.outboxMessage.findFirstOrThrow({ where: { template: "passkey-removed" } });
    expect(notice).toMatchObject({ to: email, locale: "en", subject: "A passkey was removed from your account" });
    expect(deleted.data.otherSessions).toBe(3);
  });

  it("signs out every other session of the person, keeping the current one and other people's", async () => {
    const { email, phone, firstToken, emailOnly } = await personWithPasskey();
    const byPhone = (await passkeySignIn(phone)).data.sessionToken as string;
    const stranger = (await emailSignIn()).token;
    const revoked = await run("AUTH.SESSION.REVOKE_OTHERS", {}, { sessionToken: emailOnly });
    expect(revoked).toMatchObject({ ok: true, data: { revoked: 2 } });
    expect(await findActiveSession(h.deps.store.sessions, h.clock, emailOnly)).not.toBeNull();
    expect(await findActiveSession(h.deps.store.sessions, h.clock, firstToken)).toBeNull();
    expect(await findActiveSession(h.deps.store.sessions, h.clock, byPhone)).toBeNull();
    expect(await findActiveSession(h.deps.store.sessions, h.clock, stranger)).not.toBeNull();
    const user = await h.db.user.findUniqueOrThrow({ where: { email } });
    expect(await h.db.session.count({ where: { userId: user.id } })).toBe(1);
  });

  it("writes each ceremony's success event once, with its change", async () => {
    const { phone, emailOnly } = await personWithPasskey();
    const signedIn = await passkeySignIn(phone);
    const sessionId = (await findActiveSession(h.deps.store.sessions, h.clock, signedIn.data.sessionToken as string))?.id;
    const confirmed = await passkeyReauth(emailOnly, phone);
    const token = confirmed.data.sessionToken as string;
    const [id] = await passkeyIds(token);
    await run("AUTH.PASSKEY.DELETE", { id }, { sessionToken: token });
    await h.deps.audit.flush();
    for (const command of ["AUTH.PASSKEY.REGISTER.FINISH", "AUTH.PASSKEY.LOGIN.FINISH", "AUTH.PASSKEY.REAUTH.FINISH", "AUTH.PASSKEY.DELETE"]) {
      expect(await h.db.authEvent.count({ where: { command, outcome: "ok" } }), command).toBe(1);
    }
    expect(sessionId).toEqual(expect.any(String));
    expect(await h.db.authEvent.findFirst({ where: { command: "AUTH.PASSKEY.LOGIN.FINISH" } })).toMatchObject({ sessionId });
  });

  it("creates no session and removes no passkey when the success event cannot be written", async () => {
    const { phone, firstToken } = await personWithPasskey();
    const taken = await h.db.authEvent.findFirstOrThrow();
    // An event whose id is already used: its insert fails inside the ceremony's transaction.
    const failingRow = (): AuditRow => ({ ...taken, details: taken.details, id: taken.id });

    const begun = await run("AUTH.PASSKEY.LOGIN.BEGIN", {});
    const response = phone.assert(begun.data.options as never);
    const sessions = await h.db.session.count();
    await expect(
      finishPasskeyLogin(h.deps, {
        challengeId: begun.data.challengeId as string,
        binding: null,
        response,
        context: commandContext().request,
        auditRow: failingRow,
      }),
    ).rejects.toThrow();
    expect(await h.db.session.count()).toBe(sessions);

    const confirmed = (await passkeyReauth(firstToken, phone)).data.sessionToken as string;
    const session = await findActiveSession(h.deps.store.sessions, h.clock, confirmed);
    if (!session) throw new Error("no session");
    const [passkey] = await h.db.passkey.findMany();
    await expect(
      deletePasskey(h.deps, { session, passkeyId: passkey.id, context: commandContext().request, locale: "en", auditRow: failingRow }),
    ).rejects.toThrow();
    expect(await h.db.passkey.count()).toBe(1);
    expect(await h.db.outboxMessage.count({ where: { template: "passkey-removed" } })).toBe(0);
  });
});
