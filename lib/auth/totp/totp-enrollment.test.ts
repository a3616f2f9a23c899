import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CommandContext } from "../core/command-types";
import { auditRowOf, type AuditEvent } from "../core/audit";
import { execute } from "../core/execute";
import { findActiveSession } from "../core/sessions";
import { PROVIDERS, commandContext, createHarness, runCommand, signInByEmail, wrongCode, type Harness } from "../testing/harness";
import { TOTP_LOCK_SECONDS } from "./totp-attempts";
import { secretFromManualKey, totpCodeAt } from "./totp-code";
import { TOTP_ENROLLMENT_TTL_SECONDS, finishTotpEnrollment } from "./totp-enrollment";
import { openFactorSecret } from "./totp-factor-secret";
import { verifyTotpCode } from "./totp-verification";

/**
 * Adding, listing and removing an authenticator app through the commands,
 * on the real database, policy and outbox: the secret is sealed at rest and
 * never listed, a code is accepted once and only within ±1 step of the
 * server's clock, guesses lock, races have one winner, another account's
 * enrolment or app is not found, and every change is emailed to the account.
 */
/** An event for a ceremony called directly; a refused ceremony never writes it. */
const unusedEvent: AuditEvent = {
  at: new Date(0),
  command: "TEST.DIRECT",
  outcome: "ok",
  errorCode: null,
  userId: null,
  sessionId: null,
  ipPrefix: null,
  country: null,
  deviceClass: null,
  latencyMs: 0,
  details: {},
};

