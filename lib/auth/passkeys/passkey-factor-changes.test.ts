import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Locale } from "../../i18n/locales";
import type { AuditRow } from "../store/types";
import type { CommandContext } from "../core/command-types";
import { execute } from "../core/execute";
import { finishPasskeyLogin } from "./passkey-login";
import { deletePasskey } from "./passkey-management";
import { RECENT_AUTH_SECONDS } from "../core/recent-auth";
import { findActiveSession } from "../core/sessions";
import {
  auditDetails,
  PROVIDERS,
  TEST_BASE_URL,
  commandContext,
  createHarness,
  latestEmail,
  runCommand,
  type Harness,
} from "../testing/harness";
import { passkeyStepUp } from "../testing/passkeys";
import { SoftwareAuthenticator, type Overrides } from "../testing/software-authenticator";
import { codeAt, enrollApp } from "../totp/totp-test-support";

/**
 * Issue 17 item 5, under the policy of issue 20: adding a passkey is
 * `security.factor.add` and removing one `security.factor.remove`, so a
 * change needs a recent proof with the strongest factor the account has (a
 * step-up grant for that very action, or a passkey sign-in on this
 * session); a first one needs only a recent sign-in. A change tells the
 * account by email, offers to sign out every other session, and a removed
 * passkey takes the sessions it created and the grants proved with a
 * passkey with it. Item 8: the success events commit with their change.
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

  /** The policy's refusal as a program reads it: code, status and the envelope's details. */
  async function refusal(command: string, params: unknown, sessionToken: string) {
    const { status, envelope } = await execute(h.deps, command, params, commandContext({ sessionToken }));
    return { status, code: envelope.error?.code, details: envelope.error?.details };
  }

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
    const response = authenticator.register(begun.data.options as PublicKeyCredentialCreationOptionsJSON);
    return run("AUTH.PASSKEY.REGISTER.FINISH", { challengeId: begun.data.challengeId, response }, { sessionToken });
  }

  async function passkeySignIn(authenticator: SoftwareAuthenticator, overrides: Overrides = {}) {
    const begun = await run("AUTH.PASSKEY.LOGIN.BEGIN", {});
    const response = authenticator.assert(begun.data.options as PublicKeyCredentialRequestOptionsJSON, overrides);
    return run("AUTH.PASSKEY.LOGIN.FINISH", { challengeId: begun.data.challengeId, response });
  }

  /** A step-up's VERIFY as the command answers it, for the cases that are refused. */
  async function stepUpVerify(sessionToken: string, authenticator: SoftwareAuthenticator, action: string, overrides: Overrides = {}) {
    const begun = await run("AUTH.STEP_UP.BEGIN", { action, method: "passkey" }, { sessionToken });
    const response = authenticator.assert(begun.data.options as PublicKeyCredentialRequestOptionsJSON, overrides);
    return run("AUTH.STEP_UP.VERIFY", { challengeId: begun.data.challengeId, response }, { sessionToken });
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

  const stepUpFor = (action: string) => ({
    status: 403,
    code: "STEP_UP_REQUIRED",
    details: { action, methods: ["passkey"], maxAgeSeconds: RECENT_AUTH_SECONDS },
  });

  it("lets an email sign-in add the first passkey, and emails the account about it in its language", async () => {
    const { token, email } = await emailSignIn("es");
    const added = await register(token, device());
    expect(added).toMatchObject({ ok: true, data: { passkey: { id: expect.any(String) }, otherSessions: 0 } });
    const notice = await h.db.outboxMessage.findFirstOrThrow({ where: { template: "passkey-added" } });
    expect(notice).toMatchObject({ to: email, locale: "es", subject: "Se añadió una llave de acceso a tu cuenta" });
    expect(notice.text).toContain("/es/settings/security");
  });

  it("lets a restricted session add its first passkey after a recent email sign-in (the upgrade path)", async () => {
    const { token } = await emailSignIn();
    await h.db.session.updateMany({ data: { restricted: true } });
    expect(await register(token, device())).toMatchObject({ ok: true });
    // Once the account has a passkey, the restricted session may not change factors on its email proof.
    expect(await refusal("AUTH.PASSKEY.REGISTER.BEGIN", {}, token)).toMatchObject(stepUpFor("security.factor.add"));
    expect(await refusal("AUTH.PASSKEY.DELETE", { id: (await passkeyIds(token))[0] }, token)).toMatchObject({
      code: "ACTION_DENIED",
      details: { reasons: ["restricted_session"] },
    });
  });

  it("refuses a first passkey on an old email sign-in until an emailed code re-confirms it", async () => {
    const { token, email } = await emailSignIn();
    h.clock.advanceSeconds(RECENT_AUTH_SECONDS + 1);
    expect(await refusal("AUTH.PASSKEY.REGISTER.BEGIN", {}, token)).toMatchObject({
      status: 403,
      code: "ACTION_DENIED",
      details: { action: "security.factor.add", reasons: ["reauthentication_required"] },
    });
    const requested = await run("AUTH.REAUTH.REQUEST", {}, { sessionToken: token });
    const message = await h.db.outboxMessage.findFirstOrThrow({ where: { to: email, template: "reauth-code" } });
    const code = message.text.match(/^\s*([0-9]{6})\s*$/m)?.[1];
    const verified = await run("AUTH.REAUTH.VERIFY", { challengeId: requested.data.challengeId, code }, { sessionToken: token });
    expect(await register(verified.data.sessionToken as string, device())).toMatchObject({ ok: true });
  });

  it("refuses a recent email-only session of an account with a passkey: it can neither add nor remove one", async () => {
    const { emailOnly } = await personWithPasskey();
    expect(await refusal("AUTH.PASSKEY.REGISTER.BEGIN", {}, emailOnly)).toMatchObject(stepUpFor("security.factor.add"));
    const [id] = await passkeyIds(emailOnly);
    expect(await refusal("AUTH.PASSKEY.DELETE", { id }, emailOnly)).toMatchObject(stepUpFor("security.factor.remove"));
    expect(await h.db.passkey.count()).toBe(1);
    // Nothing was emailed: nothing changed.
    expect(await h.db.outboxMessage.count({ where: { template: { in: ["passkey-added", "passkey-removed"] } } })).toBe(1);
  });

  it("never counts an emailed code as proof once the account has a passkey or an app", async () => {
    const withPasskey = await personWithPasskey();
    const withApp = await emailSignIn();
    await enrollApp(h, withApp.token);
    for (const [person, methods] of [
      [{ email: withPasskey.email, token: withPasskey.emailOnly }, ["passkey"]],
      [withApp, ["totp"]],
    ] as const) {
      const requested = await run("AUTH.REAUTH.REQUEST", {}, { sessionToken: person.token });
      // The re-confirmation email carries a code and no link.
      const message = await h.db.outboxMessage.findFirstOrThrow({ where: { to: person.email, template: "reauth-code" } });
      const code = message.text.match(/^\s*([0-9]{6})\s*$/m)?.[1];
      const verified = await run("AUTH.REAUTH.VERIFY", { challengeId: requested.data.challengeId, code }, { sessionToken: person.token });
      expect(verified).toMatchObject({ ok: true });
      const rotated = verified.data.sessionToken as string;
      expect(await refusal("AUTH.PASSKEY.REGISTER.BEGIN", {}, rotated)).toMatchObject({ code: "STEP_UP_REQUIRED", details: { methods } });
    }
  });

  it("adds a passkey to an account whose strongest factor is an app after a step-up with the app", async () => {
    const { token } = await emailSignIn();
    const { secret } = await enrollApp(h, token);
    expect(await refusal("AUTH.PASSKEY.REGISTER.BEGIN", {}, token)).toMatchObject({ code: "STEP_UP_REQUIRED", details: { methods: ["totp"] } });
    const begun = await run("AUTH.STEP_UP.BEGIN", { action: "security.factor.add", method: "totp" }, { sessionToken: token });
    // The enrolment used this time step's code: the app's next one.
    const granted = await run("AUTH.STEP_UP.VERIFY", { challengeId: begun.data.challengeId, code: codeAt(h, secret, 1) }, { sessionToken: token });
    expect(granted).toMatchObject({ ok: true, data: { grant: { action: "security.factor.add", method: "totp" } } });
    expect(await register(granted.data.sessionToken as string, device())).toMatchObject({ ok: true });
  });

  it("asks again at the finish: a passkey added after the ceremony began raises what finishing needs", async () => {
    const { token, email } = await emailSignIn();
    const begun = await run("AUTH.PASSKEY.REGISTER.BEGIN", {}, { sessionToken: token });
    expect(begun.ok).toBe(true);
    // Meanwhile the account gets its first passkey from another session.
    const other = (await emailSignIn("en", email)).token;
    expect(await register(other, device())).toMatchObject({ ok: true });
    const response = device().register(begun.data.options as PublicKeyCredentialCreationOptionsJSON);
    const params = { challengeId: begun.data.challengeId, response };
    expect(await refusal("AUTH.PASSKEY.REGISTER.FINISH", params, token)).toMatchObject(stepUpFor("security.factor.add"));
    expect(await h.db.passkey.count()).toBe(1);
  });

  it("after a step-up for each action the same session adds and removes passkeys, each emailed to the account", async () => {
    const { email, phone, emailOnly } = await personWithPasskey();
    const adding = await passkeyStepUp(h, emailOnly, phone, "security.factor.add");
    // A new token (ASVS 7.2.4): the one from before the proof is worthless.
    expect(await findActiveSession(h.deps.store.sessions, h.clock, emailOnly)).toBeNull();
    expect(await register(adding, device())).toMatchObject({ ok: true });
    // The session keeps its origin: no level raised, no method appended; the grant is the record.
    const session = await run("AUTH.SESSION.GET", {}, { sessionToken: adding });
    expect(session.data).toMatchObject({ session: { aal: 1, methods: [{ method: "magic_link" }] } });

    // A grant for adding does not remove.
    const [first] = await passkeyIds(adding);
    expect(await refusal("AUTH.PASSKEY.DELETE", { id: first }, adding)).toMatchObject(stepUpFor("security.factor.remove"));
    const removing = await passkeyStepUp(h, adding, phone, "security.factor.remove");
    expect(await run("AUTH.PASSKEY.DELETE", { id: first }, { sessionToken: removing })).toMatchObject({
      ok: true,
      data: { deleted: true, remainingPasskeys: 1, otherSessions: 1 },
    });
    const notices = await h.db.outboxMessage.findMany({ where: { to: email, template: { in: ["passkey-added", "passkey-removed"] } } });
    expect(notices.map((notice) => notice.template).sort()).toEqual(["passkey-added", "passkey-added", "passkey-removed"]);
  });

  it("a grant ends with its window: the clock moved past ten minutes, the change asks again", async () => {
    const { phone, emailOnly } = await personWithPasskey();
    const token = await passkeyStepUp(h, emailOnly, phone, "security.factor.add");
    h.clock.advanceSeconds(RECENT_AUTH_SECONDS - 1);
    expect(await run("AUTH.PASSKEY.REGISTER.BEGIN", {}, { sessionToken: token })).toMatchObject({ ok: true });
    h.clock.advanceSeconds(2);
    expect(await refusal("AUTH.PASSKEY.REGISTER.BEGIN", {}, token)).toMatchObject(stepUpFor("security.factor.add"));
  });

  it("a grant is for its own session: another session of the same person still asks", async () => {
    const { email, phone, emailOnly } = await personWithPasskey();
    await passkeyStepUp(h, emailOnly, phone, "security.factor.add");
    const other = (await emailSignIn("en", email)).token;
    expect(await refusal("AUTH.PASSKEY.REGISTER.BEGIN", {}, other)).toMatchObject(stepUpFor("security.factor.add"));
  });

  it("a grant for another action changes no passkey", async () => {
    const { phone, emailOnly } = await personWithPasskey();
    const token = await passkeyStepUp(h, emailOnly, phone, "file.view_private");
    expect(await refusal("AUTH.PASSKEY.REGISTER.BEGIN", {}, token)).toMatchObject(stepUpFor("security.factor.add"));
    expect(await refusal("AUTH.PASSKEY.DELETE", { id: (await passkeyIds(token))[0] }, token)).toMatchObject(stepUpFor("security.factor.remove"));
  });

  it("steps up only with this account's passkey, through a step-up challenge, once", async () => {
    const alice = await personWithPasskey();
    const bob = await personWithPasskey();
    // Bob's valid passkey proves nothing about Alice's session.
    expect(await stepUpVerify(alice.emailOnly, bob.phone, "security.factor.add")).toMatchObject({ status: 400, code: "PASSKEY_INVALID" });

    // A sign-in challenge cannot be spent as a step-up, nor the reverse.
    const login = await run("AUTH.PASSKEY.LOGIN.BEGIN", {});
    const asserted = alice.phone.assert(login.data.options as PublicKeyCredentialRequestOptionsJSON);
    expect(
      await run("AUTH.STEP_UP.VERIFY", { challengeId: login.data.challengeId, response: asserted }, { sessionToken: alice.emailOnly }),
    ).toMatchObject({ code: "CHALLENGE_INVALID" });
    const stepUp = await run("AUTH.STEP_UP.BEGIN", { action: "security.factor.add", method: "passkey" }, { sessionToken: alice.emailOnly });
    const forStepUp = alice.phone.assert(stepUp.data.options as PublicKeyCredentialRequestOptionsJSON);
    expect(await run("AUTH.PASSKEY.LOGIN.FINISH", { challengeId: stepUp.data.challengeId, response: forStepUp })).toMatchObject({
      code: "CHALLENGE_INVALID",
    });
    // The step-up names only this account's passkeys to the browser.
    expect((stepUp.data.options as { allowCredentials: { id: string }[] }).allowCredentials).toEqual([
      expect.objectContaining({ id: alice.phone.id }),
    ]);
    expect(await h.db.stepUpGrant.count()).toBe(0);
  });

  it("offers no step-up to an account without a strong factor: its proof is a recent sign-in", async () => {
    const { token } = await emailSignIn();
    expect(await run("AUTH.STEP_UP.BEGIN", { action: "security.factor.add", method: "passkey" }, { sessionToken: token })).toMatchObject({
      status: 400,
      code: "METHOD_NOT_ALLOWED",
    });
  });

  it("removes a passkey once under parallel deletes", async () => {
    const { phone, emailOnly } = await personWithPasskey();
    const token = await passkeyStepUp(h, emailOnly, phone, "security.factor.remove");
    const [id] = await passkeyIds(token);
    const deletes = await Promise.all([1, 2, 3].map(() => run("AUTH.PASSKEY.DELETE", { id }, { sessionToken: token })));
    expect(deletes.filter((result) => result.ok)).toHaveLength(1);
    expect(deletes.filter((result) => !result.ok).map((result) => result.code)).toEqual(["NOT_FOUND", "NOT_FOUND"]);
    expect(await h.db.outboxMessage.count({ where: { template: "passkey-removed" } })).toBe(1);
    await h.deps.audit.flush();
    expect(await h.db.authEvent.count({ where: { command: "AUTH.PASSKEY.DELETE", outcome: "ok" } })).toBe(1);
  });

  it("refuses a sign-in or step-up response without a user handle", async () => {
    const { phone, emailOnly } = await personWithPasskey();
    const before = await h.db.session.count();
    expect(await passkeySignIn(phone, { omitUserHandle: true })).toMatchObject({ status: 400, code: "PASSKEY_INVALID" });
    expect(await h.db.session.count()).toBe(before);
    expect(await stepUpVerify(emailOnly, phone, "security.factor.add", { omitUserHandle: true })).toMatchObject({ code: "PASSKEY_INVALID" });
    expect(await refusal("AUTH.PASSKEY.REGISTER.BEGIN", {}, emailOnly)).toMatchObject(stepUpFor("security.factor.add"));
  });

  it("ends the sessions a removed passkey created and the grants proved with a passkey, and nothing else", async () => {
    const { email, phone, firstToken, emailOnly } = await personWithPasskey();
    const laptop = device();
    const manager = await passkeyStepUp(h, firstToken, phone, "security.factor.add");
    expect(await register(manager, laptop)).toMatchObject({ ok: true });

    const byPhone = [(await passkeySignIn(phone)).data.sessionToken as string, (await passkeySignIn(phone)).data.sessionToken as string];
    const byLaptop = (await passkeySignIn(laptop)).data.sessionToken as string;
    // An email session stepped up with the phone keeps its origin: it was not created by the phone.
    const steppedUp = await passkeyStepUp(h, emailOnly, phone, "file.view_private");
    // Someone else's passkey grant is theirs.
    const stranger = await personWithPasskey();
    const strangers = await passkeyStepUp(h, stranger.emailOnly, stranger.phone, "file.view_private");
    // The removal happens from a session the phone itself created: its passkey sign-in is the proof, and it stays.
    const current = byPhone[0];
    const phoneId = (await h.db.passkey.findFirstOrThrow({ where: { credentialId: phone.id } })).id;

    const deleted = await run("AUTH.PASSKEY.DELETE", { id: phoneId }, { sessionToken: current });
    expect(deleted).toMatchObject({ ok: true, data: { endedSessions: 1, endedGrants: 2, remainingPasskeys: 1, otherSessions: 3 } });
    expect(await findActiveSession(h.deps.store.sessions, h.clock, byPhone[1])).toBeNull();
    for (const kept of [current, byLaptop, steppedUp, manager]) {
      expect(await findActiveSession(h.deps.store.sessions, h.clock, kept)).not.toBeNull();
    }
    expect((await h.db.session.findMany({ where: { passkeyId: phoneId } })).length).toBe(0);
    // What the phone's step-ups opened is closed: the private file and the adding both ask again.
    expect((await run("AUTH.POLICY.DECIDE", { action: "file.view_private" }, { sessionToken: steppedUp })).data).toMatchObject({ decision: "step_up" });
    expect(await refusal("AUTH.PASSKEY.REGISTER.BEGIN", {}, manager)).toMatchObject(stepUpFor("security.factor.add"));
    expect((await run("AUTH.POLICY.DECIDE", { action: "file.view_private" }, { sessionToken: strangers })).data).toMatchObject({ decision: "allow" });
    const notice = await h.db.outboxMessage.findFirstOrThrow({ where: { template: "passkey-removed" } });
    expect(notice).toMatchObject({ to: email, locale: "en", subject: "A passkey was removed from your account" });
  });

  it("signs out every other session of the person, keeping the current one and other people's", async () => {
    const { email, phone, firstToken, emailOnly } = await personWithPasskey();
    const byPhone = (await passkeySignIn(phone)).data.sessionToken as string;
    const stranger = (await emailSignIn()).token;
    const revoked = await run("AUTH.SESSION.REVOKE_ALL_OTHERS", {}, { sessionToken: emailOnly });
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
    const token = await passkeyStepUp(h, emailOnly, phone, "security.factor.remove");
    const [id] = await passkeyIds(token);
    await run("AUTH.PASSKEY.DELETE", { id }, { sessionToken: token });
    await h.deps.audit.flush();
    for (const command of ["AUTH.PASSKEY.REGISTER.FINISH", "AUTH.PASSKEY.LOGIN.FINISH", "AUTH.STEP_UP.VERIFY", "AUTH.PASSKEY.DELETE"]) {
      expect(await h.db.authEvent.count({ where: { command, outcome: "ok" } }), command).toBe(1);
    }
    expect(sessionId).toEqual(expect.any(String));
    expect(await h.db.authEvent.findFirst({ where: { command: "AUTH.PASSKEY.LOGIN.FINISH" } })).toMatchObject({ sessionId });
    const deletion = await h.db.authEvent.findFirstOrThrow({ where: { command: "AUTH.PASSKEY.DELETE" } });
    expect(auditDetails(deletion)).toMatchObject({ passkeyId: id, endedSessions: 1, endedGrants: 1 });
  });

  it("creates no session, and removes no passkey and ends no grant, when the success event cannot be written", async () => {
    const { phone, firstToken } = await personWithPasskey();
    const taken = await h.db.authEvent.findFirstOrThrow();
    // An event whose id is already used: its insert fails inside the ceremony's transaction.
    const failingRow = (): AuditRow => ({ ...taken, details: taken.details, id: taken.id });

    const begun = await run("AUTH.PASSKEY.LOGIN.BEGIN", {});
    const response = phone.assert(begun.data.options as PublicKeyCredentialRequestOptionsJSON);
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

    // The ceremony called directly: the policy (and the grant it would read) are the command's; here the grant is what must survive.
    const token = await passkeyStepUp(h, firstToken, phone, "security.factor.remove");
    const session = await findActiveSession(h.deps.store.sessions, h.clock, token);
    if (!session) throw new Error("no session");
    const [passkey] = await h.db.passkey.findMany();
    await expect(
      deletePasskey(h.deps, { session, passkeyId: passkey.id, context: commandContext().request, locale: "en", auditRow: failingRow }),
    ).rejects.toThrow();
    expect(await h.db.passkey.count()).toBe(1);
    expect(await h.db.stepUpGrant.count()).toBe(1);
    expect(await h.db.outboxMessage.count({ where: { template: "passkey-removed" } })).toBe(0);
  });
});
