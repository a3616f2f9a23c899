import { Auth } from "@auth/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { executeSessionGet, type HttpOptions } from "./api-execute";
import { authConfig, withoutSessionCookieRefresh } from "./auth-config";
import type { CookieOptions } from "./cookie-names";
import { refreshSessionCookie } from "./page-session-refresh";
import {
  AAL1_ABSOLUTE_SECONDS,
  AAL1_IDLE_SECONDS,
  AAL2_ABSOLUTE_SECONDS,
  AAL2_IDLE_SECONDS,
  SESSION_TOUCH_INTERVAL_SECONDS,
  createSession,
  sessionTokenHash,
} from "./sessions";
import { execute } from "./execute";
import {
  PROVIDERS,
  TEST_BASE_URL,
  TEST_SECRET,
  commandContext,
  createHarness,
  requestContext,
  type Harness,
} from "../testing/harness";

/**
 * Issue 17 item 9: an active session's cookie follows its idle window. The
 * row's idle expiry slides at most once per SESSION_TOUCH_INTERVAL_SECONDS,
 * and wherever it slides the browser gets the cookie again with the new
 * expiry, never past the absolute one: on the JSON API (Set-Cookie), in
 * server actions (execute's cookie effects) and on page loads (proxy.ts).
 * Reading the session through Auth.js's `auth()` writes nothing.
 */

const HTTP: HttpOptions = { secureCookies: false, trustProxyHops: 1 };
const COOKIE = "authjs.session-token";

async function signedIn(h: Harness, aal: 1 | 2): Promise<{ token: string; sessionId: string; signedInAt: Date }> {
  const user = await h.db.user.create({ data: { email: `slide-${aal}-${crypto.randomUUID()}@example.test` } });
  const created = await createSession(h.deps.store.sessions, h.clock, {
    userId: user.id,
    aal,
    method: aal === 2 ? "passkey" : "magic_link",
    context: requestContext(),
  });
  return { token: created.sessionToken, sessionId: created.sessionId, signedInAt: h.clock.now() };
}

async function row(h: Harness, sessionId: string) {
  return h.db.session.findUniqueOrThrow({ where: { id: sessionId }, select: { lastSeenAt: true, expires: true } });
}

/** GET /api/v1/session with the session cookie, as the browser's own page script would. */
async function apiCheck(h: Harness, token: string, options: HttpOptions = HTTP) {
  const name = options.secureCookies ? `__Host-${COOKIE}` : COOKIE;
  const request = new Request(`${TEST_BASE_URL}/api/v1/session`, {
    headers: { cookie: `${name}=${token}`, "x-forwarded-for": "198.51.100.7", origin: TEST_BASE_URL, "sec-fetch-site": "same-origin" },
  });
  const response = await executeSessionGet(h.deps, request, options);
  return { status: response.status, setCookies: response.headers.getSetCookie() };
}

/** A page load: proxy.ts's refresh, then the page's `auth()` (Auth.js's session read through our adapter). */
async function pageView(h: Harness, token: string) {
  const written: { name: string; value: string; options: CookieOptions }[] = [];
  await refreshSessionCookie(
    h.deps,
    { method: "GET", cookies: { get: (name) => (name === COOKIE ? { value: token } : undefined) } },
    { cookies: { set: (name, value, options) => written.push({ name, value, options }) } },
    false,
  );
  const session = await authSessionRead(h, token);
  return { cookie: written.at(-1) ?? null, cookies: written, session };
}

/** Auth.js's own session read (what `auth()` and /api/auth/session run), on the test database and clock. */
async function authSessionRead(h: Harness, token: string) {
  const config = authConfig({ db: h.db, store: h.deps.store, clock: h.clock, secret: TEST_SECRET, secureCookies: false });
  const response = await Auth(new Request(`${TEST_BASE_URL}/api/auth/session`, { headers: { cookie: `${COOKIE}=${token}` } }), {
    ...config,
    basePath: "/api/auth",
  });
  const body = (await response.clone().json()) as { aal?: number; expires?: string } | null;
  return { body, response };
}

/** A server action's command (runBrowserCommand without Next.js): the cookie effects it would apply. */
async function browserCommand(h: Harness, command: string, token: string) {
  const context = commandContext({ channel: "browser", sessionToken: token, sessionFromCookie: true, request: requestContext() });
  return (await execute(h.deps, command, {}, context)).effects;
}

function expiresOf(setCookie: string): Date {
  const match = setCookie.match(/; Expires=([^;]+)/);
  if (!match) throw new Error(`no Expires in ${setCookie}`);
  return new Date(match[1]);
}

