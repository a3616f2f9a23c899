import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditRowOf } from "../core/audit";
import { RATE_LIMITS } from "../core/rate-limits";
import { findActiveSession } from "../core/sessions";
import { PROVIDERS, createHarness, requestContext, wrongCode, type Harness } from "../testing/harness";
import { TOTP_LOCK_SECONDS, TOTP_MAX_WRONG_CODES } from "./totp-attempts";
import { TOTP_PERIOD_SECONDS, secretFromManualKey } from "./totp-code";
import { beginTotpEnrollment, finishTotpEnrollment } from "./totp-enrollment";
import { codeAt, emailSignIn, enrollApp } from "./totp-test-support";
import { verifyTotpCode } from "./totp-verification";

/**
 * The code check a step-up makes (verifyTotpCode), on every provider: the
 * server's clock and ±1 step only, each code once, five wrong codes lock an
 * app for fifteen minutes, and the account's proof-failure limit is asked
 * before any code is compared.
 */
describe.each(PROVIDERS)("authenticator-app codes on %s", (provider) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  const verify = (userId: string, code: string) => verifyTotpCode(h.deps, { userId, code });
  const row = (id: string) => h.db.totpFactor.findUniqueOrThrow({ where: { id } });
  const usedPoints = (userId: string) => h.deps.limits.used("proofFailuresPerUser", userId);

  /** A person with one app, enrolled a few minutes ago so that older steps than the enrolment's are in play. */
  async function personWithApp() {
    const person = await emailSignIn(h);
    const app = await enrollApp(h, person.token);
    h.clock.advanceSeconds(5 * 60);
    return { ...person, app };
  }

  /** A second app for the same account, through the ceremonies (the commands would ask for a step-up first). */
  async function secondApp(token: string) {
    const session = await findActiveSession(h.deps.store.sessions, h.clock, token);
    if (!session) throw new Error("no session");
    const begun = await beginTotpEnrollment(h.deps, { session });
    if (!begun.ok) throw new Error(begun.code);
    const secret = secretFromManualKey(begun.value.secret) as Uint8Array;
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

  it("accepts the current code once, names the app, and gives back the attempt it counted", async () => {
    const { userId, app } = await personWithApp();
    const code = codeAt(h, app.secret);
    expect(await verify(userId, code)).toEqual({ ok: true, value: { factorId: app.id } });
    expect(await row(app.id)).toMatchObject({ lastUsedAt: h.clock.now(), failedAttempts: 0 });
    expect(await usedPoints(userId)).toBe(0);
    // Replayed: refused, and counted as any wrong code.
    expect(await verify(userId, code)).toMatchObject({ ok: false, code: "CODE_INVALID" });
    expect(await row(app.id)).toMatchObject({ failedAttempts: 1 });
  });

  it("accepts the steps either side of the server's, not two away, and never an older one after a newer", async () => {
    const { userId, app } = await personWithApp();
    expect(await verify(userId, codeAt(h, app.secret, 2))).toMatchObject({ code: "CODE_INVALID" });
    expect(await verify(userId, codeAt(h, app.secret, -2))).toMatchObject({ code: "CODE_INVALID" });
    expect(await verify(userId, codeAt(h, app.secret, -1))).toMatchObject({ ok: true });
    expect(await verify(userId, codeAt(h, app.secret, 1))).toMatchObject({ ok: true });
    // T+1 was accepted: the current code is now older than the last one used.
    expect(await verify(userId, codeAt(h, app.secret, 0))).toMatchObject({ code: "CODE_INVALID" });
    h.clock.advanceSeconds(3 * TOTP_PERIOD_SECONDS);
    expect(await verify(userId, codeAt(h, app.secret, 0))).toMatchObject({ ok: true });
  });

  it("reads the code as a person types it, and refuses what is not six ASCII digits uncounted", async () => {
    const { userId, app } = await personWithApp();
    const code = codeAt(h, app.secret);
    for (const typo of ["", "12345", "1234567", "12345a", "１２３４５６", "١٢٣٤٥٦", `${code}\u0000`, "x".repeat(10_000)]) {
      expect(await verify(userId, typo)).toMatchObject({ ok: false, code: "CODE_INVALID" });
    }
    expect(await row(app.id)).toMatchObject({ failedAttempts: 0 });
    expect(await usedPoints(userId)).toBe(0);
    expect(await verify(userId, ` ${code.slice(0, 3)} ${code.slice(3)}\n`)).toMatchObject({ ok: true });
  });

  it("locks an app after five wrong codes for fifteen minutes, then takes its codes again", async () => {
    const { userId, app } = await personWithApp();
    const code = codeAt(h, app.secret);
    for (let attempt = 1; attempt < TOTP_MAX_WRONG_CODES; attempt++) {
      expect(await verify(userId, wrongCode(code, attempt))).toMatchObject({ code: "CODE_INVALID" });
    }
    expect(await verify(userId, wrongCode(code, 9))).toEqual({ ok: false, code: "CODE_LOCKED", retryAfterSeconds: TOTP_LOCK_SECONDS });
    // Locked: the right code is not even compared, nor counted against the account.
    const points = await usedPoints(userId);
    const { lastUsedStep } = await row(app.id);
    h.clock.advanceSeconds(TOTP_LOCK_SECONDS - 60);
    expect(await verify(userId, codeAt(h, app.secret))).toEqual({ ok: false, code: "CODE_LOCKED", retryAfterSeconds: 60 });
    expect(await usedPoints(userId)).toBe(points);
    expect(await row(app.id)).toMatchObject({ lastUsedStep });
    h.clock.advanceSeconds(60);
    expect(await verify(userId, codeAt(h, app.secret))).toEqual({ ok: true, value: { factorId: app.id } });
  });

  it("tries every unlocked app, counts a wrong code against each, and is locked only when all are", async () => {
    const { userId, token, app: first } = await personWithApp();
    const second = await secondApp(token);
    h.clock.advanceSeconds(2 * TOTP_PERIOD_SECONDS);
    expect(await verify(userId, codeAt(h, second.secret))).toEqual({ ok: true, value: { factorId: second.id } });
    expect(await verify(userId, codeAt(h, first.secret))).toEqual({ ok: true, value: { factorId: first.id } });

    // The first app locks on its own (its count was given a head start); the second still answers.
    await h.db.totpFactor.update({ where: { id: first.id }, data: { failedAttempts: TOTP_MAX_WRONG_CODES - 1 } });
    h.clock.advanceSeconds(2 * TOTP_PERIOD_SECONDS);
    expect(await verify(userId, wrongCode(codeAt(h, first.secret)))).toMatchObject({ code: "CODE_INVALID" });
    expect((await row(first.id))?.lockedUntil).toBeInstanceOf(Date);
    expect(await row(second.id)).toMatchObject({ failedAttempts: 1, lockedUntil: null });
    expect(await verify(userId, codeAt(h, first.secret))).toMatchObject({ code: "CODE_INVALID" });
    expect(await verify(userId, codeAt(h, second.secret))).toEqual({ ok: true, value: { factorId: second.id } });

    // Both locked: the answer says when the first of them takes codes again.
    await h.db.totpFactor.update({ where: { id: second.id }, data: { lockedUntil: new Date(h.clock.now().getTime() + 120_000) } });
    expect(await verify(userId, codeAt(h, second.secret, 1))).toEqual({ ok: false, code: "CODE_LOCKED", retryAfterSeconds: 120 });
  });

  it("answers RATE_LIMITED before comparing once the account's proof failures are used up", async () => {
    const { userId, app } = await personWithApp();
    for (let point = 0; point < RATE_LIMITS.proofFailuresPerUser.points; point++) {
      await h.deps.limits.consume("proofFailuresPerUser", userId);
    }
    const before = await row(app.id);
    const limited = await verify(userId, codeAt(h, app.secret));
    expect(limited).toMatchObject({ ok: false, code: "RATE_LIMITED" });
    expect(limited.ok ? 0 : limited.retryAfterSeconds).toBeGreaterThan(0);
    // Not compared: the right code was neither accepted nor counted wrong.
    expect(await row(app.id)).toMatchObject({ lastUsedStep: before.lastUsedStep, failedAttempts: 0 });
  });

  it("counts each wrong code once against the account, as a risk signal", async () => {
    const { userId, app } = await personWithApp();
    await verify(userId, wrongCode(codeAt(h, app.secret)));
    await verify(userId, wrongCode(codeAt(h, app.secret), 2));
    expect(await usedPoints(userId)).toBe(2);
  });

  it("gives one of parallel checks of the same code the proof", async () => {
    const { userId, app } = await personWithApp();
    const code = codeAt(h, app.secret);
    const results = await Promise.all([1, 2, 3].map(() => verify(userId, code)));
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    for (const lost of results.filter((result) => !result.ok)) expect(lost).toMatchObject({ code: "CODE_INVALID" });
  });

  it("knows only the account's own confirmed apps", async () => {
    const alice = await personWithApp();
    const bob = await emailSignIn(h);
    // Bob has no app: nothing to compare, and Alice's code proves nothing about him.
    expect(await verify(bob.userId, codeAt(h, alice.app.secret))).toMatchObject({ ok: false, code: "CODE_INVALID" });
    // A pending enrolment is not an app yet.
    const session = await findActiveSession(h.deps.store.sessions, h.clock, bob.token);
    const pending = await beginTotpEnrollment(h.deps, { session: session as NonNullable<typeof session> });
    const pendingSecret = pending.ok ? (secretFromManualKey(pending.value.secret) as Uint8Array) : new Uint8Array();
    expect(await verify(bob.userId, codeAt(h, pendingSecret))).toMatchObject({ ok: false, code: "CODE_INVALID" });
    expect(await verify(alice.userId, codeAt(h, alice.app.secret))).toMatchObject({ ok: true });
  });

  it("skips an app whose sealed secret does not open (altered, or another row's)", async () => {
    const { userId, token, app: first } = await personWithApp();
    const second = await secondApp(token);
    const { secretSealed } = await row(second.id);
    // The second app's ciphertext copied into the first row: bound to its own row, it does not open there.
    await h.db.totpFactor.update({ where: { id: first.id }, data: { secretSealed } });
    h.clock.advanceSeconds(2 * TOTP_PERIOD_SECONDS);
    expect(await verify(userId, codeAt(h, first.secret))).toMatchObject({ ok: false, code: "CODE_INVALID" });
    expect(await verify(userId, codeAt(h, second.secret))).toEqual({ ok: true, value: { factorId: second.id } });
  });
});
