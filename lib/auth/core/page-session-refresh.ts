import type { Clock } from "../../clock";
import type { AuthStore } from "../store/types";
import { cookieWriteFor } from "./cookie-effects";
import { sessionCookieName, type CookieOptions } from "./cookie-names";
import { findActiveSession } from "./sessions";

/** The parts of NextRequest and NextResponse this needs (proxy.ts passes the real ones). */
export interface ProxyRequest {
  method: string;
  cookies: { get(name: string): { value: string } | undefined };
}
export interface ProxyResponse {
  cookies: { set(name: string, value: string, options: CookieOptions): unknown };
}

/**
 * Keeps a signed-in browser's session cookie in step with its session for
 * page loads (proxy.ts runs this before the page). Server Components read
 * the session through `auth()` but cannot set cookies, so the idle window
 * slides here, where the response can still carry one: at most once per
 * SESSION_TOUCH_INTERVAL_SECONDS the row's idle expiry moves and the cookie
 * is re-issued with the same expiry, capped by the absolute one (B4
 * §2.2.3). Without it a passkey session (1 h idle) lost its cookie an hour
 * after sign-in however busy its person was.
 *
 * Only GET and HEAD: a POST to a page is a server action, which runs its
 * command through `execute`, and that refreshes the cookie itself
 * (cookie-effects.ts `withSessionRefresh`); two Set-Cookie headers for the
 * session on one response could undo a sign-out or a token rotation.
 */
export async function refreshSessionCookie(
  deps: { store: AuthStore; clock: Clock },
  request: ProxyRequest,
  response: ProxyResponse,
  secureCookies: boolean,
): Promise<void> {
  if (request.method !== "GET" && request.method !== "HEAD") return;
  const token = request.cookies.get(sessionCookieName(secureCookies))?.value;
  if (!token) return;
  let session;
  try {
    session = await findActiveSession(deps.store.sessions, deps.clock, token);
  } catch (error) {
    // The page's own session read fails closed; this one only would have moved an expiry.
    console.error("proxy: session refresh failed", error instanceof Error ? error.message : "unknown");
    return;
  }
  if (!session?.slid) return;
  const write = cookieWriteFor({ kind: "set-session", token, expiresAt: session.expiresAt }, secureCookies);
  response.cookies.set(write.name, write.value, write.options);
}
