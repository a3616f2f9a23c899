import createMiddleware from "next-intl/middleware";
import type { NextRequest } from "next/server";
import { env } from "./lib/env";
import { refreshSessionCookie } from "./lib/auth/core/page-session-refresh";
import { systemClock } from "./lib/clock";
import { serverStore } from "./lib/auth/store/server-store";
import { routing } from "./lib/i18n/routing";

const handleLocale = createMiddleware(routing);

/**
 * Negotiates the locale (URL prefix, then the locale cookie, then
 * Accept-Language) and redirects unprefixed paths: /sign-in → /es/sign-in.
 * For a browser with a session cookie it also moves the cookie's expiry
 * with the session's idle window, which a page cannot do itself
 * (lib/auth/core/page-session-refresh.ts says why). Next.js 16 calls this file
 * proxy.ts (it was middleware.ts) and runs it on Node.js.
 */
export default async function proxy(request: NextRequest) {
  const response = handleLocale(request);
  await refreshSessionCookie({ store: serverStore(), clock: systemClock }, request, response, env().secureCookies);
  return response;
}

export const config = {
  // Everything but API routes, Next.js internals and files with an extension.
  matcher: "/((?!api|_next|_vercel|.*\\..*).*)",
};
