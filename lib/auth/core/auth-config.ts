import { PrismaAdapter } from "@auth/prisma-adapter";
import type { NextAuthConfig } from "next-auth";
import type { Clock } from "../../clock";
import type { Db } from "../../db/client";
import type { AuthStore } from "../store/types";
import { cookieOptions, sessionCookieName } from "./cookie-names";
import { hashedSessionAdapter } from "./session-adapter";
import { AAL1_ABSOLUTE_SECONDS } from "./sessions";

// The columns our Session rows carry beyond Auth.js's own (prisma/schema),
// which the adapter reads with the row, and what `auth()` answers with them
// (the session callback below): typed once here, the way Auth.js documents.
declare module "@auth/core/adapters" {
  interface AdapterSession {
    aal?: number;
    methods?: string;
    createdAt?: Date;
    userAgentClass?: string;
    country?: string | null;
  }
}
declare module "next-auth" {
  interface Session {
    aal: number;
    /** JSON, as stored: read it with parseMethodUses. */
    methods: string;
    /** A Date from `auth()`; text once it has crossed /api/auth/session as JSON. */
    createdAt: Date | string | null;
    device: string;
    country: string | null;
  }
}

export interface AuthConfigDeps {
  /** For Auth.js's own Prisma adapter (users, accounts of OAuth providers a fork adds). */
  db: Db;
  store: AuthStore;
  clock: Clock;
  secret: string;
  secureCookies: boolean;
}

/**
 * Auth.js's configuration, apart from Next.js (auth-js.ts hands it to
 * NextAuth) so that tests can run it through @auth/core's `Auth` on a test
 * database and a moved clock.
 */
export function authConfig(deps: AuthConfigDeps): NextAuthConfig {
  return {
    adapter: hashedSessionAdapter(PrismaAdapter(deps.db), deps.store.sessions, deps.clock),
    providers: [],
    secret: deps.secret,
    trustHost: true,
    session: {
      strategy: "database",
      // The longest a session can live (AAL1's absolute expiry). Auth.js's
      // `updateAge` is left alone: its write on read is turned off in the
      // adapter (session-adapter.ts says why), and the idle window slides in
      // findActiveSession instead.
      maxAge: AAL1_ABSOLUTE_SECONDS,
    },
    cookies: {
      sessionToken: {
        name: sessionCookieName(deps.secureCookies),
        options: cookieOptions(deps.secureCookies),
      },
    },
    pages: { signIn: "/sign-in" },
    callbacks: {
      // What `auth()` and /api/auth/session expose: never the token or its hash.
      session({ session, user }) {
        return {
          expires: session.expires,
          user: { id: user.id, email: user.email, name: user.name ?? null },
          aal: session.aal ?? 1,
          methods: session.methods ?? "[]",
          createdAt: session.createdAt ?? null,
          device: session.userAgentClass ?? "unknown",
          country: session.country ?? null,
        };
      },
    },
  };
}

/**
 * Auth.js answers every read of /api/auth/session with the session cookie
 * again, expiring `maxAge` (30 days) from now whatever the session's own
 * limits: an AAL2 session's cookie would outlive its 24-hour absolute
 * expiry. That read does not slide the session (session-adapter.ts), so
 * the cookie has nothing to follow: the re-sent cookie is dropped. A
 * cleared cookie (an unknown or expired token) still goes through.
 */
export function withoutSessionCookieRefresh(response: Response, cookieName: string): Response {
  const cookies = response.headers.getSetCookie();
  const refresh = (cookie: string) => cookie.startsWith(`${cookieName}=`) && !cookie.startsWith(`${cookieName}=;`);
  if (!cookies.some(refresh)) return response;
  const headers = new Headers(response.headers);
  headers.delete("set-cookie");
  for (const cookie of cookies) if (!refresh(cookie)) headers.append("set-cookie", cookie);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
