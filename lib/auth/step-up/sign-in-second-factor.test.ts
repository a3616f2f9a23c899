import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditRowOf } from "../core/audit";
import type { CommandContext } from "../core/command-types";
import { parseMethodUses } from "../core/method-uses";
import type { RequestContext } from "../core/request-context";
import { findActiveSession } from "../core/sessions";
import { auditDetails, PROVIDERS, createHarness, latestEmail, requestContext, runCommand, signInByEmail, wrongCode, type Harness } from "../testing/harness";
import { registerPasskey } from "../testing/passkeys";
import { TOTP_LOCK_SECONDS, TOTP_MAX_WRONG_CODES } from "../totp/totp-attempts";
import { secretFromManualKey } from "../totp/totp-code";
import { beginTotpEnrollment, finishTotpEnrollment } from "../totp/totp-enrollment";
import { codeAt, emailSignIn, enrollApp, executeCommand } from "../totp/totp-test-support";

/** Another browser on another kind of device, through an anonymizer: new device + anonymizer escalates. */
const RISKY: Partial<RequestContext> = { ip: "198.18.0.7", deviceClass: "mobile", browserSummary: "Chrome · Android" };

/**
 * An escalated sign-in on an account with an authenticator app (issue 20,
 * "Sign-in is an action too"): the emailed link or code alone starts no
 * session, not even a restricted one; the same link or code sent again with
 * the app's code does, once, with both proofs on the session.
 */
