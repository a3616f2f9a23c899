import { z } from "zod";
import { failure, success } from "./errors";
import { revokeOtherSessions, revokeSession } from "./sessions";
import { defineCommand } from "./command-types";

export const getSessionCommand = defineCommand({
  name: "AUTH.SESSION.GET",
  requiresSession: true,
  readOnly: true,
  input: z.strictObject({}),
  async handle({ session }) {
    if (!session) return failure("UNAUTHENTICATED");
    return success({
      data: {
        user: { id: session.user.id, email: session.user.email, role: session.user.role },
        session: {
          aal: session.aal,
          methods: session.methods,
          createdAt: session.createdAt.toISOString(),
          expiresAt: session.expiresAt.toISOString(),
          absoluteExpiresAt: session.absoluteExpiresAt.toISOString(),
          device: session.userAgentClass,
          country: session.country,
        },
      },
      audit: { userId: session.user.id, sessionId: session.id },
    });
  },
});

export const revokeSessionCommand = defineCommand({
  name: "AUTH.SESSION.REVOKE",
  requiresSession: true,
  input: z.strictObject({}),
  async handle({ deps, ctx, session }) {
    if (!session || !ctx.sessionToken) return failure("UNAUTHENTICATED");
    await revokeSession(deps.store.sessions, ctx.sessionToken);
    return success({
      data: { revoked: true },
      effects: [{ kind: "clear-session" as const }],
      audit: { userId: session.user.id, sessionId: session.id },
    });
  },
});

/**
 * "Sign out of all other sessions", offered after every factor change
 * (ASVS 7.4.3) and always available: ends every session of this user on
 * the server (ASVS 7.4.1) except the one asking, which stays signed in.
 */
export const revokeOtherSessionsCommand = defineCommand({
  name: "AUTH.SESSION.REVOKE_OTHERS",
  requiresSession: true,
  input: z.strictObject({}),
  async handle({ deps, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    const revoked = await revokeOtherSessions(deps.store.sessions, { userId: session.user.id, keepSessionId: session.id });
    return success({ data: { revoked }, audit: { details: { revoked } } });
  },
});
