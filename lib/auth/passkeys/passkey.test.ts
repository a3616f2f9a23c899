import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CommandContext } from "../core/command-types";
import { CHALLENGE_RETENTION_SECONDS, pruneExpiredChallenges } from "../magic-link/challenge-cleanup";
import { WEBAUTHN_CHALLENGE_TTL_SECONDS } from "./webauthn-challenges";
import { RECENT_AUTH_SECONDS } from "../core/recent-auth";
import { PROVIDERS, TEST_BASE_URL, commandContext, createHarness, runCommand, signInByEmail, type Harness } from "../testing/harness";
import { SoftwareAuthenticator, type Overrides } from "../testing/software-authenticator";

describe.each(PROVIDERS)("passkeys on %s", (provider) => {
  let h: Harness;
  let people = 0;
  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  const authenticator = (options: Partial<ConstructorParameters<typeof SoftwareAuthenticator>[0]> = {}) =>
    new SoftwareAuthenticator({ origin: TEST_BASE_URL, rpId: "localhost", ...options });

  const run = (command: string, params: unknown, ctx: Partial<CommandContext> = {}) => runCommand(h, command, params, ctx);

  /** Signs a new person in by email link through the API; returns their session token. */
  const signedInPerson = () => signInByEmail(h, `passkey-person-${++people}@example.com`);

  async function register(sessionToken: string, device: SoftwareAuthenticator, overrides: Overrides = {}, name?: string) {
    const begun = await run("AUTH.PASSKEY.REGISTER.BEGIN", {}, { sessionToken });
    if (!begun.ok) return begun;
    const response = device.register(begun.data.options as never, overrides);
    return run("AUTH.PASSKEY.REGISTER.FINISH", { challengeId: begun.data.challengeId, response, name }, { sessionToken });
  }

  async function beginLogin() {
    const begun = await run("AUTH.PASSKEY.LOGIN.BEGIN", {});
    return { challengeId: begun.data.challengeId as string, options: begun.data.options as never };
  }

  async function login(device: SoftwareAuthenticator, overrides: Overrides = {}) {
    const { challengeId, options } = await beginLogin();
    return run("AUTH.PASSKEY.LOGIN.FINISH", { challengeId, response: device.assert(options, overrides) });
  }

  it("registers a passkey and signs in with it at AAL2", async () => {
    const token = await signedInPerson();
    const device = authenticator({ backupEligible: true, backedUp: true });
    const registered = await register(token, device, {}, "My phone");
    expect(registered).toMatchObject({ ok: true, data: { passkey: { name: "My phone", backedUp: true } } });

    const signedIn = await login(device);
    expect(signedIn).toMatchObject({ ok: true, status: 200 });
    const session = await run("AUTH.SESSION.GET", {}, { sessionToken: signedIn.data.sessionToken as string });
    expect(session.data).toMatchObject({ session: { aal: 2, methods: [{ method: "passkey" }] } });

    const listed = await run("AUTH.PASSKEY.LIST", {}, { sessionToken: token });
    expect(listed.data.passkeys).toEqual([expect.objectContaining({ name: "My phone", synced: true, lastUsedAt: expect.any(String) })]);
  });

  it("asks for a fresh confirmation before adding a passkey to an old session", async () => {
    const token = await signedInPerson();
    h.clock.advanceSeconds(RECENT_AUTH_SECONDS + 1);
    // No strong factor yet: the policy refuses until a recent sign-in or emailed code (reauthentication_required).
    expect(await register(token, authenticator())).toMatchObject({ status: 403, code: "ACTION_DENIED" });
    expect(await h.db.passkey.count()).toBe(0);
  });

  it.each([
    ["another site's origin", { origin: "http://evil.test" }],
    ["a lookalike subdomain", { origin: "http://localhost.evil.test:3000" }],
    ["another RP ID", { rpId: "evil.test" }],
    ["no user verification", { userVerified: false }],
    ["backup state without backup eligibility", { backedUp: true, backupEligible: false }],
    ["a sign-in response's type", { type: "webauthn.get" }],
    ["another challenge", { challenge: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }],
  ])("refuses a registration with %s, storing nothing", async (_, overrides) => {
    const token = await signedInPerson();
    const refused = await register(token, authenticator(), overrides);
    expect(refused).toMatchObject({ status: 400, code: "PASSKEY_INVALID" });
    expect(await h.db.passkey.count()).toBe(0);
  });

  it.each([
    ["another site's origin", { origin: "http://evil.test" }],
    ["a lookalike subdomain", { origin: "http://localhost.evil.test:3000" }],
    ["another RP ID", { rpId: "evil.test" }],
    ["no user verification", { userVerified: false }],
    ["backup state without backup eligibility", { backedUp: true }],
    ["another account's user handle", { userHandle: Buffer.from("someone-else").toString("base64url") }],
    ["a registration's type", { type: "webauthn.create" }],
  ])("refuses a sign-in with %s, creating no session", async (_, overrides) => {
    const token = await signedInPerson();
    const device = authenticator();
    await register(token, device);
    const sessionsBefore = await h.db.session.count();
    expect(await login(device, overrides)).toMatchObject({ status: 400, code: "PASSKEY_INVALID" });
    expect(await h.db.session.count()).toBe(sessionsBefore);
  });

  it("answers a passkey it no longer knows with PASSKEY_UNKNOWN (so the browser can forget it), creating no session", async () => {
    const token = await signedInPerson();
    const device = authenticator();
    await register(token, device);
    await h.db.passkey.deleteMany({});
    const sessionsBefore = await h.db.session.count();
    const refused = await login(device, {});
    expect(refused).toMatchObject({ status: 400, code: "PASSKEY_UNKNOWN" });
    // It names the credential's fate, never an account.
    expect(JSON.stringify(refused)).not.toMatch(/@example\.com/);
    expect(await h.db.session.count()).toBe(sessionsBefore);
  });

  it("refuses a bad signature (which the library reports without throwing)", async () => {
    const token = await signedInPerson();
    const device = authenticator();
    await register(token, device);
    const { challengeId, options } = await beginLogin();
    const response = device.assert(options);
    const signature = Buffer.from(response.response.signature, "base64url");
    signature[signature.length - 1] ^= 0xff;
    response.response.signature = signature.toString("base64url");
    expect(await run("AUTH.PASSKEY.LOGIN.FINISH", { challengeId, response })).toMatchObject({ code: "PASSKEY_INVALID" });
  });

  it("refuses a replayed, expired or unknown challenge", async () => {
    const token = await signedInPerson();
    const device = authenticator();
    await register(token, device);
    const { challengeId, options } = await beginLogin();
    const response = device.assert(options);
    expect(await run("AUTH.PASSKEY.LOGIN.FINISH", { challengeId, response })).toMatchObject({ ok: true });
    expect(await run("AUTH.PASSKEY.LOGIN.FINISH", { challengeId, response })).toMatchObject({ status: 410, code: "CHALLENGE_USED" });

    const late = await beginLogin();
    h.clock.advanceSeconds(WEBAUTHN_CHALLENGE_TTL_SECONDS + 1);
    const lateResponse = device.assert(late.options);
    expect(await run("AUTH.PASSKEY.LOGIN.FINISH", { challengeId: late.challengeId, response: lateResponse })).toMatchObject({
      code: "CHALLENGE_EXPIRED",
    });
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect(await run("AUTH.PASSKEY.LOGIN.FINISH", { challengeId: unknown, response: lateResponse })).toMatchObject({
      code: "CHALLENGE_INVALID",
    });
  });

  it("refuses another browser's challenge without spending it", async () => {
    const token = await signedInPerson();
    const device = authenticator();
    await register(token, device);
    const browser = (cookie: string | null) => ({ channel: "browser" as const, webauthnBindingCookie: cookie, request: { ...commandContext().request, origin: TEST_BASE_URL, fetchSite: "same-origin" } });
    const begun = await run("AUTH.PASSKEY.LOGIN.BEGIN", {}, browser(null));
    const cookie = begun.effects.find((e) => e.kind === "set-webauthn-binding");
    expect(cookie).toBeDefined();
    const response = device.assert(begun.data.options as never);
    const params = { challengeId: begun.data.challengeId, response };
    expect(await run("AUTH.PASSKEY.LOGIN.FINISH", params, browser("x".repeat(43)))).toMatchObject({ code: "CHALLENGE_INVALID" });
    expect(await run("AUTH.PASSKEY.LOGIN.FINISH", params)).toMatchObject({ code: "CHALLENGE_INVALID" });
    const own = cookie && cookie.kind === "set-webauthn-binding" ? cookie.value : null;
    expect(await run("AUTH.PASSKEY.LOGIN.FINISH", params, browser(own))).toMatchObject({ ok: true });
  });

  it("gives one session to the same assertion posted twice in parallel", async () => {
    const token = await signedInPerson();
    const device = authenticator();
    await register(token, device);
    const { challengeId, options } = await beginLogin();
    const response = device.assert(options);
    const before = await h.db.session.count();
    const results = await Promise.all([1, 2, 3].map(() => run("AUTH.PASSKEY.LOGIN.FINISH", { challengeId, response })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await h.db.session.count()).toBe(before + 1);
  });

  it("refuses a counter that went backwards, audits it and tells the owner by email", async () => {
    const token = await signedInPerson();
    const device = authenticator();
    await register(token, device);
    expect(await login(device, { counter: 5 })).toMatchObject({ ok: true });
    const before = await h.db.outboxMessage.count();
    expect(await login(device, { counter: 5 })).toMatchObject({ status: 403, code: "COUNTER_REGRESSION" });
    expect(await login(device, { counter: 3 })).toMatchObject({ code: "COUNTER_REGRESSION" });
    const notices = await h.db.outboxMessage.findMany({ where: { template: "counter-regression" } });
    expect(notices).toHaveLength(2);
    expect(await h.db.outboxMessage.count()).toBe(before + 2);
    await h.deps.audit.flush();
    expect(await h.db.authEvent.count({ where: { errorCode: "COUNTER_REGRESSION" } })).toBe(2);
    const passkey = await h.db.passkey.findFirstOrThrow();
    expect(passkey.counter).toBe(BigInt(5));
  });

  it("accepts authenticators that always report a zero counter", async () => {
    const token = await signedInPerson();
    const device = authenticator();
    await register(token, device);
    expect(await login(device, { counter: 0 })).toMatchObject({ ok: true });
    expect(await login(device, { counter: 0 })).toMatchObject({ ok: true });
  });

  it("registers a credential id once, across accounts", async () => {
    const device = authenticator();
    expect(await register(await signedInPerson(), device)).toMatchObject({ ok: true });
    const clone = new SoftwareAuthenticator({ origin: TEST_BASE_URL, rpId: "localhost" }, device.credentialId);
    expect(await register(await signedInPerson(), clone)).toMatchObject({ status: 409, code: "PASSKEY_ALREADY_REGISTERED" });
  });

  it("refuses credential ids over 1023 bytes", async () => {
    const token = await signedInPerson();
    const refused = await register(token, new SoftwareAuthenticator({ origin: TEST_BASE_URL, rpId: "localhost" }, Buffer.alloc(1024, 7)));
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(await h.db.passkey.count()).toBe(0);
  });

  it.each([
    ["a registration response posted to sign-in", "registration-as-login"],
    ["bad base64url", "bad-base64"],
    ["short authenticator data", "short-auth-data"],
    ["a huge CBOR blob", "huge-cbor"],
    ["a response that is not an object", "not-object"],
  ])("answers %s with a 4xx and changes nothing", async (_, kind) => {
    const token = await signedInPerson();
    const device = authenticator();
    await register(token, device);
    const { challengeId, options } = await beginLogin();
    const good = device.assert(options);
    const responses: Record<string, unknown> = {
      "registration-as-login": device.register({ challenge: "AAAA", user: { id: "dQ", name: "x", displayName: "x" } } as never),
      "bad-base64": { ...good, response: { ...good.response, signature: "***not base64***" } },
      "short-auth-data": { ...good, response: { ...good.response, authenticatorData: "AAAA" } },
      "huge-cbor": { ...good, response: { ...good.response, authenticatorData: "A".repeat(200_000) } },
      "not-object": "hello",
    };
    const sessions = await h.db.session.count();
    const result = await run("AUTH.PASSKEY.LOGIN.FINISH", { challengeId, response: responses[kind] });
    expect(result.status).toBeGreaterThanOrEqual(400);
    expect(result.status).toBeLessThan(500);
    expect(await h.db.session.count()).toBe(sessions);
  });

  it("limits passkey sign-in starts per IP, and prunes spent challenges later", async () => {
    const office = { ...commandContext().request, ip: "203.0.113.9", ipPrefix: "203.0.113.0/24" };
    for (let i = 0; i < 300; i++) expect((await run("AUTH.PASSKEY.LOGIN.BEGIN", {}, { request: office })).ok).toBe(true);
    expect(await run("AUTH.PASSKEY.LOGIN.BEGIN", {}, { request: office })).toMatchObject({ status: 429, code: "RATE_LIMITED" });

    expect(await h.db.webAuthnChallenge.count()).toBe(300);
    h.clock.advanceSeconds(WEBAUTHN_CHALLENGE_TTL_SECONDS + CHALLENGE_RETENTION_SECONDS - 1);
    expect(await pruneExpiredChallenges(h.deps.store, h.clock)).toMatchObject({ webauthn: 0 });
    h.clock.advanceSeconds(2);
    expect(await pruneExpiredChallenges(h.deps.store, h.clock)).toMatchObject({ webauthn: 300 });
    expect(await h.db.webAuthnChallenge.count()).toBe(0);
  });

  it("renames with control characters removed, and never another account's passkey", async () => {
    const token = await signedInPerson();
    await register(token, authenticator());
    const [passkey] = (await run("AUTH.PASSKEY.LIST", {}, { sessionToken: token })).data.passkeys as { id: string }[];
    const renamed = await run("AUTH.PASSKEY.RENAME", { id: passkey.id, name: "Work\u202E laptop\u0000 <b>" }, { sessionToken: token });
    expect(renamed.data).toMatchObject({ passkey: { name: "Work laptop <b>" } });
    const stranger = await signedInPerson();
    expect(await run("AUTH.PASSKEY.RENAME", { id: passkey.id, name: "mine" }, { sessionToken: stranger })).toMatchObject({ code: "NOT_FOUND" });
    expect(await run("AUTH.PASSKEY.DELETE", { id: passkey.id }, { sessionToken: stranger })).toMatchObject({ code: "NOT_FOUND" });
  });

  it("deletes only after a recent passkey proof, and says what still lets the person in", async () => {
    const token = await signedInPerson();
    const phone = authenticator();
    await register(token, phone);
    const passkeySession = (await login(phone)).data.sessionToken as string;
    expect(await register(passkeySession, authenticator())).toMatchObject({ ok: true });
    const passkeys = (await run("AUTH.PASSKEY.LIST", {}, { sessionToken: passkeySession })).data.passkeys as { id: string }[];
    const deleted = await run("AUTH.PASSKEY.DELETE", { id: passkeys[1].id }, { sessionToken: passkeySession });
    expect(deleted.data).toMatchObject({ deleted: true, remainingPasskeys: 1, emailSignInAvailable: true });
    h.clock.advanceSeconds(RECENT_AUTH_SECONDS + 1);
    expect(await run("AUTH.PASSKEY.DELETE", { id: passkeys[0].id }, { sessionToken: passkeySession })).toMatchObject({
      status: 403,
      code: "STEP_UP_REQUIRED",
    });
    expect(await h.db.passkey.count()).toBe(1);
  });
});
