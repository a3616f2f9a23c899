import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { executeHttp, executeSessionGet, type HttpOptions } from "./api-execute";
import type { ErrorCode } from "./errors";
import type { Envelope } from "./execute";
import { AAL1_IDLE_SECONDS } from "./sessions";
import { PROVIDERS, TEST_BASE_URL, createHarness, latestEmail, wrongCode, type Harness } from "../testing/harness";

/**
 * The JSON API as a client sees it: real `Request` objects in, real
 * `Response` objects out, over a real database. The ceremony rules themselves
 * are proven in magic-link.test.ts; this file proves what the HTTP face adds.
 */

const API_URL = `${TEST_BASE_URL}/api/v1/execute`;
const HTTP: HttpOptions = { secureCookies: false, trustProxyHops: 1 };
const REQUEST = "AUTH.MAGIC_LINK.REQUEST";
const REDEEM = "AUTH.MAGIC_LINK.REDEEM";
const SESSION_GET = "AUTH.SESSION.GET";
const SESSION_REVOKE = "AUTH.SESSION.REVOKE";
// "    at fn (/path/file.ts:1:2)" frames, absolute paths, module folders.
const STACK_TRACE = /\n\s*at |\bat \S+ \(|(?:\/[\w.-]+){2,}\.[cm]?[jt]sx?\b|node_modules/;

type Params = Record<string, unknown>;
type HeaderMap = Record<string, string>;
interface ApiResponse { status: number; headers: Headers; text: string; envelope: Envelope }
interface RequestData { challengeId: string; binding: string; expiresAt: string; delivery: "sent" | "delayed" }
interface SignedInData {
  sessionToken: string;
  expiresAt: string;
  user: { id: string; email: string };
  isNewUser: boolean;
  redirectTo: string;
}
interface SessionData { user: { id: string; email: string }; session: { aal: number; methods: { method: string; at: string }[] } }

let clientCounter = 0;
/** Each request comes from its own address in 198.51.100.0/24. */
function nextClientIp(): string {
  clientCounter = (clientCounter % 250) + 1;
  return `198.51.100.${clientCounter}`;
}

function apiRequest(body: string, headers: HeaderMap = {}): Request {
  return new Request(API_URL, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": nextClientIp(), ...headers },
    body,
  });
}

async function send(h: Harness, request: Request, handler = executeHttp): Promise<ApiResponse> {
  const response = await handler(h.deps, request, HTTP);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, envelope: JSON.parse(text) as Envelope };
}

function call(h: Harness, command: string, params: Params = {}, headers: HeaderMap = {}): Promise<ApiResponse> {
  return send(h, apiRequest(JSON.stringify({ command, params }), headers));
}

/** GET /api/v1/session (bodiless AUTH.SESSION.GET). */
function sessionGet(h: Harness, headers: HeaderMap = {}, query = ""): Promise<ApiResponse> {
  const request = new Request(`${TEST_BASE_URL}/api/v1/session${query}`, {
    method: "GET",
    headers: { "x-forwarded-for": nextClientIp(), ...headers },
  });
  return send(h, request, executeSessionGet);
}

function dataOf<D>(response: ApiResponse): D {
  if (!response.envelope.ok) throw new Error(`${response.envelope.command}: ${response.status} ${response.text}`);
  return response.envelope.data as D;
}

const bearer = (token: string): HeaderMap => ({ authorization: `Bearer ${token}` });
const sessionCookie = (token: string): HeaderMap => ({ cookie: `authjs.session-token=${token}` });

/** The JSON's structure with every leaf replaced by its type. */
function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).sort().map(([key, inner]) => [key, shapeOf(inner)]));
  }
  return value === null ? "null" : typeof value;
}

const cookieNames = (headers: Headers) => headers.getSetCookie().map((cookie) => cookie.split("=")[0]).sort();

let emailCounter = 0;
const freshEmail = () => `api${++emailCounter}-${Date.now()}@example.com`;

/** AUTH.MAGIC_LINK.REQUEST through the API, and the email it sent. */
async function requestLink(h: Harness, email: string, params: Params = {}) {
  const data = dataOf<RequestData>(await call(h, REQUEST, { email, ...params }));
  return { data, mail: await latestEmail(h.db, email) };
}