describe.each(PROVIDERS)("authenticator-app enrolment on %s", (provider) => {
  let h: Harness;
  let people = 0;
  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  const run = (command: string, params: unknown, ctx: Partial<CommandContext> = {}) => runCommand(h, command, params, ctx);

  /** A new person signed in by email just now (the fresh proof that may add a first strong factor). */
  async function person() {
    const email = `totp-person-${++people}@example.com`;
    const token = await signInByEmail(h, email);
    const user = await h.db.user.findUniqueOrThrow({ where: { email } });
    return { email, token, userId: user.id };
  }

  /** BEGIN, and the secret as a phone that scanned the QR code holds it. */
  async function begin(token: string) {
    const begun = await run("AUTH.TOTP.ENROLL.BEGIN", {}, { sessionToken: token });
    expect(begun).toMatchObject({ ok: true });
    const secret = secretFromManualKey(begun.data.secret as string);
    if (!secret) throw new Error("BEGIN answered no readable manual key");
    const enrollmentId = begun.data.enrollmentId as string;
    return { enrollmentId, secret, otpauthUri: begun.data.otpauthUri as string, code: (at = h.clock.now()) => totpCodeAt(secret, at) };
  }

  const finish = (token: string, enrollmentId: string, code: unknown) =>
    run("AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code }, { sessionToken: token });

  /** A person with one confirmed app, and the code function of its secret. */
  async function personWithApp() {
    const someone = await person();
    const enrolment = await begin(someone.token);
    expect(await finish(someone.token, enrolment.enrollmentId, enrolment.code())).toMatchObject({ ok: true });
    return { ...someone, app: enrolment };
  }

  const notices = (to: string, template: string) => h.db.outboxMessage.findMany({ where: { to, template } });

  it("enrols an app with a code from its secret, seals the secret at rest, lists it without it, and emails the account", async () => {
    const { email, token, userId } = await person();
    const { enrollmentId, secret, otpauthUri, code } = await begin(token);

    const uri = new URL(otpauthUri);
    expect(uri.protocol).toBe("otpauth:");
    expect(decodeURIComponent(uri.pathname)).toBe(`/Trustladder:${email}`);
    expect(uri.searchParams.get("issuer")).toBe("Trustladder");
    // The QR code and the manual key carry the same secret.
    expect(secretFromManualKey(uri.searchParams.get("secret") ?? "")).toEqual(secret);

    // At rest: the sealed form only, bound to its row; neither the manual key nor the bytes.
    const row = await h.db.totpFactor.findUniqueOrThrow({ where: { id: enrollmentId } });
    expect(row).toMatchObject({ userId, confirmedAt: null });
    expect(row.secretSealed).toMatch(/^v1\./);
    const base32 = uri.searchParams.get("secret") as string;
    for (const plain of [base32, base32.toLowerCase(), Buffer.from(secret).toString("hex"), Buffer.from(secret).toString("base64url"), Buffer.from(secret).toString("base64")]) {
      expect(row.secretSealed).not.toContain(plain);
    }
    expect(openFactorSecret(h.deps, row)).toEqual(secret);
    // A pending enrolment is not an app yet.
    expect((await run("AUTH.TOTP.LIST", {}, { sessionToken: token })).data).toEqual({ factors: [] });

    const finished = await finish(token, enrollmentId, code());
    expect(finished).toMatchObject({ ok: true, data: { factor: { id: enrollmentId, createdAt: row.createdAt.toISOString() } } });
    expect((await h.db.totpFactor.findUniqueOrThrow({ where: { id: enrollmentId } })).confirmedAt).not.toBeNull();

    const listed = await run("AUTH.TOTP.LIST", {}, { sessionToken: token });
    const factors = listed.data.factors as Record<string, unknown>[];
    expect(factors).toHaveLength(1);
    // Exactly these four fields: never the sealed secret.
    expect(Object.keys(factors[0]).sort()).toEqual(["createdAt", "id", "lastUsedAt", "name"]);
    expect(factors[0]).toMatchObject({ id: enrollmentId, name: "", createdAt: row.createdAt.toISOString() });
    expect(typeof factors[0].lastUsedAt).toBe("string");
    const answered = JSON.stringify(listed.data);
    expect(answered).not.toContain("secretSealed");
    expect(answered).not.toContain(row.secretSealed);

    const [notice] = await notices(email, "totp-added");
    expect(notice).toMatchObject({ to: email, locale: "en", subject: "An authenticator app was added to your account" });
    expect(notice.text).toContain("/en/settings/security");

    // The audit events name ids, never the secret or the code.
    await h.deps.audit.flush();
    const events = await h.db.authEvent.findMany({ where: { command: { startsWith: "AUTH.TOTP." } } });
    expect(events.map((event) => `${event.command} ${event.outcome}`).sort()).toEqual([
      "AUTH.TOTP.ENROLL.BEGIN ok",
      "AUTH.TOTP.ENROLL.FINISH ok",
      "AUTH.TOTP.LIST ok",
      "AUTH.TOTP.LIST ok",
    ]);
    const finishEvent = events.find((event) => event.command === "AUTH.TOTP.ENROLL.FINISH");
    expect(JSON.parse(finishEvent?.details ?? "{}")).toMatchObject({ totpFactorId: enrollmentId });
    for (const event of events) {
      expect(event.details).not.toContain(base32);
      expect(event.details).not.toContain(row.secretSealed);
    }
  });

  it("accepts a code once: the same code again neither finishes the enrolment again nor proves anything", async () => {
    const { token, userId } = await person();
    const { enrollmentId, code } = await begin(token);
    const first = code();
    expect(await finish(token, enrollmentId, first)).toMatchObject({ ok: true });
    // The account now has a strong factor, so the policy stands first: a step-up with it.
    expect(await finish(token, enrollmentId, first)).toMatchObject({ ok: false, code: "STEP_UP_REQUIRED" });
    // Past the policy, the ceremony itself finds no enrolment left to finish.
    const session = await findActiveSession(h.deps.store.sessions, h.clock, token);
    if (!session) throw new Error("no session");
    const again = await finishTotpEnrollment(h.deps, {
      session,
      enrollmentId,
      code: first,
      locale: "en",
      context: commandContext().request,
      auditRow: () => auditRowOf({ ...unusedEvent, at: h.clock.now() }),
    });
    expect(again).toMatchObject({ ok: false, code: expect.stringMatching(/^CHALLENGE_(USED|INVALID)$/) });
    // The app's step is used: the same six digits are no proof either.
    expect(await verifyTotpCode(h.deps, { userId, code: first })).toMatchObject({ ok: false, code: "CODE_INVALID" });
    expect(await h.db.totpFactor.count({ where: { userId, confirmedAt: { not: null } } })).toBe(1);
  });

  it("takes the next step's code, and refuses codes two steps either side of the server's clock", async () => {
    const { token } = await person();
    const { enrollmentId, code } = await begin(token);
    const now = h.clock.now();
    const at = (steps: number) => new Date(now.getTime() + steps * 30_000);

    // The phone's clock two steps ahead, then two behind (a code shown a minute ago).
    expect(await finish(token, enrollmentId, code(at(2)))).toMatchObject({ code: "CODE_INVALID" });
    const shownEarlier = code();
    h.clock.advanceSeconds(60);
    expect(await finish(token, enrollmentId, shownEarlier)).toMatchObject({ code: "CODE_INVALID" });
    expect(await finish(token, enrollmentId, code(at(0)))).toMatchObject({ code: "CODE_INVALID" });
    // One step ahead of the server is within the window.
    expect(await finish(token, enrollmentId, code(at(3)))).toMatchObject({ ok: true });
  });

  it("locks an enrolment after five wrong codes; the lock ends with the clock", async () => {
    const { token } = await person();
    const { enrollmentId, code } = await begin(token);
    const right = code();
    const answers = [];
    for (let attempt = 1; attempt <= 5; attempt++) answers.push((await finish(token, enrollmentId, wrongCode(right, attempt))).code);
    expect(answers.slice(0, 4)).toEqual(["CODE_INVALID", "CODE_INVALID", "CODE_INVALID", "CODE_INVALID"]);
    expect(["CODE_INVALID", "CODE_LOCKED"]).toContain(answers[4]);

    // The right code is not even compared while locked.
    const locked = await execute(h.deps, "AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: right }, commandContext({ sessionToken: token }));
    expect(locked.envelope.error?.code).toBe("CODE_LOCKED");
    expect(locked.retryAfterSeconds).toBeGreaterThan(TOTP_LOCK_SECONDS - 5);
    expect(locked.retryAfterSeconds).toBeLessThanOrEqual(TOTP_LOCK_SECONDS);
    expect((await h.db.totpFactor.findUniqueOrThrow({ where: { id: enrollmentId } })).confirmedAt).toBeNull();

    // A confirmed app locks the same way, and opens again once the lock's time has passed.
    const other = await personWithApp();
    h.clock.advanceSeconds(30);
    const good = other.app.code();
    for (let attempt = 1; attempt <= 5; attempt++) await verifyTotpCode(h.deps, { userId: other.userId, code: wrongCode(good, attempt) });
    expect(await verifyTotpCode(h.deps, { userId: other.userId, code: good })).toMatchObject({ ok: false, code: "CODE_LOCKED" });
    h.clock.advanceSeconds(TOTP_LOCK_SECONDS);
    expect(await verifyTotpCode(h.deps, { userId: other.userId, code: other.app.code() })).toMatchObject({ ok: true });
  });

  it("of two FINISH requests racing with the same right code, exactly one succeeds", async () => {
    const { email, token, userId } = await person();
    const { enrollmentId, code } = await begin(token);
    const right = code();
    const results = await Promise.all([finish(token, enrollmentId, right), finish(token, enrollmentId, right)]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.every((result) => result.status < 500)).toBe(true);
    expect(await h.db.totpFactor.count({ where: { userId, confirmedAt: { not: null } } })).toBe(1);
    expect(await notices(email, "totp-added")).toHaveLength(1);
  });

  it("refuses an enrolment past its lifetime, even after a fresh re-confirmation", async () => {
    const { email, token } = await person();
    const { enrollmentId, code } = await begin(token);
    h.clock.advanceSeconds(TOTP_ENROLLMENT_TTL_SECONDS + 1);
    // The sign-in is now too old to add a factor: re-confirm by email first, so that only the enrolment's age is at stake.
    const requested = await run("AUTH.REAUTH.REQUEST", {}, { sessionToken: token });
    expect(requested.ok).toBe(true);
    const message = await h.db.outboxMessage.findFirstOrThrow({ where: { to: email, template: "reauth-code" } });
    const emailed = message.text.match(/^\s*([0-9]{6})\s*$/m)?.[1];
    const verified = await run("AUTH.REAUTH.VERIFY", { challengeId: requested.data.challengeId, code: emailed }, { sessionToken: token });
    expect(verified.ok).toBe(true);
    const fresh = verified.data.sessionToken as string;

    expect(await finish(fresh, enrollmentId, code())).toMatchObject({ code: "CHALLENGE_EXPIRED" });
    // A new enrolment works, and the old one is gone with it.
    const again = await begin(fresh);
    expect(await finish(fresh, enrollmentId, code())).toMatchObject({ code: "CHALLENGE_INVALID" });
    expect(await finish(fresh, again.enrollmentId, again.code())).toMatchObject({ ok: true });
  });

  it("does not let another account finish an enrolment or remove an app", async () => {
    const alice = await person();
    const bob = await person();
    const enrolment = await begin(alice.token);
    // Even with the right code: the enrolment is not Bob's.
    expect(await finish(bob.token, enrolment.enrollmentId, enrolment.code())).toMatchObject({ code: "CHALLENGE_INVALID" });
    expect((await h.db.totpFactor.findUniqueOrThrow({ where: { id: enrolment.enrollmentId } })).confirmedAt).toBeNull();
    expect(await finish(alice.token, enrolment.enrollmentId, enrolment.code())).toMatchObject({ ok: true });

    // Bob's session is fresh, so the policy lets him try; his store does not find Alice's app.
    expect(await run("AUTH.TOTP.DELETE", { id: enrolment.enrollmentId }, { sessionToken: bob.token })).toMatchObject({ code: "NOT_FOUND" });
    expect((await run("AUTH.TOTP.LIST", {}, { sessionToken: bob.token })).data).toEqual({ factors: [] });
    expect(await h.db.totpFactor.count({ where: { id: enrolment.enrollmentId } })).toBe(1);
    expect(await notices(alice.email, "totp-removed")).toHaveLength(0);
  });

  it("refuses to start an enrolment on an email sign-in older than ten minutes", async () => {
    const { token, userId } = await person();
    h.clock.advanceSeconds(10 * 60 + 1);
    const refused = await execute(h.deps, "AUTH.TOTP.ENROLL.BEGIN", {}, commandContext({ sessionToken: token }));
    expect(refused.envelope.ok).toBe(false);
    expect(refused.envelope.error).toMatchObject({
      code: "ACTION_DENIED",
      details: { action: "security.factor.add", reasons: ["reauthentication_required"] },
    });
    expect(await h.db.totpFactor.count({ where: { userId } })).toBe(0);
  });

  it("refuses extra fields (no client-supplied time) and malformed codes as values, never a server error", async () => {
    const { token } = await person();
    const { enrollmentId, code } = await begin(token);
    const at = new Date(h.clock.now().getTime() + 90_000).toISOString();
    expect(await run("AUTH.TOTP.ENROLL.BEGIN", { at }, { sessionToken: token })).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await run("AUTH.TOTP.ENROLL.FINISH", { enrollmentId, code: code(), at }, { sessionToken: token })).toMatchObject({
      code: "VALIDATION_FAILED",
    });
    expect(await run("AUTH.TOTP.LIST", { at }, { sessionToken: token })).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await run("AUTH.TOTP.DELETE", { id: enrollmentId, at }, { sessionToken: token })).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await run("AUTH.TOTP.DELETE", { id: "not-an-id" }, { sessionToken: token })).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await run("AUTH.TOTP.ENROLL.FINISH", { enrollmentId: "not-an-id", code: code() }, { sessionToken: token })).toMatchObject({
      code: "VALIDATION_FAILED",
    });

    const good = code();
    const malformed: unknown[] = [
      "",
      good.slice(1),
      `${good}0`,
      "12345a",
      "abcdef",
      // Full-width and Arabic-Indic digits are refused, not converted.
      good.replace(/[0-9]/g, (digit) => String.fromCharCode(0xff10 + Number(digit))),
      good.replace(/[0-9]/g, (digit) => String.fromCharCode(0x0660 + Number(digit))),
      "9".repeat(10_000),
      Number(good),
      null,
      ["123456"],
      { code: good },
    ];
    for (const value of malformed) {
      const answer = await finish(token, enrollmentId, value);
      expect(answer.ok).toBe(false);
      expect(["VALIDATION_FAILED", "CODE_INVALID"]).toContain(answer.code);
    }
    // None of that counted as a guess: the code as an app shows it ("123 456") still confirms.
    expect(await finish(token, enrollmentId, `${good.slice(0, 3)} ${good.slice(3)}`)).toMatchObject({ ok: true });
  });

  it("removes an app after a step-up with it, and emails the account", async () => {
    const { email, token, app } = await personWithApp();
    // The account now has a strong factor: removing one needs a fresh proof with it, not the email sign-in.
    const refused = await execute(h.deps, "AUTH.TOTP.DELETE", { id: app.enrollmentId }, commandContext({ sessionToken: token }));
    expect(refused.envelope.error).toMatchObject({ code: "STEP_UP_REQUIRED", details: { action: "security.factor.remove", methods: ["totp"] } });

    h.clock.advanceSeconds(30);
    const begun = await run("AUTH.STEP_UP.BEGIN", { action: "security.factor.remove", method: "totp" }, { sessionToken: token });
    expect(begun.ok).toBe(true);
    const granted = await run("AUTH.STEP_UP.VERIFY", { challengeId: begun.data.challengeId, code: app.code() }, { sessionToken: token });
    expect(granted).toMatchObject({ ok: true });
    const stepped = granted.data.sessionToken as string;

    const deleted = await run("AUTH.TOTP.DELETE", { id: app.enrollmentId }, { sessionToken: stepped });
    expect(deleted).toMatchObject({ ok: true, data: { deleted: true } });
    expect((await run("AUTH.TOTP.LIST", {}, { sessionToken: stepped })).data).toEqual({ factors: [] });
    expect(await h.db.totpFactor.count({ where: { id: app.enrollmentId } })).toBe(0);
    const [notice] = await notices(email, "totp-removed");
    expect(notice).toMatchObject({ to: email, subject: "An authenticator app was removed from your account" });
    // Removed once: a second removal finds nothing.
    expect(await run("AUTH.TOTP.DELETE", { id: app.enrollmentId }, { sessionToken: stepped })).toMatchObject({ ok: false });
  });
});
