import { PrismaAdapter } from "@auth/prisma-adapter";
import NextAuth from "next-auth";
import { systemClock } from "../clock";
import { db } from "../db";
import { env } from "../env";
import { sessionCookieName, cookieOptions } from "./cookie-names";
import { hashedSessionAdapter } from "./session-adapter";
import { AAL1_ABSOLUTE_SECONDS, SESSION_TOUCH_INTERVAL_SECONDS } from "./sessions";

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
        const row = session as unknown as {
          aal?: number;
          methods?: string;
          createdAt?: Date;
          userAgentClass?: string;
          country?: string | null;
        };
        return {
          expires: session.expires,
          user: { id: user.id, email: user.email, name: user.name ?? null },
          aal: row.aal ?? 1,
          methods: row.methods ?? "[]",
          createdAt: row.createdAt ?? null,
          device: row.userAgentClass ?? "unknown",
          country: row.country ?? null,
        } as unknown as typeof session;
      },
    },
  };
});
