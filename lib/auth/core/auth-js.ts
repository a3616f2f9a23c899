import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { systemClock } from "../../clock";
import { db } from "../../db";
import { env } from "../../env";
import { authConfig, withoutSessionCookieRefresh } from "./auth-config";
import { sessionCookieName } from "./cookie-names";
import { serverStore } from "../store/server-store";

/**
 * Auth.js is the session layer (docs/architecture.md § Sessions): `auth()` reads the
 * database session our ceremonies created. It has no providers of its own
 * yet; our ceremonies live in lib/auth and create sessions themselves,
 * because Auth.js's Credentials provider can only mint JWTs. An OAuth
 * provider a team adds here flows through the same Session table.
 * (auth-config.ts holds the configuration.)
 */
const nextAuth = NextAuth(() => {
  const config = env();
  return authConfig({ db: db(), store: serverStore(), clock: systemClock, secret: config.AUTH_SECRET, secureCookies: config.secureCookies });
});

export const { auth } = nextAuth;

type RouteHandler = (request: NextRequest) => Promise<Response>;

/** Auth.js's own endpoints, except that reading /api/auth/session leaves the session cookie's expiry alone (auth-config.ts). */
function sessionReadKeepsCookie(handler: RouteHandler): RouteHandler {
  return async (request) => {
    const response = await handler(request);
    if (!request.nextUrl.pathname.endsWith("/session")) return response;
    return withoutSessionCookieRefresh(response, sessionCookieName(env().secureCookies));
  };
}

export const handlers = {
  GET: sessionReadKeepsCookie(nextAuth.handlers.GET),
  POST: sessionReadKeepsCookie(nextAuth.handlers.POST),
};
