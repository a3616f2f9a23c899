import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditRowOf, type AuditEvent } from "../core/audit";
import { findActiveSession } from "../core/sessions";
import { auditDetails, PROVIDERS, TEST_TOTP_KEY, createHarness, requestContext, runCommand, wrongCode, type Harness } from "../testing/harness";
import { openTotpSecret } from "./secret-box";
import { TOTP_LOCK_SECONDS, TOTP_MAX_WRONG_CODES } from "./totp-attempts";
import { base32Secret, secretFromManualKey, totpCodeAt } from "./totp-code";
import { TOTP_ENROLLMENT_TTL_SECONDS, finishTotpEnrollment } from "./totp-enrollment";
import { openFactorSecret, totpAssociatedData } from "./totp-factor-secret";
import { beginEnrollment, codeAt, emailSignIn, enrollApp, executeCommand, passkeyStepUp, registerPasskey } from "./totp-test-support";
import { verifyTotpCode } from "./totp-verification";

/**
 * Adding an authenticator app through the commands, on the real database,
 * policy and outbox of every provider: the secret is shown once and stored
 * sealed for its row, never listed; the first code confirms it, once, and
 * only within ±1 step of the server's clock (no client-supplied time);
 * wrong codes lock it; races have one winner; the enrolment belongs to its
 * account and expires; every addition is emailed to the account; and the
 * policy decides who may start and finish at all.
 */

/** The success event a ceremony called without execute writes (execute builds it otherwise). */
const directEvent: Omit<AuditEvent, "at" | "userId"> = {
  command: "AUTH.TOTP.ENROLL.FINISH (direct)",
  outcome: "ok",
  errorCode: null,
  sessionId: null,
  ipPrefix: null,
  country: null,
  deviceClass: null,
  latencyMs: 0,
  details: {},
};