/** Requests a link and redeems it with its binding, as the browser that asked would. */
async function signIn(h: Harness, email = freshEmail(), params: Params = {}): Promise<SignedInData> {
  const { data, mail } = await requestLink(h, email, params);
  return dataOf<SignedInData>(await call(h, REDEEM, { token: mail.token, binding: data.binding }));
}

describe.each(PROVIDERS)("POST /api/v1/execute on %s", (provider) => {
  let h: Harness;

  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  it("signs in, reads and revokes a session with a bearer token", async () => {
    const email = freshEmail();
    const { data, mail } = await requestLink(h, email);
    expect(data.delivery).toBe("sent");

    const signedIn = dataOf<SignedInData>(await call(h, REDEEM, { token: mail.token, binding: data.binding }));
    expect(signedIn).toMatchObject({ isNewUser: true, user: { email }, redirectTo: "/" });

    const session = dataOf<SessionData>(await call(h, SESSION_GET, {}, bearer(signedIn.sessionToken)));
    expect(session.user).toEqual(expect.objectContaining({ id: signedIn.user.id, email }));

    const revoked = await call(h, SESSION_REVOKE, {}, bearer(signedIn.sessionToken));
    expect(revoked.status).toBe(200);
    const after = await call(h, SESSION_GET, {}, bearer(signedIn.sessionToken));
    expect(after.status).toBe(401);
    expect(after.envelope.error?.code).toBe("UNAUTHENTICATED");
  });

  it("answers a known and an unknown address alike, and emails both", async () => {
    const known = freshEmail();
    await signIn(h, known);
    const unknown = freshEmail();

    const forKnown = await call(h, REQUEST, { email: known });
    const forUnknown = await call(h, REQUEST, { email: unknown });
    expect(forKnown.status).toBe(forUnknown.status);
    expect(shapeOf(forKnown.envelope)).toEqual(shapeOf(forUnknown.envelope));
    expect(cookieNames(forKnown.headers)).toEqual(cookieNames(forUnknown.headers));
    expect(cookieNames(forKnown.headers)).toEqual([]);
    expect(dataOf<RequestData>(forKnown).delivery).toBe(dataOf<RequestData>(forUnknown).delivery);
    expect(await h.db.outboxMessage.count({ where: { to: known } })).toBe(2);
    expect(await h.db.outboxMessage.count({ where: { to: unknown } })).toBe(1);
  });

  it("builds the emailed link from AUTH_URL, never from Host or X-Forwarded-Host", async () => {
    const spoofed = { host: "evil.test", "x-forwarded-host": "evil.test", "x-forwarded-proto": "https" };
    const viaHeaders = freshEmail();
    await send(h, apiRequest(JSON.stringify({ command: REQUEST, params: { email: viaHeaders } }), spoofed));
    // Next.js derives request.url from Host, so the URL itself may name the attacker.
    const viaUrl = freshEmail();
    const body = JSON.stringify({ command: REQUEST, params: { email: viaUrl } });
    await send(h, new Request("http://evil.test/api/v1/execute", { method: "POST", headers: spoofed, body }));

    for (const email of [viaHeaders, viaUrl]) {
      const mail = await latestEmail(h.db, email);
      expect(mail.link.startsWith(`${TEST_BASE_URL}/`)).toBe(true);
      expect(mail.html).not.toContain("evil.test");
      expect(mail.text).not.toContain("evil.test");
    }
  });

  const payload = (command: unknown, params?: unknown, extra: Params = {}) => JSON.stringify({ command, params, ...extra });
  const malformed: { name: string; body: string; code: ErrorCode }[] = [
    { name: "a body that is not JSON", body: "command=AUTH.SESSION.GET", code: "VALIDATION_FAILED" },
    { name: "a JSON array", body: JSON.stringify([{ command: REQUEST, params: { email: "a@x.com" } }]), code: "UNKNOWN_COMMAND" },
    { name: "params as an array", body: payload(REQUEST, ["a@x.com"]), code: "VALIDATION_FAILED" },
    { name: "email as an array", body: payload(REQUEST, { email: ["a@x.com"] }), code: "VALIDATION_FAILED" },
    { name: "two addresses in one", body: payload(REQUEST, { email: "a@x.com,b@y.com" }), code: "VALIDATION_FAILED" },
    { name: "a quoted local part naming another domain", body: payload(REQUEST, { email: '"e@attacker.com"@victim.com' }), code: "VALIDATION_FAILED" },
    { name: "an unknown extra param", body: payload(REQUEST, { email: "a@x.com", role: "admin" }), code: "VALIDATION_FAILED" },
    { name: "a body over 16 KiB", body: payload(REQUEST, { email: "a@x.com" }, { pad: "x".repeat(17 * 1024) }), code: "VALIDATION_FAILED" },
    // Under 16 Ki characters but over 16 KiB: the limit counts bytes.
    { name: "a body over 16 KiB in multi-byte characters", body: payload(REQUEST, { email: "a@x.com" }, { pad: "é".repeat(9000) }), code: "VALIDATION_FAILED" },
    { name: "an unknown command", body: payload("AUTH.ADMIN.GRANT", {}), code: "UNKNOWN_COMMAND" },
    { name: "a command that is not a string", body: payload([SESSION_GET], {}), code: "UNKNOWN_COMMAND" },
    { name: "a code with letters", body: payload(REDEEM, { token: "A".repeat(43), code: "12ab56" }), code: "VALIDATION_FAILED" },
    { name: "a token of 5000 characters", body: payload(REDEEM, { token: "A".repeat(5000) }), code: "VALIDATION_FAILED" },
  ];

  it.each(malformed)("refuses $name with 4xx $code, no stack trace and no email", async ({ body, code }) => {
    const response = await send(h, apiRequest(body));
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.envelope).toMatchObject({ ok: false, data: null, error: { code } });
    expect(response.text).not.toMatch(STACK_TRACE);
    expect(await h.db.outboxMessage.count()).toBe(0);
  });

  it("stops reading a chunked body with no Content-Length once it passes 16 KiB", async () => {
    const totalChunks = 1024;
    let chunksPulled = 0;
    const oneMebibyte = new ReadableStream<Uint8Array>({
      pull(controller) {
        chunksPulled += 1;
        controller.enqueue(new TextEncoder().encode(chunksPulled === 1 ? '{"command":"' : "x".repeat(1024)));
        if (chunksPulled === totalChunks) controller.close();
      },
    });
    const request = new Request(API_URL, { method: "POST", body: oneMebibyte, duplex: "half" } as RequestInit);
    const response = await send(h, request);
    expect(response.status).toBe(400);
    expect(chunksPulled).toBeLessThan(totalChunks / 16);
  });

  it("rate-limits with Retry-After and a message in the caller's language", async () => {
    const email = freshEmail();
    for (let i = 0; i < 5; i++) expect((await call(h, REQUEST, { email, locale: "es" })).status).toBe(200);

    const spanish = await call(h, REQUEST, { email, locale: "es" });
    const english = await call(h, REQUEST, { email, locale: "en" });
    for (const limited of [spanish, english]) {
      expect(limited.status).toBe(429);
      expect(limited.envelope.error?.code).toBe("RATE_LIMITED");
      const retryAfter = Number(limited.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(limited.envelope.error?.message).toContain(String(Math.ceil(retryAfter / 60)));
    }
    expect(spanish.envelope.error?.message).not.toBe(english.envelope.error?.message);
  });

  it("refuses cookie-borne requests from other origins and keeps the session", async () => {
    const { sessionToken } = await signIn(h, freshEmail());
    const refused: HeaderMap[] = [
      { ...sessionCookie(sessionToken), origin: "http://evil.test" },
      { ...sessionCookie(sessionToken), origin: "http://localhost:3000.evil.test" },
      sessionCookie(sessionToken),
      { ...sessionCookie(sessionToken), origin: TEST_BASE_URL, "sec-fetch-site": "cross-site" },
    ];
    for (const headers of refused) {
      const response = await call(h, SESSION_REVOKE, {}, headers);
      expect(response.status).toBe(403);
      expect(response.envelope.error?.code).toBe("ORIGIN_REJECTED");
    }

    const sameOrigin = { ...sessionCookie(sessionToken), origin: TEST_BASE_URL, "sec-fetch-site": "same-origin" };
    expect((await call(h, SESSION_GET, {}, sameOrigin)).status).toBe(200);
    expect((await call(h, SESSION_GET, {}, bearer(sessionToken))).status).toBe(200);
  });

  it("redirects after sign-in only to same-origin paths", async () => {
    const callbacks = ["//evil.com", "/\\evil.com", "https:evil.com", "/%2F%2Fevil.com", "javascript:alert(1)", "/files?x=1"];
    const redirects: Record<string, string> = {};
    for (const callbackUrl of callbacks) {
      redirects[callbackUrl] = (await signIn(h, freshEmail(), { callbackUrl })).redirectTo;
    }
    expect(redirects).toEqual({
      "//evil.com": "/",
      "/\\evil.com": "/",
      "https:evil.com": "/",
      "/%2F%2Fevil.com": "/",
      "javascript:alert(1)": "/",
      "/files?x=1": "/files?x=1",
    });
  });

  it("audits every command once, with a /24 and no secret", async () => {
    const email = freshEmail();
    const ips: string[] = [];
    const step = async (command: string, params: Params, headers: HeaderMap = {}) => {
      h.clock.advanceSeconds(1);
      const ip = nextClientIp();
      ips.push(ip);
      return call(h, command, params, { "x-forwarded-for": ip, ...headers });
    };

    const requested = dataOf<RequestData>(await step(REQUEST, { email }));
    const mail = await latestEmail(h.db, email);
    const badCode = wrongCode(mail.code);
    await step(REDEEM, { token: mail.token, code: badCode });
    const signedIn = dataOf<SignedInData>(await step(REDEEM, { token: mail.token, binding: requested.binding }));
    await step(SESSION_GET, {}, bearer(signedIn.sessionToken));
    await step("AUTH.NOPE", {});
    await h.deps.audit.flush();

    const rows = await h.db.authEvent.findMany({ orderBy: { at: "asc" } });
    expect(rows.map(({ command, outcome, errorCode }) => ({ command, outcome, errorCode }))).toEqual([
      { command: REQUEST, outcome: "ok", errorCode: null },
      { command: REDEEM, outcome: "refused", errorCode: "CODE_INVALID" },
      { command: REDEEM, outcome: "ok", errorCode: null },
      { command: SESSION_GET, outcome: "ok", errorCode: null },
      { command: "AUTH.NOPE", outcome: "refused", errorCode: "UNKNOWN_COMMAND" },
    ]);
    for (const row of rows) {
      expect(Number.isInteger(row.latencyMs) && row.latencyMs >= 0).toBe(true);
      expect(row.ipPrefix).toMatch(/^198\.51\.\d{1,3}\.0\/24$/);
    }
    const stored = JSON.stringify(rows);
    for (const secret of [mail.token, mail.code, badCode, requested.binding, signedIn.sessionToken, ...ips]) {
      expect(stored).not.toContain(secret);
    }
  });

  it("creates no session from a link without the binding or with a wrong code", async () => {
    const email = freshEmail();
    const { mail } = await requestLink(h, email);

    const bare = await call(h, REDEEM, { token: mail.token });
    expect(bare.status).toBe(403);
    expect(bare.envelope.error?.code).toBe("BINDING_REQUIRED");

    const guessed = await call(h, REDEEM, { token: mail.token, code: wrongCode(mail.code) });
    expect(guessed.status).toBe(400);
    expect(guessed.envelope.error?.code).toBe("CODE_INVALID");
    expect(await h.db.session.count()).toBe(0);
  });

  it("reports an email-link session as AAL1 with its method and time", async () => {
    const { sessionToken } = await signIn(h, freshEmail());
    const signedInAt = h.clock.now().toISOString();
    const { session } = dataOf<SessionData>(await call(h, SESSION_GET, {}, bearer(sessionToken)));
    expect(session.aal).toBe(1);
    expect(session.methods).toEqual([{ method: "magic_link", at: signedInAt }]);
  });
});

