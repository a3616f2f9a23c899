import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditRowOf, type AuditEvent } from "../core/audit";
import { findActiveSession } from "../core/sessions";
import { PROVIDERS, TEST_TOTP_KEY, createHarness, requestContext, runCommand, wrongCode, type Harness } from "../testing/harness";
import { openTotpSecret } from "./secret-box";
import { TOTP_LOCK_SECONDS, TOTP_MAX_WRONG_CODES } from "./totp-attempts";
import { base32Secret } from "./totp-code";
import { TOTP_ENROLLMENT_TTL_SECONDS, finishTotpEnrollment } from "./totp-enrollment";
import { totpAssociatedData } from "./totp-factor-secret";
import { beginEnrollment, codeAt, emailSignIn, enrollApp, executeCommand, passkeyReauth, registerPasskey } from "./totp-test-support";

/**
 * Adding an authenticator app through the commands, on every provider:
 * the secret is shown once and stored sealed, the first code confirms it
 * (once), the enrolment belongs to its account and expires, wrong codes
 * lock it, the inputs are strict (no client-supplied time), and the policy
 * decides who may start at all.
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

describe.each(PROVIDERS)("authenticator-app enrolment commands on %s", (provider) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  const finish = (sessionToken: string, enrollmentId: string, code: string) =>
    runCommand(h, "AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code }, { sessionToken });

  /** The ceremony without the command around it (and so without the policy's guard). */
  async function finishDirectly(sessionToken: string, enrollmentId: string, code: string) {
    const session = await findActiveSession(h.deps.store.sessions, h.clock, sessionToken);
    if (!session) throw new Error("no session");
    const auditRow = () => auditRowOf({ ...directEvent, at: h.clock.now(), userId: session.user.id });
    return finishTotpEnrollment(h.deps, { session, enrollmentId, code, locale: "en", context: requestContext(), auditRow });
  }

  it("enrols an app with a code computed from the manual key, and emails the account in its language", async () => {
    const { token, email } = await emailSignIn(h, { locale: "es" });
    const { enrollmentId, secret, data } = await beginEnrollment(h, token);
    // The manual key in groups of four, and the URI the QR code carries, naming the issuer and the account.
    expect(data.secret).toBe(base32Secret(secret));
    expect(data.secret).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    const uri = new URL(data.otpauthUri as string);
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("issuer")).toBe("Trustladder");
    expect(uri.searchParams.get("secret")).toBe((data.secret as string).replaceAll(" ", ""));
    expect(decodeURIComponent(uri.pathname)).toBe(`/Trustladder:${email}`);

    // Typed the way the app shows it, "123 456".
    const code = codeAt(h, secret);
    const finished = await finish(token, enrollmentId, `${code.slice(0, 3)} ${code.slice(3)}`);
    expect(finished).toMatchObject({ ok: true, data: { factor: { id: enrollmentId, createdAt: h.clock.now().toISOString() } } });
    expect(Object.keys(finished.data)).toEqual(["factor"]);

    const listed = await runCommand(h, "AUTH.TOTP.LIST", {}, { sessionToken: token });
    // Enrolled and first used at the same moment: the clock did not move in between.
    const at = h.clock.now().toISOString();
    expect(listed.data.factors).toEqual([{ id: enrollmentId, name: "", createdAt: at, lastUsedAt: at }]);
    const notice = await h.db.outboxMessage.findFirstOrThrow({ where: { template: "totp-added" } });
    expect(notice).toMatchObject({ to: email, locale: "es", subject: "Se añadió una app de autenticación a tu cuenta" });
    expect(notice.text).toContain("/es/settings/security");
  });

  it("stores the secret sealed for its row: neither the manual key nor the bytes are in the database", async () => {
    const { token, userId } = await emailSignIn(h);
    const { id, secret } = await enrollApp(h, token);
    const row = await h.db.totpFactor.findUniqueOrThrow({ where: { id } });
    const bytes = Buffer.from(secret);
    expect(row.secretSealed).toMatch(/^v1\./);
    const key = base32Secret(secret);
    for (const plain of [key, key.replaceAll(" ", ""), bytes.toString("hex"), bytes.toString("base64"), bytes.toString("base64url")]) {
      expect(row.secretSealed).not.toContain(plain);
    }
    // Opens with the key and this row's binding only.
    const sealed = row.secretSealed;
    expect(openTotpSecret({ key: TEST_TOTP_KEY, sealed, associatedData: totpAssociatedData(userId, id) })).toEqual({ ok: true, secret });
    expect(openTotpSecret({ key: TEST_TOTP_KEY, sealed, associatedData: totpAssociatedData("someone-else", id) })).toMatchObject({ ok: false });
  });

  it("writes audit events that name the enrolment, never the secret or the code, refusals included", async () => {
    const { token } = await emailSignIn(h);
    const { enrollmentId, secret, data } = await beginEnrollment(h, token);
    const code = codeAt(h, secret);
    await finish(token, enrollmentId, wrongCode(code));
    await finish(token, enrollmentId, code);
    await h.deps.audit.flush();
    const events = await h.db.authEvent.findMany({ where: { command: { startsWith: "AUTH.TOTP." } } });
    expect(events.map((event) => [event.command, event.outcome, event.errorCode])).toEqual(
      expect.arrayContaining([
        ["AUTH.TOTP.ENROLL.BEGIN", "ok", null],
        ["AUTH.TOTP.ENROLL.FINISH", "refused", "CODE_INVALID"],
        ["AUTH.TOTP.ENROLL.FINISH", "ok", null],
      ]),
    );
    expect(events).toHaveLength(3);
    for (const event of events) {
      expect(event.details).toContain(enrollmentId);
      for (const secretText of [code, wrongCode(code), (data.secret as string).replaceAll(" ", ""), data.otpauthUri as string]) {
        expect(event.details).not.toContain(secretText);
      }
    }
  });

  it("accepts a code once: finishing again with it, or with a later one, is refused", async () => {
    const { token } = await emailSignIn(h);
    const { enrollmentId, secret } = await beginEnrollment(h, token);
    const code = codeAt(h, secret);
    expect(await finish(token, enrollmentId, code)).toMatchObject({ ok: true });
    // Through the command the policy answers first: the account's strongest factor is now this app.
    expect(await finish(token, enrollmentId, code)).toMatchObject({ status: 403, code: "STEP_UP_REQUIRED" });
    // The ceremony itself refuses it too, whatever proof the session holds.
    expect(await finishDirectly(token, enrollmentId, code)).toMatchObject({ ok: false, code: "CHALLENGE_USED" });
    expect(await finishDirectly(token, enrollmentId, codeAt(h, secret, 1))).toMatchObject({ ok: false, code: "CHALLENGE_USED" });
    expect(await h.db.outboxMessage.count({ where: { template: "totp-added" } })).toBe(1);
  });

  it("gives one of parallel finishes with the same code the app, and emails once", async () => {
    const { token } = await emailSignIn(h);
    const { enrollmentId, secret } = await beginEnrollment(h, token);
    const code = codeAt(h, secret);
    // Through the commands: one wins; a loser is refused by the enrolment, or by the policy once the app exists.
    const results = await Promise.all([finish(token, enrollmentId, code), finish(token, enrollmentId, code)]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(["CODE_INVALID", "CHALLENGE_USED", "STEP_UP_REQUIRED"]).toContain(results.find((result) => !result.ok)?.code);
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

  it("locks the enrolment after five wrong codes: even the right code is refused then", async () => {
    const { token } = await emailSignIn(h);
    const { enrollmentId, secret } = await beginEnrollment(h, token);
    const code = codeAt(h, secret);
    for (let attempt = 1; attempt < TOTP_MAX_WRONG_CODES; attempt++) {
      expect(await finish(token, enrollmentId, wrongCode(code, attempt))).toMatchObject({ status: 400, code: "CODE_INVALID" });
    }
    const locking = await executeCommand(h, "AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: wrongCode(code, 9) }, { sessionToken: token });
    expect(locking).toMatchObject({ status: 403, code: "CODE_LOCKED", retryAfterSeconds: TOTP_LOCK_SECONDS });
    h.clock.advanceSeconds(60);
    const locked = await executeCommand(h, "AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: codeAt(h, secret) }, { sessionToken: token });
    expect(locked).toMatchObject({ code: "CODE_LOCKED", retryAfterSeconds: TOTP_LOCK_SECONDS - 60 });
    expect(await h.db.totpFactor.findUniqueOrThrow({ where: { id: enrollmentId } })).toMatchObject({ confirmedAt: null });
    // A new QR code starts over (the person who enrols holds the secret: there is nothing to guess).
    const again = await beginEnrollment(h, token);
    expect(await finish(token, again.enrollmentId, codeAt(h, again.secret))).toMatchObject({ ok: true });
  });

  it("expires an enrolment ten minutes after it began, by the server's clock", async () => {
    const { token, email } = await emailSignIn(h);
    const { enrollmentId, secret } = await beginEnrollment(h, token);
    h.clock.advanceSeconds(TOTP_ENROLLMENT_TTL_SECONDS);
    // A fresh sign-in of the same person, so that the policy lets the finish through to the enrolment.
    const fresh = (await emailSignIn(h, { email })).token;
    expect(await finish(fresh, enrollmentId, codeAt(h, secret))).toMatchObject({ status: 410, code: "CHALLENGE_EXPIRED" });

    const second = await beginEnrollment(h, fresh);
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

  it("does not let another account finish an enrolment, even with the right code", async () => {
    const alice = await emailSignIn(h);
    const bob = await emailSignIn(h);
    const { enrollmentId, secret } = await beginEnrollment(h, alice.token);
    expect(await finish(bob.token, enrollmentId, codeAt(h, secret))).toMatchObject({ status: 404, code: "CHALLENGE_INVALID" });
    expect(await h.db.totpFactor.count({ where: { userId: bob.userId } })).toBe(0);
    expect(await finish(alice.token, enrollmentId, codeAt(h, secret))).toMatchObject({ ok: true });
  });

  describe("who may add an app (the policy, before the handler)", () => {
    it("refuses an email sign-in older than ten minutes, and lets an emailed re-confirmation through", async () => {
      const { token } = await emailSignIn(h);
      h.clock.advanceSeconds(10 * 60 + 1);
      const denied = await executeCommand(h, "AUTH.TOTP.ENROLL.BEGIN", {}, { sessionToken: token });
      expect(denied).toMatchObject({
        status: 403,
        code: "ACTION_DENIED",
        details: { action: "security.factor.add", reasons: ["reauthentication_required"] },
      });
      expect(await h.db.totpFactor.count()).toBe(0);

      const requested = await runCommand(h, "AUTH.REAUTH.REQUEST", {}, { sessionToken: token });
      const message = await h.db.outboxMessage.findFirstOrThrow({ where: { template: "reauth-code" } });
      const emailed = message.text.match(/^\s*([0-9]{6})\s*$/m)?.[1];
      const verified = await runCommand(h, "AUTH.REAUTH.VERIFY", { challengeId: requested.data.challengeId, code: emailed }, { sessionToken: token });
      expect(verified).toMatchObject({ ok: true });
      await enrollApp(h, verified.data.sessionToken as string);
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
      await enrollApp(h, await passkeyReauth(h, emailOnly, phone));
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

  it("refuses malformed inputs with VALIDATION_FAILED (400), including any time the client would supply", async () => {
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
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: Number(code) }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: null }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: [code] }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: code.slice(0, 5) }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: `${code}0` }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: "12345a" }],
      // Full-width and Arabic-Indic digits are not ASCII digits: refused, not converted.
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: "１２３４５６" }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: "١٢٣٤٥٦" }],
      ["AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: "1".repeat(10_000) }],
      ["AUTH.TOTP.LIST", { userId: "someone" }],
      ["AUTH.TOTP.DELETE", {}],
      ["AUTH.TOTP.DELETE", { id: "../etc" }],
      ["AUTH.TOTP.DELETE", { id: enrollmentId, at }],
    ];
    for (const [command, params] of malformed) {
      expect(await runCommand(h, command, params, { sessionToken: token }), `${command} ${JSON.stringify(params).slice(0, 80)}`).toMatchObject({
        status: 400,
        code: "VALIDATION_FAILED",
      });
    }
    // Nothing was counted against the enrolment, and the right code still works.
    expect(await h.db.totpFactor.findUniqueOrThrow({ where: { id: enrollmentId } })).toMatchObject({ failedAttempts: 0 });
    expect(await finish(token, enrollmentId, code)).toMatchObject({ ok: true });
  });
});