describe.each(PROVIDERS)("authenticator-app enrolment on %s", (provider) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  const finish = (sessionToken: string, enrollmentId: string, code: unknown) =>
    runCommand(h, "AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code }, { sessionToken });
  const list = (sessionToken: string) => runCommand(h, "AUTH.TOTP.LIST", {}, { sessionToken });
  const notices = (to: string, template: string) => h.db.outboxMessage.findMany({ where: { to, template } });

  /** The ceremony without the command around it (and so without the policy's guard). */
  async function finishDirectly(sessionToken: string, enrollmentId: string, code: string) {
    const session = await findActiveSession(h.deps.store.sessions, h.clock, sessionToken);
    if (!session) throw new Error("no session");
    const auditRow = () => auditRowOf({ ...directEvent, at: h.clock.now(), userId: session.user.id });
    return finishTotpEnrollment(h.deps, { session, enrollmentId, code, locale: "en", context: requestContext(), auditRow });
  }

  /** Re-confirms an old session with the code emailed to `email`: its new token. */
  async function reconfirmByEmail(sessionToken: string, email: string): Promise<string> {
    const requested = await runCommand(h, "AUTH.REAUTH.REQUEST", {}, { sessionToken });
    expect(requested.ok).toBe(true);
    const message = await h.db.outboxMessage.findFirstOrThrow({ where: { to: email, template: "reauth-code" }, orderBy: { createdAt: "desc" } });
    const emailed = message.text.match(/^\s*([0-9]{6})\s*$/m)?.[1];
    const verified = await runCommand(h, "AUTH.REAUTH.VERIFY", { challengeId: requested.data.challengeId, code: emailed }, { sessionToken });
    expect(verified).toMatchObject({ ok: true });
    return verified.data.sessionToken as string;
  }

  it("enrols an app with a code from its manual key, seals the secret for its row, lists it without it, and emails the account in its language", async () => {
    const { token, email, userId } = await emailSignIn(h, { locale: "es" });
    const { enrollmentId, secret, data } = await beginEnrollment(h, token);
    // The manual key in groups of four, and the URI the QR code carries, naming the issuer and the account.
    expect(data.secret).toBe(base32Secret(secret));
    expect(data.secret).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    const uri = new URL(data.otpauthUri as string);
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("issuer")).toBe("Trustladder");
    expect(uri.searchParams.get("secret")).toBe((data.secret as string).replaceAll(" ", ""));
    expect(decodeURIComponent(uri.pathname)).toBe(`/Trustladder:${email}`);
    // The QR code and the manual key carry the same secret.
    expect(secretFromManualKey(uri.searchParams.get("secret") ?? "")).toEqual(secret);

    // At rest: the sealed form only, bound to its row; neither the manual key nor the bytes.
    const row = await h.db.totpFactor.findUniqueOrThrow({ where: { id: enrollmentId } });
    expect(row).toMatchObject({ userId, confirmedAt: null });
    expect(row.secretSealed).toMatch(/^v1\./);
    const key = base32Secret(secret);
    const bytes = Buffer.from(secret);
    for (const plain of [key, key.replaceAll(" ", ""), key.replaceAll(" ", "").toLowerCase(), bytes.toString("hex"), bytes.toString("base64"), bytes.toString("base64url")]) {
      expect(row.secretSealed).not.toContain(plain);
    }
    // Opens with the key and this row's binding only.
    expect(openFactorSecret(h.deps, row)).toEqual(secret);
    const sealed = row.secretSealed;
    expect(openTotpSecret({ key: TEST_TOTP_KEY, sealed, associatedData: totpAssociatedData(userId, enrollmentId) })).toEqual({ ok: true, secret });
    expect(openTotpSecret({ key: TEST_TOTP_KEY, sealed, associatedData: totpAssociatedData("someone-else", enrollmentId) })).toMatchObject({ ok: false });
    // A pending enrolment is not an app yet.
    expect((await list(token)).data).toEqual({ factors: [] });

    // Typed the way the app shows it, "123 456".
    const code = codeAt(h, secret);
    const finished = await finish(token, enrollmentId, `${code.slice(0, 3)} ${code.slice(3)}`);
    expect(finished).toMatchObject({ ok: true, data: { factor: { id: enrollmentId, createdAt: row.createdAt.toISOString() } } });
    expect(Object.keys(finished.data)).toEqual(["factor"]);
    expect((await h.db.totpFactor.findUniqueOrThrow({ where: { id: enrollmentId } })).confirmedAt).not.toBeNull();

    // Exactly these four fields, never the sealed secret; enrolled and first used at the same moment (the clock did not move).
    const listed = await list(token);
    const at = h.clock.now().toISOString();
    expect(listed.data.factors).toEqual([{ id: enrollmentId, name: "", createdAt: at, lastUsedAt: at }]);
    expect(JSON.stringify(listed.data)).not.toContain(sealed);

    const [notice] = await notices(email, "totp-added");
    expect(notice).toMatchObject({ to: email, locale: "es", subject: "Se añadió una app de autenticación a tu cuenta" });
    expect(notice.text).toContain("/es/settings/security");
  });

  it("writes audit events that name the enrolment, never the secret or the code, refusals included", async () => {
    const { token } = await emailSignIn(h);
    const { enrollmentId, secret, data } = await beginEnrollment(h, token);
    const code = codeAt(h, secret);
    await finish(token, enrollmentId, wrongCode(code));
    await finish(token, enrollmentId, code);
    await list(token);
    await h.deps.audit.flush();
    const events = await h.db.authEvent.findMany({ where: { command: { startsWith: "AUTH.TOTP." } } });
    expect(events.map((event) => [event.command, event.outcome, event.errorCode])).toEqual(
      expect.arrayContaining([
        ["AUTH.TOTP.ENROLL.BEGIN", "ok", null],
        ["AUTH.TOTP.ENROLL.FINISH", "refused", "CODE_INVALID"],
        ["AUTH.TOTP.ENROLL.FINISH", "ok", null],
        ["AUTH.TOTP.LIST", "ok", null],
      ]),
    );
    expect(events).toHaveLength(4);
    const finishEvent = events.find((event) => event.command === "AUTH.TOTP.ENROLL.FINISH" && event.outcome === "ok");
    expect(auditDetails(finishEvent)).toMatchObject({ totpFactorId: enrollmentId });
    const { secretSealed } = await h.db.totpFactor.findUniqueOrThrow({ where: { id: enrollmentId } });
    for (const event of events) {
      if (event.command !== "AUTH.TOTP.LIST") expect(event.details).toContain(enrollmentId);
      for (const secretText of [code, wrongCode(code), (data.secret as string).replaceAll(" ", ""), data.otpauthUri as string, secretSealed]) {
        expect(event.details).not.toContain(secretText);
      }
    }
  });

  it("accepts a code once: finishing again with it, or with a later one, is refused, and the code proves nothing more", async () => {
    const { token, userId } = await emailSignIn(h);
    const { enrollmentId, secret } = await beginEnrollment(h, token);
    const code = codeAt(h, secret);
    expect(await finish(token, enrollmentId, code)).toMatchObject({ ok: true });
    // Through the command the policy answers first: the account's strongest factor is now this app.
    expect(await finish(token, enrollmentId, code)).toMatchObject({ status: 403, code: "STEP_UP_REQUIRED" });
    // Past the policy, the ceremony itself finds no enrolment left to finish, whatever proof the session holds.
    expect(await finishDirectly(token, enrollmentId, code)).toMatchObject({ ok: false, code: "CHALLENGE_USED" });
    expect(await finishDirectly(token, enrollmentId, codeAt(h, secret, 1))).toMatchObject({ ok: false, code: "CHALLENGE_USED" });
    // The app's step is used: the same six digits are no proof either.
    expect(await verifyTotpCode(h.deps, { userId, code })).toMatchObject({ ok: false, code: "CODE_INVALID" });
    expect(await h.db.totpFactor.count({ where: { userId, confirmedAt: { not: null } } })).toBe(1);
    expect(await h.db.outboxMessage.count({ where: { template: "totp-added" } })).toBe(1);
  });

  it("takes the next step's code, and refuses codes two steps either side of the server's clock", async () => {
    const { token } = await emailSignIn(h);
    const { enrollmentId, secret } = await beginEnrollment(h, token);
    const now = h.clock.now();
    const at = (steps: number) => totpCodeAt(secret, new Date(now.getTime() + steps * 30_000));

    // The phone's clock two steps ahead, then two behind (a code shown a minute ago).
    expect(await finish(token, enrollmentId, at(2))).toMatchObject({ code: "CODE_INVALID" });
    h.clock.advanceSeconds(60);
    expect(await finish(token, enrollmentId, at(0))).toMatchObject({ code: "CODE_INVALID" });
    // One step ahead of the server is within the window.
    expect(await finish(token, enrollmentId, at(3))).toMatchObject({ ok: true });
  });

  it("locks an enrolment after five wrong codes, even against the right code, until the lock's time has passed; a confirmed app likewise", async () => {
    const { token } = await emailSignIn(h);
    const { enrollmentId, secret } = await beginEnrollment(h, token);
    const code = codeAt(h, secret);
    for (let attempt = 1; attempt < TOTP_MAX_WRONG_CODES; attempt++) {
      expect(await finish(token, enrollmentId, wrongCode(code, attempt))).toMatchObject({ status: 400, code: "CODE_INVALID" });
    }
    const locking = await executeCommand(h, "AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: wrongCode(code, 9) }, { sessionToken: token });
    expect(locking).toMatchObject({ status: 403, code: "CODE_LOCKED", retryAfterSeconds: TOTP_LOCK_SECONDS });
    h.clock.advanceSeconds(60);
    // The right code is not even compared while locked.
    const locked = await executeCommand(h, "AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: codeAt(h, secret) }, { sessionToken: token });
    expect(locked).toMatchObject({ code: "CODE_LOCKED", retryAfterSeconds: TOTP_LOCK_SECONDS - 60 });
    expect(await h.db.totpFactor.findUniqueOrThrow({ where: { id: enrollmentId } })).toMatchObject({ confirmedAt: null });
    // A new QR code starts over (the person who enrols holds the secret: there is nothing to guess).
    const again = await beginEnrollment(h, token);
    expect(await finish(token, again.enrollmentId, codeAt(h, again.secret))).toMatchObject({ ok: true });

    // A confirmed app locks the same way, and opens again once the lock's time has passed.
    const other = await emailSignIn(h);
    const app = await enrollApp(h, other.token);
    h.clock.advanceSeconds(30);
    const good = codeAt(h, app.secret);
    for (let attempt = 1; attempt <= TOTP_MAX_WRONG_CODES; attempt++) await verifyTotpCode(h.deps, { userId: other.userId, code: wrongCode(good, attempt) });
    expect(await verifyTotpCode(h.deps, { userId: other.userId, code: good })).toMatchObject({ ok: false, code: "CODE_LOCKED" });
    h.clock.advanceSeconds(TOTP_LOCK_SECONDS);
    expect(await verifyTotpCode(h.deps, { userId: other.userId, code: codeAt(h, app.secret) })).toMatchObject({ ok: true });
  });

  it("gives one of parallel finishes with the same code the app, and emails once", async () => {
    const { token, email, userId } = await emailSignIn(h);
    const { enrollmentId, secret } = await beginEnrollment(h, token);
    const code = codeAt(h, secret);
    // Through the commands: one wins; a loser is refused by the enrolment, or by the policy once the app exists.
    const results = await Promise.all([finish(token, enrollmentId, code), finish(token, enrollmentId, code)]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.every((result) => result.status < 500)).toBe(true);
    expect(["CODE_INVALID", "CHALLENGE_USED", "STEP_UP_REQUIRED"]).toContain(results.find((result) => !result.ok)?.code);
    expect(await h.db.totpFactor.count({ where: { userId, confirmedAt: { not: null } } })).toBe(1);
    const added = await notices(email, "totp-added");
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ locale: "en", subject: "An authenticator app was added to your account" });
    expect(added[0].text).toContain("/en/settings/security");

    // The ceremonies alone, racing on the one conditional update.
    const other = await emailSignIn(h);
    const racing = await beginEnrollment(h, other.token);
    const racingCode = codeAt(h, racing.secret);
    const raced = await Promise.all([1, 2, 3].map(() => finishDirectly(other.token, racing.enrollmentId, racingCode)));
    expect(raced.filter((result) => result.ok)).toHaveLength(1);
    for (const lost of raced.filter((result) => !result.ok)) expect(["CODE_INVALID", "CHALLENGE_USED"]).toContain(lost.code);

    expect(await h.db.totpFactor.count({ where: { confirmedAt: { not: null } } })).toBe(2);
    expect(await h.db.outboxMessage.count({ where: { template: "totp-added" } })).toBe(2);
    await h.deps.audit.flush();
    expect(await h.db.authEvent.count({ where: { command: "AUTH.TOTP.ENROLL.FINISH", outcome: "ok" } })).toBe(1);
  });

  it("expires an enrolment ten minutes after it began, by the server's clock, even after a fresh re-confirmation", async () => {
    const { token, email } = await emailSignIn(h);
    const first = await beginEnrollment(h, token);
    h.clock.advanceSeconds(TOTP_ENROLLMENT_TTL_SECONDS);
    // The sign-in is as old as the enrolment: re-confirm by email first, so that only the enrolment's age is at stake.
    const fresh = await reconfirmByEmail(token, email);
    expect(await finish(fresh, first.enrollmentId, codeAt(h, first.secret))).toMatchObject({ status: 410, code: "CHALLENGE_EXPIRED" });

    // A new enrolment works to its last second, and the old one is gone with it.
    const second = await beginEnrollment(h, fresh);
    expect(await finish(fresh, first.enrollmentId, codeAt(h, first.secret))).toMatchObject({ code: "CHALLENGE_INVALID" });
    h.clock.advanceSeconds(TOTP_ENROLLMENT_TTL_SECONDS - 1);
    expect(await finish(fresh, second.enrollmentId, codeAt(h, second.secret))).toMatchObject({ ok: true });
  });

  it("keeps one QR code live: a new enrolment replaces the pending one", async () => {
    const { token } = await emailSignIn(h);
    const first = await beginEnrollment(h, token);
    const second = await beginEnrollment(h, token);
    expect(await finish(token, first.enrollmentId, codeAt(h, first.secret))).toMatchObject({ status: 404, code: "CHALLENGE_INVALID" });
    expect(await finish(token, second.enrollmentId, codeAt(h, second.secret))).toMatchObject({ ok: true });
  });

  it("does not let another account finish an enrolment, even with the right code, nor remove an app", async () => {
    const alice = await emailSignIn(h);
    const bob = await emailSignIn(h);
    const { enrollmentId, secret } = await beginEnrollment(h, alice.token);
    expect(await finish(bob.token, enrollmentId, codeAt(h, secret))).toMatchObject({ status: 404, code: "CHALLENGE_INVALID" });
    expect(await h.db.totpFactor.count({ where: { userId: bob.userId } })).toBe(0);
    expect((await h.db.totpFactor.findUniqueOrThrow({ where: { id: enrollmentId } })).confirmedAt).toBeNull();
    expect(await finish(alice.token, enrollmentId, codeAt(h, secret))).toMatchObject({ ok: true });

    // Bob's session is fresh, so the policy lets him try; his store does not find Alice's app.
    expect(await runCommand(h, "AUTH.TOTP.DELETE", { id: enrollmentId }, { sessionToken: bob.token })).toMatchObject({ code: "NOT_FOUND" });
    expect((await list(bob.token)).data).toEqual({ factors: [] });
    expect(await h.db.totpFactor.count({ where: { id: enrollmentId } })).toBe(1);
    expect(await notices(alice.email, "totp-removed")).toHaveLength(0);
  });

  describe("who may add an app (the policy, before the handler)", () => {
    it("refuses an email sign-in older than ten minutes, and lets an emailed re-confirmation through", async () => {
      const { token, email } = await emailSignIn(h);
      h.clock.advanceSeconds(10 * 60 + 1);
      const denied = await executeCommand(h, "AUTH.TOTP.ENROLL.BEGIN", {}, { sessionToken: token });
      expect(denied).toMatchObject({
        status: 403,
        code: "ACTION_DENIED",
        details: { action: "security.factor.add", reasons: ["reauthentication_required"] },
      });
      expect(await h.db.totpFactor.count()).toBe(0);
      await enrollApp(h, await reconfirmByEmail(token, email));
    });

    it("asks an account with a passkey for a passkey, whatever its email proof", async () => {
      const { token, email } = await emailSignIn(h);
      const phone = await registerPasskey(h, token);
      const emailOnly = (await emailSignIn(h, { email })).token;
      const refused = await executeCommand(h, "AUTH.TOTP.ENROLL.BEGIN", {}, { sessionToken: emailOnly });
      expect(refused).toMatchObject({
        status: 403,
        code: "STEP_UP_REQUIRED",
        details: { action: "security.factor.add", methods: ["passkey"], maxAgeSeconds: 600 },
      });
      await enrollApp(h, await passkeyStepUp(h, emailOnly, phone, "security.factor.add"));
    });

    it("asks an account whose strongest factor is its app for the app, not an email", async () => {
      const { token, email } = await emailSignIn(h);
      await enrollApp(h, token);
      // The same fresh email session that added the first app cannot add a second.
      const again = await executeCommand(h, "AUTH.TOTP.ENROLL.BEGIN", {}, { sessionToken: token });
      expect(again).toMatchObject({ code: "STEP_UP_REQUIRED", details: { methods: ["totp"] } });
      const fresh = (await emailSignIn(h, { email })).token;
      expect(await executeCommand(h, "AUTH.TOTP.ENROLL.BEGIN", {}, { sessionToken: fresh })).toMatchObject({ code: "STEP_UP_REQUIRED" });
    });

    it("asks again at the finish: a passkey added meanwhile raises what finishing needs", async () => {
      const { token } = await emailSignIn(h);
      const { enrollmentId, secret } = await beginEnrollment(h, token);
      await registerPasskey(h, token);
      const refused = await executeCommand(h, "AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: codeAt(h, secret) }, { sessionToken: token });
      expect(refused).toMatchObject({ code: "STEP_UP_REQUIRED", details: { methods: ["passkey"] } });
      expect(await h.db.totpFactor.findUniqueOrThrow({ where: { id: enrollmentId } })).toMatchObject({ confirmedAt: null });
    });

    it("needs a session", async () => {
      expect(await runCommand(h, "AUTH.TOTP.ENROLL.BEGIN", {})).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
    });
  });

  it("refuses malformed inputs with VALIDATION_FAILED (400), including any time the client would supply, counting none as a guess", async () => {
    const { token } = await emailSignIn(h);
    const { enrollmentId, secret } = await beginEnrollment(h, token);
    const code = codeAt(h, secret);
    const at = h.clock.now().toISOString();
    const malformed: [string, unknown][] = [
      ["AUTH.TOTP.ENROLL.BEGIN", { at }],
      ["AUTH.TOTP.ENROLL.BEGIN", { secret: "JBSWY3DPEHPK3PXP" }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code, at }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code, timestamp: Date.now() }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId }],
      ["AUTH.TOTP.ENROLL.FINISH", { code }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId: "not-an-id", code }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: "" }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: Number(code) }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: null }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: [code] }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: { code } }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: code.slice(0, 5) }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: `${code}0` }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: "12345a" }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: "abcdef" }],
      // Full-width and Arabic-Indic digits are not ASCII digits: refused, not converted.
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: code.replace(/[0-9]/g, (digit) => String.fromCharCode(0xff10 + Number(digit))) }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: code.replace(/[0-9]/g, (digit) => String.fromCharCode(0x0660 + Number(digit))) }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: "1".repeat(10_000) }],
      ["AUTH.TOTP.LIST", { at }],
      ["AUTH.TOTP.LIST", { userId: "someone" }],
      ["AUTH.TOTP.DELETE", {}],
      ["AUTH.TOTP.DELETE", { id: "not-an-id" }],
      ["AUTH.TOTP.DELETE", { id: "../etc" }],
      ["AUTH.TOTP.DELETE", { id: enrollmentId, at }],
    ];
    for (const [command, params] of malformed) {
      expect(await runCommand(h, command, params, { sessionToken: token }), `${command} ${JSON.stringify(params).slice(0, 80)}`).toMatchObject({
        status: 400,
        code: "VALIDATION_FAILED",
      });
    }
    // Nothing was counted against the enrolment: the code as an app shows it ("123 456") still confirms.
    expect(await h.db.totpFactor.findUniqueOrThrow({ where: { id: enrollmentId } })).toMatchObject({ failedAttempts: 0 });
    expect(await finish(token, enrollmentId, `${code.slice(0, 3)} ${code.slice(3)}`)).toMatchObject({ ok: true });
  });
});