describe.each(PROVIDERS)("GET /api/v1/session on %s", (provider) => {
  let h: Harness;

  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  it("answers what AUTH.SESSION.GET answers, uncached, audited as that command", async () => {
    const { sessionToken, user } = await signIn(h);
    const viaGet = await sessionGet(h, bearer(sessionToken));
    const viaPost = await call(h, SESSION_GET, {}, bearer(sessionToken));

    expect(viaGet.status).toBe(200);
    expect(viaGet.headers.get("cache-control")).toBe("no-store");
    expect(viaGet.envelope).toEqual(viaPost.envelope);
    expect(dataOf<SessionData>(viaGet).user.id).toBe(user.id);

    await h.deps.audit.flush();
    const events = await h.db.authEvent.findMany({ where: { command: SESSION_GET }, orderBy: { at: "asc" } });
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ outcome: "ok", userId: user.id });
    expect(JSON.stringify(events)).not.toContain(sessionToken);
  });

  it("refuses a missing, malformed, revoked or expired session with 401 in the caller's language", async () => {
    const english = await sessionGet(h);
    const spanish = await sessionGet(h, { "accept-language": "es-ES,es;q=0.9" });
    for (const response of [english, spanish]) {
      expect(response.status).toBe(401);
      expect(response.envelope).toMatchObject({ ok: false, command: SESSION_GET, data: null, error: { code: "UNAUTHENTICATED" } });
      expect(response.text).not.toMatch(STACK_TRACE);
    }
    expect(spanish.envelope.error?.message).not.toBe(english.envelope.error?.message);

    expect((await sessionGet(h, { authorization: "Bearer short" })).status).toBe(401);
    expect((await sessionGet(h, { authorization: `Basic ${"a".repeat(40)}` })).status).toBe(401);

    const revoked = await signIn(h);
    expect((await call(h, SESSION_REVOKE, {}, bearer(revoked.sessionToken))).status).toBe(200);
    expect((await sessionGet(h, bearer(revoked.sessionToken))).status).toBe(401);

    const idle = await signIn(h);
    h.clock.advanceSeconds(AAL1_IDLE_SECONDS + 1);
    expect((await sessionGet(h, bearer(idle.sessionToken))).status).toBe(401);
  });

  it("takes the session cookie only from our own pages, and clears it once it is stale", async () => {
    const { sessionToken } = await signIn(h);
    const ownPage = { ...sessionCookie(sessionToken), "sec-fetch-site": "same-origin" };
    expect((await sessionGet(h, ownPage)).status).toBe(200);

    const foreign: HeaderMap[] = [
      sessionCookie(sessionToken),
      { ...sessionCookie(sessionToken), "sec-fetch-site": "cross-site" },
      { ...sessionCookie(sessionToken), "sec-fetch-site": "same-site" },
      { ...sessionCookie(sessionToken), "sec-fetch-site": "none" },
      { ...sessionCookie(sessionToken), origin: "http://evil.test" },
    ];
    for (const headers of foreign) {
      const response = await sessionGet(h, headers);
      expect(response.status).toBe(403);
      expect(response.envelope.error?.code).toBe("ORIGIN_REJECTED");
      expect(response.headers.getSetCookie()).toEqual([]);
    }
    expect((await sessionGet(h, bearer(sessionToken))).status).toBe(200);

    h.clock.advanceSeconds(AAL1_IDLE_SECONDS + 1);
    const stale = await sessionGet(h, ownPage);
    expect(stale.status).toBe(401);
    expect(cookieNames(stale.headers)).toEqual(["authjs.session-token"]);
    expect(stale.headers.getSetCookie()[0]).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
  });

  it("runs nothing but the session read, whatever the query string says", async () => {
    const { sessionToken } = await signIn(h);
    const sneaky = await sessionGet(h, bearer(sessionToken), `?command=${SESSION_REVOKE}&params=%7B%7D`);
    expect(sneaky.envelope.command).toBe(SESSION_GET);
    expect(sneaky.status).toBe(200);
    expect(await h.db.session.count()).toBe(1);
    expect((await sessionGet(h, bearer(sessionToken))).status).toBe(200);
  });
});
