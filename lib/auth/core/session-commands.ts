import { z } from "zod";
import { failure, success } from "./errors";
import { revokeOtherSessions, revokeSession } from "./sessions";
import { disownSession } from "./session-disowning";
import { listSessions } from "./session-list";
import { defineCommand } from "./command-types";

export const getSessionCommand = defineCommand({
  name: "AUTH.SESSION.GET",
  requiresSession: true,
  readOnly: true,
  // The browser's device prover reads which device the session is bound to.
  whileDeviceProofDue: true,
  input: z.strictObject({}),
  async handle({ session }) {
    if (!session) return failure("UNAUTHENTICATED");
    return success({
      data: {
        user: { id: session.user.id, email: session.user.email, role: session.user.role },
        session: {
          id: session.id,
          aal: session.aal,
          methods: session.methods,
          createdAt: session.createdAt.toISOString(),
          expiresAt: session.expiresAt.toISOString(),
          absoluteExpiresAt: session.absoluteExpiresAt.toISOString(),
          device: session.userAgentClass,
          country: session.country,
          binding: session.binding,
          deviceId: session.deviceId,
          deviceProofDue: session.deviceProofDue,
          deviceProofDueAt: session.deviceProofDueAt?.toISOString() ?? null,
        },
      },
      audit: { userId: session.user.id, sessionId: session.id },
    });
  },
});

export const revokeSessionCommand = defineCommand({
  name: "AUTH.SESSION.REVOKE",
  requiresSession: true,
  // Signing out never waits for a proof.
  whileDeviceProofDue: true,
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
export const revokeAllOtherSessionsCommand = defineCommand({
  name: "AUTH.SESSION.REVOKE_ALL_OTHERS",
  requiresSession: true,
  input: z.strictObject({}),
  async handle({ deps, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    const revoked = await revokeOtherSessions(deps.store.sessions, { userId: session.user.id, keepSessionId: session.id });
    return success({ data: { revoked }, audit: { details: { revoked } } });
  },
});

/**
 * Every live session of the account, for Settings → Sessions: where and
 * how each started, when it was last used, and which one is asking. The
 * tokens never leave the server; a session is named by its id.
 */
export const listSessionsCommand = defineCommand({
  name: "AUTH.SESSION.LIST",
  requiresSession: true,
  readOnly: true,
  input: z.strictObject({}),
  async handle({ deps, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    const listed = await listSessions(deps, { userId: session.user.id, currentSessionId: session.id });
    const sessions = listed.map((entry) => ({
      ...entry,
      createdAt: entry.createdAt.toISOString(),
      lastSeenAt: entry.lastSeenAt.toISOString(),
      expiresAt: entry.expiresAt.toISOString(),
    }));
    return success({ data: { sessions }, audit: { userId: session.user.id, details: { listed: sessions.length } } });
  },
});

/**
 * Ends one other session of the account (ASVS 7.4.1: on the server, at
 * once; its next request finds no session). The asking session ends with
 * AUTH.SESSION.REVOKE instead, which also clears its cookie; an id from
 * another account, or one already gone, is NOT_FOUND, so ids reveal
 * nothing.
 */
export const revokeOtherSessionCommand = defineCommand({
  name: "AUTH.SESSION.REVOKE_OTHER",
  requiresSession: true,
  input: z.strictObject({ sessionId: z.string().min(1).max(64) }),
  async handle({ params, deps, session }) {
    if (!session) return failure("UNAUTHENTICATED");
    if (params.sessionId === session.id) return failure("VALIDATION_FAILED", { fields: { sessionId: "CURRENT_SESSION" } });
    const ended = await deps.store.sessions.deleteForUser(session.user.id, params.sessionId);
    if (!ended) return failure("NOT_FOUND");
    return success({ data: { revoked: true }, audit: { details: { sessionId: params.sessionId } } });
  },
});

/**
 * "This wasn't me", from the new-sign-in email's link (session-disowning.ts):
 * ends the session the link names, with no session of its own (the person
 * may be signed out, on another device). Audited under the account whose
 * session it ended.
 */
export const disownSessionCommand = defineCommand({
  name: "AUTH.SESSION.DISOWN",
  requiresSession: false,
  input: z.strictObject({ token: z.string().min(1).max(200) }),
  async handle({ params, deps }) {
    const disowned = await disownSession(deps, params.token);
    if (!disowned.ok) return disowned;
    const { ended, userId, sessionId } = disowned.value;
    return success({ data: { ended }, audit: { ...(userId ? { userId } : {}), details: { sessionId, ended } } });
  },
});
