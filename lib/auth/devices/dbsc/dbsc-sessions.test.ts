import { webcrypto } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sessionCookieName } from "../../core/cookie-names";
import { auditDetails, PROVIDERS, TEST_BASE_URL, TEST_DEVICE_PROOF_INTERVAL_SECONDS, createHarness, runCommand, signInByEmail, type Harness } from "../../testing/harness";
import { makeTestDevice, proveTestDevice, registerTestDevice } from "../device-test-support";
import { handleDbscRequest, type DbscStep } from "./dbsc-http";

/**
 * Native DBSC through its three routes (issue 19), on both databases, with
 * software keys standing in for the browser's hardware one: the offer, the
 * registration that binds the session, the refresh that keeps it going,
 * under both header names; and every proof that must not work: replayed,
 * for another session, signed by another key, or for a session the device
 * key already bound.
 */

const subtle = webcrypto.subtle;
const OPTIONS = { secureCookies: false, trustProxyHops: 1 };
type Names = "current" | "older";
const HEADER: Record<Names, { response: string; sessionId: string; registration: string; challenge: string }> = {
  current: { response: "Secure-Session-Response", sessionId: "Sec-Secure-Session-Id", registration: "Secure-Session-Registration", challenge: "Secure-Session-Challenge" },
  older: { response: "Sec-Session-Response", sessionId: "Sec-Session-Id", registration: "Sec-Session-Registration", challenge: "Sec-Session-Challenge" },
};

/** A browser's session key, ES256 or RS256, and proofs signed with it the way the draft's browser signs them. */
async function browserKey(alg: "ES256" | "RS256" = "ES256") {
  const pair =
    alg === "ES256"
      ? await subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"])
      : await subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, false, [
          "sign",
          "verify",
        ]);
  const exported = await subtle.exportKey("jwk", pair.publicKey);
  const jwk = exported.kty === "EC" ? { kty: "EC", crv: exported.crv, x: exported.x, y: exported.y } : { kty: "RSA", n: exported.n, e: exported.e };
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const params = alg === "ES256" ? { name: "ECDSA", hash: "SHA-256" } : { name: "RSASSA-PKCS1-v1_5" };
  async function sign(header: object, payload: object): Promise<string> {
    const input = `${encode({ alg, typ: "dbsc+jwt", ...header })}.${encode(payload)}`;
    return `${input}.${Buffer.from(await subtle.sign(params, pair.privateKey, Buffer.from(input))).toString("base64url")}`;
  }
  return {
    register: (challenge: string) => sign({ jwk }, { jti: challenge }),
    refresh: (challenge: string) => sign({}, { jti: challenge }),
  };
}

