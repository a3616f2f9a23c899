import createMiddleware from "next-intl/middleware";
import { routing } from "./lib/i18n/routing";

/**
 * Negotiates the locale (URL prefix, then the locale cookie, then
 * Accept-Language) and redirects unprefixed paths: /sign-in → /es/sign-in.
 * (Next.js 16 calls this file proxy.ts; it was middleware.ts before.)
 */
export default createMiddleware(routing);

export const config = {
  // Everything but API routes, Next.js internals and files with an extension.
  matcher: "/((?!api|_next|_vercel|.*\\..*).*)",
};
