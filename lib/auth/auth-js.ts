import { PrismaAdapter } from "@auth/prisma-adapter";
import NextAuth from "next-auth";
import { systemClock } from "../clock";
import { db } from "../db";
import { env } from "../env";
import { sessionCookieName, cookieOptions } from "./cookie-names";
import { hashedSessionAdapter } from "./session-adapter";
import { AAL1_ABSOLUTE_SECONDS, SESSION_TOUCH_INTERVAL_SECONDS } from "./sessions";

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

/**
 * Auth.js is the session layer (DESIGN.md "Sessions"): `auth()` reads the
 * database session our ceremonies created. It has no providers of its own
 * yet; our ceremonies live in lib/auth and create sessions themselves,
 * because Auth.js's Credentials provider can only mint JWTs. An OAuth
 * provider a team adds here flows through the same Session table.
 */
export const { auth, handlers } = NextAuth(() => {
  const config = env();
  return {
    adapter: hashedSessionAdapter(PrismaAdapter(db()), db(), systemClock),
    providers: [],
    secret: config.AUTH_SECRET,
    trustHost: true,
    session: {
      strategy: "database",
      maxAge: AAL1_ABSOLUTE_SECONDS,
      updateAge: SESSION_TOUCH_INTERVAL_SECONDS,
    },
    cookies: {
      sessionToken: {
        name: sessionCookieName(config.secureCookies),
        options: cookieOptions(config.secureCookies),
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
});