/** `(ES256 RS256);path="…";challenge="…"` → the challenge. */
function challengeIn(header: string | null): string {
  const found = /challenge="([^"]+)"/.exec(header ?? "") ?? /^"([^"]+)"/.exec(header ?? "");
  if (!found) throw new Error(`no challenge in ${header}`);
  return found[1];
}

describe.each(PROVIDERS)("native DBSC on %s", (provider) => {
  let h: Harness;
  let people = 0;
  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  function post(step: DbscStep, token: string | null, headers: Record<string, string> = {}) {
    const all: Record<string, string> = { "sec-fetch-site": "same-origin", ...headers };
    if (token) all.cookie = `${sessionCookieName(false)}=${token}`;
    return handleDbscRequest(h.deps, new Request(`${TEST_BASE_URL}/api/dbsc/${step}`, { method: "POST", headers: all }), OPTIONS, step);
  }

  const sessionOf = async (token: string) => (await runCommand(h, "AUTH.SESSION.GET", {}, { sessionToken: token })).data.session as { id: string; binding: string; deviceId: string | null };

  /** Signed in, offered, registered with `key` under `names`: the token, the session id and the registration's answer. */
  async function registered(key: Awaited<ReturnType<typeof browserKey>>, names: Names = "current") {
    const token = await signInByEmail(h, `dbsc-${++people}@example.com`);
    const offer = await post("offer", token);
    expect(await offer.json()).toEqual({ offered: true });
    // Both names, one value.
    expect(offer.headers.get("Secure-Session-Registration")).toBe(offer.headers.get("Sec-Session-Registration"));
    const challenge = challengeIn(offer.headers.get(HEADER[names].registration));
    const answer = await post("register", token, { [HEADER[names].response]: await key.register(challenge) });
    return { token, sessionId: (await sessionOf(token)).id, answer };
  }

  async function refreshWith(token: string, sessionId: string, sign: (challenge: string) => Promise<string>, names: Names = "current") {
    const asked = await post("refresh", token, { [HEADER[names].sessionId]: sessionId });
    expect(asked.status).toBe(403);
    const challenge = challengeIn(asked.headers.get(HEADER[names].challenge));
    return { challenge, answer: await post("refresh", token, { [HEADER[names].sessionId]: sessionId, [HEADER[names].response]: await sign(challenge) }) };
  }

  it.each([
    ["ES256", "current"],
    ["RS256", "older"],
  ] as const)("registers a %s key under the %s header names: the session is bound `dbsc`, its cookie set as its instructions say", async (alg, names) => {
    const key = await browserKey(alg);
    const { token, sessionId, answer } = await registered(key, names);
    expect(answer.status).toBe(200);
    const instructions = (await answer.json()) as { session_identifier: string; refresh_url: string; credentials: { name: string; attributes: string }[] };
    expect(instructions).toMatchObject({ session_identifier: sessionId, refresh_url: "/api/dbsc/refresh", scope: { origin: TEST_BASE_URL } });
    const [credential] = instructions.credentials;
    // The Set-Cookie line is the instructions' name and attributes, exactly.
    expect(answer.headers.get("Set-Cookie")).toBe(`${credential.name}=1; ${credential.attributes}`);
    expect(await sessionOf(token)).toMatchObject({ binding: "dbsc" });
    const devices = (await runCommand(h, "AUTH.DEVICE.LIST", {}, { sessionToken: token })).data.devices as { current: boolean }[];
    expect(devices).toEqual([expect.objectContaining({ current: true })]);
    // Nothing more to offer to a bound session.
    expect(await (await post("offer", token)).json()).toEqual({ offered: false });
  });

  it("refreshes with the registered key: a 403 challenge first, then another proof interval", async () => {
    const key = await browserKey();
    const { token, sessionId } = await registered(key);
    h.clock.advanceSeconds(TEST_DEVICE_PROOF_INTERVAL_SECONDS + 1);
    expect(await runCommand(h, "AUTH.POLICY.DECIDE", { action: "file.view_private" }, { sessionToken: token })).toMatchObject({
      status: 401,
      code: "DEVICE_PROOF_REQUIRED",
    });
    const { answer } = await refreshWith(token, sessionId, key.refresh);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("Set-Cookie")).toMatch(/^trustladder\.dbsc=1; Max-Age=\d+; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
    expect(await runCommand(h, "AUTH.SESSION.GET", {}, { sessionToken: token })).toMatchObject({ ok: true, data: { session: { deviceProofDue: false } } });
  });

  it("spends a refresh challenge once, and a registration's too", async () => {
    const key = await browserKey();
    const token = await signInByEmail(h, "dbsc-replay@example.com");
    const challenge = challengeIn((await post("offer", token)).headers.get("Secure-Session-Registration"));
    const proof = await key.register(challenge);
    const [a, b] = await Promise.all([post("register", token, { "Secure-Session-Response": proof }), post("register", token, { "Secure-Session-Response": proof })]);
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    const sessionId = (await sessionOf(token)).id;

    const { challenge: refreshChallenge, answer } = await refreshWith(token, sessionId, key.refresh);
    expect(answer.status).toBe(200);
    const replayed = await post("refresh", token, { "Sec-Secure-Session-Id": sessionId, "Secure-Session-Response": await key.refresh(refreshChallenge) });
    // Asked again with a fresh challenge (a 403): any other 4xx would make the browser give up its session.
    expect(replayed.status).toBe(403);
    expect(replayed.headers.get("Secure-Session-Challenge")).not.toContain(refreshChallenge);
    expect(await replayed.json()).toMatchObject({ error: "DEVICE_PROOF_INVALID", reason: "challenge_used" });
    // A replay is refused, not taken for a stolen cookie: the session goes on.
    expect(await sessionOf(token)).toMatchObject({ binding: "dbsc" });
  });

  it("ends the session and tells the account when a refresh is signed by another key (a copied cookie)", async () => {
    const key = await browserKey();
    const { token, sessionId } = await registered(key);
    const thief = await browserKey();
    const { answer } = await refreshWith(token, sessionId, thief.refresh);
    expect(await answer.json()).toEqual({ session_identifier: sessionId, continue: false });
    expect(await runCommand(h, "AUTH.SESSION.GET", {}, { sessionToken: token })).toMatchObject({ status: 401 });
    expect(await h.db.outboxMessage.count({ where: { template: "session-used-elsewhere" } })).toBe(1);
    await h.deps.audit.flush();
    const event = await h.db.authEvent.findFirstOrThrow({ where: { command: "AUTH.DBSC.REFRESH", details: { contains: "sessionEnded" } } });
    expect(auditDetails(event)).toMatchObject({ sessionEnded: true });
  });

  it("refuses a refresh, rather than failing, when the stored key is not readable", async () => {
    const key = await browserKey();
    const { token, sessionId } = await registered(key);
    await h.db.device.updateMany({ data: { publicKey: "{not json" } });
    const { answer } = await refreshWith(token, sessionId, key.refresh);
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: "DEVICE_PROOF_INVALID", reason: "unknown_device" });
  });

  it("refuses a registration made with another session's challenge, or signed over another challenge", async () => {
    const key = await browserKey();
    const mine = await signInByEmail(h, "dbsc-mine@example.com");
    const theirs = await signInByEmail(h, "dbsc-theirs@example.com");
    const theirChallenge = challengeIn((await post("offer", theirs)).headers.get("Secure-Session-Registration"));
    const crossed = await post("register", mine, { "Secure-Session-Response": await key.register(theirChallenge) });
    expect(await crossed.json()).toMatchObject({ error: "DEVICE_PROOF_INVALID", reason: "other_session" });
    const myChallenge = challengeIn((await post("offer", mine)).headers.get("Secure-Session-Registration"));
    const [id] = myChallenge.split("_");
    const forged = await post("register", mine, { "Secure-Session-Response": await key.register(`${id}_${"A".repeat(43)}`) });
    expect(await forged.json()).toMatchObject({ error: "DEVICE_PROOF_INVALID", reason: "challenge_mismatch" });
    expect(await sessionOf(mine)).toMatchObject({ binding: "none" });
  });

  it("never moves a session the device key bound first, and a device key never takes over a DBSC one", async () => {
    const token = await signInByEmail(h, "dbsc-raced@example.com");
    const challenge = challengeIn((await post("offer", token)).headers.get("Secure-Session-Registration"));
    const device = await makeTestDevice();
    const deviceId = await registerTestDevice(h, token, device);
    expect(await proveTestDevice(h, token, device, deviceId)).toMatchObject({ ok: true });
    const late = await post("register", token, { "Secure-Session-Response": await (await browserKey()).register(challenge) });
    expect(await late.json()).toMatchObject({ continue: false });
    expect(await sessionOf(token)).toMatchObject({ binding: "device-key", deviceId });
    // The late key was not kept as a device either.
    expect((await runCommand(h, "AUTH.DEVICE.LIST", {}, { sessionToken: token })).data.devices).toHaveLength(1);

    const key = await browserKey();
    const native = await registered(key);
    const other = await makeTestDevice();
    const otherId = await registerTestDevice(h, native.token, other);
    expect(await proveTestDevice(h, native.token, other, otherId)).toMatchObject({ ok: false, code: "DEVICE_PROOF_INVALID" });
    expect(await sessionOf(native.token)).toMatchObject({ binding: "dbsc" });
  });

  it("answers a database outage with 503 and a bug with 500, as codes, never a message or a stack", async () => {
    const token = await signInByEmail(h, "dbsc-outage@example.com");
    const outage = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const bug = new TypeError("Cannot read properties of undefined (reading 'publicKey')");
    for (const [error, status, code] of [[outage, 503, "SERVICE_UNAVAILABLE"], [bug, 500, "INTERNAL_ERROR"]] as const) {
      const sessions = { ...h.deps.store.sessions, findByTokenHash: () => Promise.reject(error) };
      const failing = { ...h.deps, store: { ...h.deps.store, sessions } };
      for (const step of ["offer", "register", "refresh"] as const) {
        const request = new Request(`${TEST_BASE_URL}/api/dbsc/${step}`, {
          method: "POST",
          headers: { cookie: `${sessionCookieName(false)}=${token}`, "sec-fetch-site": "same-origin", "Sec-Secure-Session-Id": "s1" },
        });
        const answer = await handleDbscRequest(failing, request, OPTIONS, step);
        expect(answer.status).toBe(status);
        const body = await answer.text();
        expect(JSON.parse(body)).toEqual({ error: code });
        expect(body).not.toMatch(/ECONNREFUSED|publicKey|at .*\.ts/);
      }
    }
    await h.deps.audit.flush();
    const events = await h.db.authEvent.findMany({ where: { command: { startsWith: "AUTH.DBSC." } }, select: { errorCode: true } });
    expect(events.map((event) => event.errorCode).sort()).toEqual([...Array(3).fill("INTERNAL_ERROR"), ...Array(3).fill("SERVICE_UNAVAILABLE")]);
  });

  it("refuses an offer from another site, a refresh that names another session, and answers no session without leaking one", async () => {
    const token = await signInByEmail(h, "dbsc-edges@example.com");
    const crossSite = await handleDbscRequest(
      h.deps,
      new Request(`${TEST_BASE_URL}/api/dbsc/offer`, { method: "POST", headers: { cookie: `${sessionCookieName(false)}=${token}`, "sec-fetch-site": "cross-site" } }),
      OPTIONS,
      "offer",
    );
    expect(crossSite.status).toBe(403);
    const named = await post("refresh", token, { "Sec-Secure-Session-Id": "someone-elses-session-id" });
    expect(await named.json()).toMatchObject({ error: "DEVICE_PROOF_INVALID", reason: "other_session" });
    expect((await post("register", null, { "Secure-Session-Response": "a.b.c" })).status).toBe(401);
    // A refresh for a session that no longer exists tells the browser to stop.
    expect(await (await post("refresh", null, { "Sec-Secure-Session-Id": "ended-session-000001" })).json()).toEqual({
      session_identifier: "ended-session-000001",
      continue: false,
    });
  });
});
