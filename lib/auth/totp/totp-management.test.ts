import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newRowId } from "../../db/ids";
import { auditDetails, PROVIDERS, createHarness, runCommand, type Harness } from "../testing/harness";
import { beginEnrollment, codeAt, emailSignIn, enrollApp, executeCommand, passkeyStepUp, registerPasskey } from "./totp-test-support";

/**
 * Listing and removing authenticator apps through the commands, on every
 * provider: the list never carries a secret, a removal is the account's
 * own, guarded by the policy, emailed and audited once.
 */
describe.each(PROVIDERS)("authenticator-app management on %s", (provider) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  const list = (sessionToken: string) => runCommand(h, "AUTH.TOTP.LIST", {}, { sessionToken });
  const remove = (sessionToken: string, id: string) => runCommand(h, "AUTH.TOTP.DELETE", { id }, { sessionToken });

  /** What a step-up with the app leaves on the person's session (lib/auth/step-up): a grant to remove a factor. */
  async function grantRemoval(userId: string) {
    const session = await h.db.session.findFirstOrThrow({ where: { userId } });
    const now = h.clock.now();
    const expiresAt = new Date(now.getTime() + 10 * 60 * 1000);
    await h.deps.store.grants.insert({ id: newRowId(), sessionId: session.id, userId, action: "security.factor.remove", method: "totp", createdAt: now, expiresAt });
  }

  it("lists confirmed apps with their dates only: never the sealed secret, never a pending enrolment", async () => {
    const { token } = await emailSignIn(h);
    const { id } = await enrollApp(h, token);
    const listed = await list(token);
    expect(listed).toMatchObject({ ok: true });
    const factors = listed.data.factors as Record<string, unknown>[];
    expect(factors).toHaveLength(1);
    expect(Object.keys(factors[0]).sort()).toEqual(["createdAt", "id", "lastUsedAt", "name"]);
    expect(factors[0]).toMatchObject({ id });
    const { secretSealed } = await h.db.totpFactor.findUniqueOrThrow({ where: { id } });
    expect(JSON.stringify(listed.data)).not.toContain(secretSealed);
    expect(JSON.stringify(listed.data)).not.toContain("secret");

    // A pending enrolment is not an app yet.
    const other = await emailSignIn(h);
    await beginEnrollment(h, other.token);
    expect((await list(other.token)).data.factors).toEqual([]);
    expect(await runCommand(h, "AUTH.TOTP.LIST", {})).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
  });

  it("removes an app within ten minutes of the proof that added it, emails the account, and audits it once", async () => {
    const { token, email, userId } = await emailSignIn(h, { locale: "ar" });
    const { id } = await enrollApp(h, token);
    // The account's strongest factor is now this app: an email proof no longer removes it.
    const refused = await executeCommand(h, "AUTH.TOTP.DELETE", { id }, { sessionToken: token });
    expect(refused).toMatchObject({ status: 403, code: "STEP_UP_REQUIRED", details: { action: "security.factor.remove", methods: ["totp"] } });

    await grantRemoval(userId);
    const removed = await remove(token, id);
    expect(removed).toMatchObject({ ok: true, data: { deleted: true, otherSessions: 0 } });
    expect(await h.db.totpFactor.count()).toBe(0);
    expect((await list(token)).data.factors).toEqual([]);

    const notice = await h.db.outboxMessage.findFirstOrThrow({ where: { template: "totp-removed" } });
    expect(notice).toMatchObject({ to: email, locale: "ar", subject: "أُزيل تطبيق مصادقة من حسابك" });
    expect(notice.text).toContain("/ar/settings/security");
    await h.deps.audit.flush();
    const events = await h.db.authEvent.findMany({ where: { command: "AUTH.TOTP.DELETE", outcome: "ok" } });
    expect(events).toHaveLength(1);
    expect(auditDetails(events[0])).toMatchObject({ totpFactorId: id });
  });

  it("removes an app after a real step-up with its code, once", async () => {
    const { token, email } = await emailSignIn(h);
    const { id, secret } = await enrollApp(h, token);
    // The account now has a strong factor: removing one needs a fresh proof with it, not the email sign-in.
    expect(await executeCommand(h, "AUTH.TOTP.DELETE", { id }, { sessionToken: token })).toMatchObject({
      code: "STEP_UP_REQUIRED",
      details: { action: "security.factor.remove", methods: ["totp"] },
    });
    // The enrolment used this time step's code: the app's next one.
    h.clock.advanceSeconds(30);
    const begun = await runCommand(h, "AUTH.STEP_UP.BEGIN", { action: "security.factor.remove", method: "totp" }, { sessionToken: token });
    expect(begun.ok).toBe(true);
    const granted = await runCommand(h, "AUTH.STEP_UP.VERIFY", { challengeId: begun.data.challengeId, code: codeAt(h, secret) }, { sessionToken: token });
    expect(granted).toMatchObject({ ok: true });
    const stepped = granted.data.sessionToken as string;

    // The grant was the app's: removing the app ends it with it.
    expect(await remove(stepped, id)).toMatchObject({ ok: true, data: { deleted: true, endedGrants: 1 } });
    expect((await list(stepped)).data.factors).toEqual([]);
    expect(await h.db.totpFactor.count({ where: { id } })).toBe(0);
    const [notice] = await h.db.outboxMessage.findMany({ where: { to: email, template: "totp-removed" } });
    expect(notice).toMatchObject({ to: email, subject: "An authenticator app was removed from your account" });
    // Removed once: a second removal finds nothing (no strong factor is left, so the fresh sign-in passes the policy).
    expect(await remove(stepped, id)).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });

  it("asks an account with a passkey and an app for the passkey, and then removes its app", async () => {
    const { token, email } = await emailSignIn(h);
    const phone = await registerPasskey(h, token);
    // Adding the app needs the passkey too.
    const { id } = await enrollApp(h, await passkeyStepUp(h, token, phone, "security.factor.add"));
    const emailOnly = (await emailSignIn(h, { email })).token;
    expect(await executeCommand(h, "AUTH.TOTP.DELETE", { id }, { sessionToken: emailOnly })).toMatchObject({
      code: "STEP_UP_REQUIRED",
      details: { methods: ["passkey"] },
    });
    expect(await h.db.totpFactor.count({ where: { id } })).toBe(1);
    expect(await remove(await passkeyStepUp(h, emailOnly, phone, "security.factor.remove"), id)).toMatchObject({ ok: true });
  });

  it("does not find another account's app, and removes one app once under parallel requests", async () => {
    const alice = await emailSignIn(h);
    const bob = await emailSignIn(h);
    const { id } = await enrollApp(h, alice.token);
    // Bob, freshly signed in with no strong factor, passes the policy: the app is simply not his.
    expect(await remove(bob.token, id)).toMatchObject({ status: 404, code: "NOT_FOUND" });
    expect(await h.db.totpFactor.count({ where: { id } })).toBe(1);
    expect(await h.db.outboxMessage.count({ where: { template: "totp-removed" } })).toBe(0);

    await grantRemoval(alice.userId);
    const results = await Promise.all([1, 2, 3].map(() => remove(alice.token, id)));
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok).map((result) => result.code)).toEqual(["NOT_FOUND", "NOT_FOUND"]);
    expect(await h.db.outboxMessage.count({ where: { template: "totp-removed" } })).toBe(1);
  });
});