describe.each(PROVIDERS)("an escalated sign-in's second factor on %s", (provider) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(provider, { anonymizers: "198.18.0.7" });
  });
  afterEach(async () => {
    await h.close();
  });

  const api = (request: Partial<RequestContext> = {}): Partial<CommandContext> => ({
    request: requestContext({ origin: null, fetchSite: null, ...request }),
  });
  const sessionsOf = (email: string) => h.db.session.findMany({ where: { user: { email } }, orderBy: { createdAt: "asc" } });
  const appRow = (id: string) => h.db.totpFactor.findUniqueOrThrow({ where: { id } });
  const methodsOf = (row: { methods: string }) => parseMethodUses(row.methods).map((use) => use.method);

  /** A person whose only strong factor is an app, enrolled a few minutes ago (so its enrolment's step is in the past). */
  async function personWithApp() {
    const person = await emailSignIn(h);
    const app = await enrollApp(h, person.token);
    h.clock.advanceSeconds(5 * 60);
    return { ...person, app };
  }

  /** A link asked for from `at`: its token and binding, redeemed later from the same place. */
  async function linkFor(email: string, at: Partial<RequestContext> = RISKY) {
    const requested = await runCommand(h, "AUTH.MAGIC_LINK.REQUEST", { email }, api(at));
    const mail = await latestEmail(h.db, email);
    return { token: mail.token, binding: requested.data.binding as string, code: mail.code, challengeId: requested.data.challengeId as string };
  }

  const redeem = (link: { token: string; binding: string }, extra: Record<string, unknown> = {}, at: Partial<RequestContext> = RISKY) =>
    executeCommand(h, "AUTH.MAGIC_LINK.REDEEM", { token: link.token, binding: link.binding, ...extra }, api(at));
  const redeemForData = (link: { token: string; binding: string }, totpCode: string, at: Partial<RequestContext> = RISKY) =>
    runCommand(h, "AUTH.MAGIC_LINK.REDEEM", { token: link.token, binding: link.binding, totpCode }, api(at));

  it("the link alone starts no session; with the app's code it does, with both proofs, once", async () => {
    const { email, app } = await personWithApp();
    const link = await linkFor(email);

    expect(await redeem(link)).toEqual({
      status: 403,
      code: "SECOND_FACTOR_REQUIRED",
      details: { methods: ["totp"], reasons: ["new_device", "anonymizer"] },
      retryAfterSeconds: undefined,
    });
    expect(await sessionsOf(email)).toHaveLength(1);
    const refusal = await h.db.authEvent.findFirstOrThrow({ where: { command: "AUTH.MAGIC_LINK.REDEEM", errorCode: "SECOND_FACTOR_REQUIRED" } });
    expect(auditDetails(refusal)).toMatchObject({ decision: "step_up", reasons: "new_device,anonymizer", secondFactor: "totp" });
    expect(refusal.userId).toBe((await h.db.user.findUniqueOrThrow({ where: { email } })).id);

    // A wrong code is refused as the app's, and the link is still there for the right one.
    expect(await redeem(link, { totpCode: wrongCode(codeAt(h, app.secret)) })).toMatchObject({
      status: 400,
      code: "SECOND_FACTOR_INVALID",
      details: { methods: ["totp"], reasons: ["new_device", "anonymizer"] },
    });
    expect(await appRow(app.id)).toMatchObject({ failedAttempts: 1 });
    const wrongEvent = await h.db.authEvent.findFirstOrThrow({ where: { errorCode: "SECOND_FACTOR_INVALID" } });
    expect(auditDetails(wrongEvent)).toMatchObject({ decision: "step_up", reasons: "new_device,anonymizer" });

    // Spaces as the app shows the code are fine.
    const code = codeAt(h, app.secret);
    const signedIn = await redeemForData(link, `${code.slice(0, 3)} ${code.slice(3)}`);
    expect(signedIn).toMatchObject({ ok: true, status: 200 });
    const sessions = await sessionsOf(email);
    expect(sessions).toHaveLength(2);
    const created = sessions[1];
    // Email is no authenticator B4 counts: the pair stays AAL1, but the app's proof is on the session.
    expect(created).toMatchObject({ aal: 1, restricted: false });
    expect(parseMethodUses(created.methods)).toEqual([
      { method: "magic_link", at: h.clock.now().toISOString() },
      { method: "totp", at: h.clock.now().toISOString() },
    ]);
    expect(await appRow(app.id)).toMatchObject({ failedAttempts: 0, lastUsedAt: h.clock.now() });
    const success = await h.db.authEvent.findFirstOrThrow({ where: { command: "AUTH.MAGIC_LINK.REDEEM", outcome: "ok", sessionId: created.id } });
    expect(auditDetails(success)).toMatchObject({ method: "magic_link", secondFactor: "totp" });
    // The account is told about the sign-in from the new device.
    expect(await h.db.outboxMessage.count({ where: { to: email, template: "new-sign-in" } })).toBe(1);

    // The app's proof counts for the policy: a private file needs no step-up right now.
    const session = await findActiveSession(h.deps.store.sessions, h.clock, signedIn.data.sessionToken as string);
    expect(session?.methods.map((use) => use.method)).toEqual(["magic_link", "totp"]);
    const decided = await runCommand(h, "AUTH.POLICY.DECIDE", { action: "file.view_private" }, {
      sessionToken: signedIn.data.sessionToken as string,
      ...api(RISKY),
    });
    expect(decided.data).toMatchObject({ decision: "allow" });

    // The link is spent: a fresh code does not bring it back.
    h.clock.advanceSeconds(60);
    expect(await redeem(link, { totpCode: codeAt(h, app.secret) })).toMatchObject({ code: "TOKEN_USED" });
    expect(await sessionsOf(email)).toHaveLength(2);
  });

  it("a code accepted once is refused on a second link, and so are codes two steps away", async () => {
    const { email, app } = await personWithApp();
    const code = codeAt(h, app.secret);
    expect(await redeemForData(await linkFor(email), code)).toMatchObject({ ok: true });

    // The phone is known now: the second sign-in comes from yet another device, through the anonymizer.
    const tablet: Partial<RequestContext> = { ...RISKY, deviceClass: "tablet", browserSummary: "Safari · iPadOS" };
    const second = await linkFor(email, tablet);
    expect(await redeem(second, { totpCode: code }, tablet)).toMatchObject({ status: 400, code: "SECOND_FACTOR_INVALID" });
    h.clock.advanceSeconds(5 * 60);
    expect(await redeem(second, { totpCode: codeAt(h, app.secret, 2) }, tablet)).toMatchObject({ code: "SECOND_FACTOR_INVALID" });
    expect(await redeem(second, { totpCode: codeAt(h, app.secret, -2) }, tablet)).toMatchObject({ code: "SECOND_FACTOR_INVALID" });
    expect(await sessionsOf(email)).toHaveLength(2);
    // One step either side is still on time.
    expect(await redeemForData(second, codeAt(h, app.secret, -1), tablet)).toMatchObject({ ok: true });
    expect(await sessionsOf(email)).toHaveLength(3);
  });

  it("five wrong codes lock the app for fifteen minutes: the right code is refused until then", async () => {
    const { email, app } = await personWithApp();
    const link = await linkFor(email);
    const right = codeAt(h, app.secret);
    for (let attempt = 1; attempt < TOTP_MAX_WRONG_CODES; attempt++) {
      expect(await redeem(link, { totpCode: wrongCode(right, attempt) })).toMatchObject({ code: "SECOND_FACTOR_INVALID" });
    }
    expect(await redeem(link, { totpCode: wrongCode(right, 99) })).toMatchObject({
      status: 403,
      code: "SECOND_FACTOR_LOCKED",
      retryAfterSeconds: TOTP_LOCK_SECONDS,
      details: { methods: ["totp"] },
    });
    expect(await redeem(link, { totpCode: right })).toMatchObject({ code: "SECOND_FACTOR_LOCKED", retryAfterSeconds: TOTP_LOCK_SECONDS });
    h.clock.advanceSeconds(TOTP_LOCK_SECONDS - 60);
    const fresh = await linkFor(email);
    expect(await redeem(fresh, { totpCode: codeAt(h, app.secret) })).toMatchObject({ code: "SECOND_FACTOR_LOCKED", retryAfterSeconds: 60 });
    expect(await sessionsOf(email)).toHaveLength(1);
    // The lock is over; the link asked for a minute ago still works.
    h.clock.advanceSeconds(60);
    expect(await redeemForData(fresh, codeAt(h, app.secret))).toMatchObject({ ok: true });
    expect(await sessionsOf(email)).toHaveLength(2);
  });

  it("two redemptions racing with valid codes: exactly one session", async () => {
    const { email, app } = await personWithApp();
    const link = await linkFor(email);
    const results = await Promise.all([0, 1].map((steps) => redeem(link, { totpCode: codeAt(h, app.secret, steps) })));
    expect(results.filter((result) => result.status === 200)).toHaveLength(1);
    const lost = results.find((result) => result.status !== 200);
    expect(["TOKEN_USED", "SECOND_FACTOR_INVALID"]).toContain(lost?.code);
    expect(await sessionsOf(email)).toHaveLength(2);
  });

  it("by the email's code (another browser): the same, and the code's attempt is given back", async () => {
    const { email, app } = await personWithApp();
    const link = await linkFor(email);
    const verify = (extra: Record<string, unknown>) =>
      executeCommand(h, "AUTH.EMAIL_CODE.VERIFY", { challengeId: link.challengeId, code: link.code, ...extra }, api(RISKY));
    expect(await verify({})).toMatchObject({ status: 403, code: "SECOND_FACTOR_REQUIRED" });
    expect(await verify({ totpCode: wrongCode(codeAt(h, app.secret)) })).toMatchObject({ code: "SECOND_FACTOR_INVALID" });
    // The email code was right each time: no failure is left on the address.
    expect(await h.deps.limits.used("codeFailuresPerAddress", email)).toBe(0);
    expect(await verify({ totpCode: codeAt(h, app.secret) })).toMatchObject({ status: 200 });
    const created = (await sessionsOf(email))[1];
    expect(methodsOf(created)).toEqual(["email_code", "totp"]);
  });

  it("a sign-in that is not escalated ignores a code, and spends none of the app's", async () => {
    const { email, app } = await personWithApp();
    const link = await linkFor(email, {});
    expect(await redeemForData(link, wrongCode(codeAt(h, app.secret)), {})).toMatchObject({ ok: true });
    const created = (await sessionsOf(email))[1];
    expect(methodsOf(created)).toEqual(["magic_link"]);
    expect(await appRow(app.id)).toMatchObject({ failedAttempts: 0 });
  });

  it("an account with no strong factor still starts restricted, whatever code is sent", async () => {
    const email = `no-factor-${Date.now()}@example.com`;
    await signInByEmail(h, email);
    expect(await redeemForData(await linkFor(email), "123456")).toMatchObject({ ok: true });
    const created = (await sessionsOf(email))[1];
    expect(created).toMatchObject({ restricted: true });
    expect(methodsOf(created)).toEqual(["magic_link"]);
  });

  it("a malformed code is VALIDATION_FAILED, before anything is read or counted", async () => {
    const { email, app, userId } = await personWithApp();
    const link = await linkFor(email);
    for (const totpCode of ["12345", "1234567", "12345a", "١٢٣٤٥٦", "", 123456]) {
      const refused = await executeCommand(
        h,
        "AUTH.EMAIL_CODE.VERIFY",
        { challengeId: link.challengeId, code: link.code, totpCode },
        api(RISKY),
      );
      expect(refused).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
    }
    expect(await h.db.magicLinkChallenge.findUniqueOrThrow({ where: { id: link.challengeId } })).toMatchObject({
      status: "pending",
      failedCodeAttempts: 0,
    });
    expect(await appRow(app.id)).toMatchObject({ failedAttempts: 0 });
    expect(await sessionsOf(email)).toHaveLength(1);
    expect(await h.deps.limits.used("proofFailuresPerUser", userId)).toBe(0);
  });

  it("with a passkey and an app, either may finish it: details.methods names both", async () => {
    const email = `both-${Date.now()}@example.com`;
    const token = await signInByEmail(h, email);
    await registerPasskey(h, token);
    const app = await addAppDirectly(token);
    h.clock.advanceSeconds(5 * 60);
    const link = await linkFor(email);
    expect(await redeem(link)).toMatchObject({
      status: 403,
      code: "SECOND_FACTOR_REQUIRED",
      details: { methods: ["passkey", "totp"], reasons: ["new_device", "anonymizer"] },
    });
    expect(await redeemForData(link, codeAt(h, app.secret))).toMatchObject({ ok: true });
  });

  /** An app added through the ceremonies: with a passkey on the account, the command would ask for a passkey step-up first. */
  async function addAppDirectly(sessionToken: string) {
    const session = await findActiveSession(h.deps.store.sessions, h.clock, sessionToken);
    if (!session) throw new Error("no session");
    const begun = await beginTotpEnrollment(h.deps, { session });
    if (!begun.ok) throw new Error(begun.code);
    const secret = secretFromManualKey(begun.value.secret);
    if (!secret) throw new Error("no readable manual key");
    const auditRow = () =>
      auditRowOf({ at: h.clock.now(), command: "test", outcome: "ok", errorCode: null, userId: session.user.id, sessionId: null, ipPrefix: null, country: null, deviceClass: null, latencyMs: 0, details: {} });
    const finished = await finishTotpEnrollment(h.deps, {
      session,
      enrollmentId: begun.value.enrollmentId,
      code: codeAt(h, secret),
      locale: "en",
      context: requestContext(),
      auditRow,
    });
    expect(finished.ok).toBe(true);
    return { id: begun.value.enrollmentId, secret };
  }
});