/** Whole seconds, as a cookie's Expires carries them. */
const toSecond = (date: Date) => Math.floor(date.getTime() / 1000);

const LEVELS = [
  { aal: 2 as const, idle: AAL2_IDLE_SECONDS, absolute: AAL2_ABSOLUTE_SECONDS },
  { aal: 1 as const, idle: AAL1_IDLE_SECONDS, absolute: AAL1_ABSOLUTE_SECONDS },
];

describe.each(PROVIDERS)("sliding sessions (%s)", (provider) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  describe.each(LEVELS)("AAL$aal (idle $idle s, absolute $absolute s)", ({ aal, idle, absolute }) => {
    const step = idle / 2;

    it("used every half idle window over the API, it outlives its idle window and its cookie moves each time, never past the absolute expiry", async () => {
      const { token, signedInAt } = await signedIn(h, aal);
      const absoluteAt = signedInAt.getTime() + absolute * 1000;
      let previous = toSecond(new Date(signedInAt.getTime() + idle * 1000));
      let uses = 0;
      while (h.clock.now().getTime() + step * 1000 < absoluteAt) {
        h.clock.advanceSeconds(step);
        uses += 1;
        const { status, setCookies } = await apiCheck(h, token);
        expect(status).toBe(200);
        expect(setCookies).toHaveLength(1);
        const expires = toSecond(expiresOf(setCookies[0]));
        const expected = toSecond(new Date(Math.min(h.clock.now().getTime() + idle * 1000, absoluteAt)));
        expect(expires).toBe(expected);
        // Later each time, until it reaches the absolute expiry and stays there.
        expect(expires > previous || expires === toSecond(new Date(absoluteAt))).toBe(true);
        expect(expires).toBeLessThanOrEqual(toSecond(new Date(absoluteAt)));
        previous = expires;
      }
      // Well past the idle window that a cookie set once at sign-in would have had.
      expect(uses * step).toBeGreaterThan(idle);
      expect(previous).toBe(toSecond(new Date(absoluteAt)));

      h.clock.advanceSeconds((absoluteAt - h.clock.now().getTime()) / 1000);
      const ended = await apiCheck(h, token);
      expect(ended.status).toBe(401);
      expect(ended.setCookies).toEqual([expect.stringMatching(new RegExp(`^${COOKIE}=; .*Max-Age=0$`))]);
    });

    it("used every half idle window through pages, it stays signed in, each page load re-issues the cookie", async () => {
      const { token, signedInAt } = await signedIn(h, aal);
      for (let use = 1; use <= 4; use += 1) {
        h.clock.advanceSeconds(step);
        const view = await pageView(h, token);
        expect(view.session.body?.aal).toBe(aal);
        expect(view.cookie).toMatchObject({ name: COOKIE, value: token, options: { httpOnly: true, sameSite: "lax", path: "/" } });
        const expected = Math.min(h.clock.now().getTime() + idle * 1000, signedInAt.getTime() + absolute * 1000);
        expect(view.cookie?.options.expires?.getTime()).toBe(expected);
      }
    });

    it("left idle for its whole idle window, it ends, on the API and on pages", async () => {
      const api = await signedIn(h, aal);
      const page = await signedIn(h, aal);
      h.clock.advanceSeconds(idle);
      expect((await apiCheck(h, api.token)).status).toBe(401);
      const view = await pageView(h, page.token);
      expect(view.cookie).toBeNull();
      expect(view.session.body).toBeNull();
    });
  });

  it("a page load within the touch interval writes nothing; the first one after it writes once", async () => {
    const { token, sessionId } = await signedIn(h, 2);
    const before = await row(h, sessionId);
    for (let view = 0; view < 5; view += 1) {
      h.clock.advanceSeconds(SESSION_TOUCH_INTERVAL_SECONDS / 5);
      const { cookies, session } = await pageView(h, token);
      expect(session.body?.aal).toBe(2);
      expect(cookies).toEqual([]);
      expect(await row(h, sessionId)).toEqual(before);
    }
    h.clock.advanceSeconds(1);
    const moved = await pageView(h, token);
    const after = await row(h, sessionId);
    expect(after.lastSeenAt.getTime()).toBe(h.clock.now().getTime());
    expect(after.expires.getTime()).toBe(h.clock.now().getTime() + AAL2_IDLE_SECONDS * 1000);
    expect(moved.cookie?.options.expires).toEqual(after.expires);
    // The page's own read after the proxy's slide, and any number of reads after it, write nothing more.
    await authSessionRead(h, token);
    await authSessionRead(h, token);
    expect(await row(h, sessionId)).toEqual(after);
  });

  it("Auth.js's session read never writes the row, however often and however late", async () => {
    const { token, sessionId } = await signedIn(h, 1);
    const before = await row(h, sessionId);
    for (let read = 0; read < 3; read += 1) {
      h.clock.advanceSeconds(SESSION_TOUCH_INTERVAL_SECONDS * 10);
      const { body } = await authSessionRead(h, token);
      expect(body?.aal).toBe(1);
    }
    expect(await row(h, sessionId)).toEqual(before);
  });

  it("Auth.js's session read answers no 30-day cookie once /api/auth/session drops its refresh", async () => {
    const { token } = await signedIn(h, 2);
    const sessionCookies = (response: Response) => response.headers.getSetCookie().filter((c) => c.startsWith(`${COOKIE}=`));
    const { response } = await authSessionRead(h, token);
    // What Auth.js itself sends: the cookie again, 30 days from now, past the 24-hour absolute expiry.
    const [resent] = sessionCookies(response);
    expect(resent).toMatch(new RegExp(`^${COOKIE}=${token};`));
    expect(expiresOf(resent).getTime()).toBeGreaterThan(h.clock.now().getTime() + AAL2_ABSOLUTE_SECONDS * 1000);
    const filtered = withoutSessionCookieRefresh(response, COOKIE);
    expect(sessionCookies(filtered)).toEqual([]);
    // Auth.js's other cookies (its CSRF token) and the body go through untouched.
    expect(filtered.headers.getSetCookie().length).toBe(response.headers.getSetCookie().length - 1);
    expect(await filtered.json()).toMatchObject({ aal: 2 });

    // A cookie whose session is gone is still cleared.
    const gone = await authSessionRead(h, "not-a-session-token-at-all-0123456789");
    expect(sessionCookies(withoutSessionCookieRefresh(gone.response, COOKIE))).toEqual([expect.stringMatching(new RegExp(`^${COOKIE}=;`))]);
  });

  it("the API's Set-Cookie keeps every attribute: __Host- name, Secure, HttpOnly, SameSite=Lax, Path=/, no Domain", async () => {
    const { token } = await signedIn(h, 2);
    h.clock.advanceSeconds(SESSION_TOUCH_INTERVAL_SECONDS + 1);
    const { status, setCookies } = await apiCheck(h, token, { ...HTTP, secureCookies: true });
    expect(status).toBe(200);
    const expires = new Date(h.clock.now().getTime() + AAL2_IDLE_SECONDS * 1000).toUTCString();
    expect(setCookies).toEqual([`__Host-${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Secure; Expires=${expires}`]);
  });

  it("the API sends no cookie within the touch interval, nor to a Bearer caller", async () => {
    const { token } = await signedIn(h, 2);
    h.clock.advanceSeconds(SESSION_TOUCH_INTERVAL_SECONDS);
    expect((await apiCheck(h, token)).setCookies).toEqual([]);

    h.clock.advanceSeconds(SESSION_TOUCH_INTERVAL_SECONDS + 1);
    const bearer = await executeSessionGet(
      h.deps,
      new Request(`${TEST_BASE_URL}/api/v1/session`, { headers: { authorization: `Bearer ${token}`, "x-forwarded-for": "198.51.100.8" } }),
      HTTP,
    );
    expect(bearer.status).toBe(200);
    expect(bearer.headers.getSetCookie()).toEqual([]);
    // The row still slid: a Bearer client's session stays alive the same way.
    const slid = await h.db.session.findUniqueOrThrow({ where: { sessionToken: sessionTokenHash(token) } });
    expect(slid.lastSeenAt.getTime()).toBe(h.clock.now().getTime());
  });

  it("a server action's command re-issues the cookie when it slid the session, and keeps its own change when it made one", async () => {
    const { token } = await signedIn(h, 2);
    h.clock.advanceSeconds(SESSION_TOUCH_INTERVAL_SECONDS + 1);
    const read = await browserCommand(h, "AUTH.SESSION.GET", token);
    const expiresAt = new Date(h.clock.now().getTime() + AAL2_IDLE_SECONDS * 1000);
    expect(read).toEqual([{ kind: "set-session", token, expiresAt }]);
    expect(await browserCommand(h, "AUTH.SESSION.GET", token)).toEqual([]);

    // Sign-out slides nothing back in: its cleared cookie is the only change.
    h.clock.advanceSeconds(SESSION_TOUCH_INTERVAL_SECONDS + 1);
    expect(await browserCommand(h, "AUTH.SESSION.REVOKE", token)).toEqual([{ kind: "clear-session" }]);
  });
});
