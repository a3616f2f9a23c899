import type { SessionRow, SessionStore } from "../types";
import type { PrismaClientLike } from "./client";

/** A session's own columns, without its account (a session list shows one account's). */
const LISTING = {
  id: true,
  aal: true,
  methods: true,
  userAgentClass: true,
  country: true,
  createdAt: true,
  lastSeenAt: true,
  expires: true,
  absoluteExpiresAt: true,
  restricted: true,
} as const;

const ROW = { ...LISTING, user: { select: { id: true, email: true, role: true, locale: true } } } as const;

/** Sessions on Prisma: the reference implementation (../types.ts). The cookie's token is stored as its SHA-256 only. */
export function prismaSessions(client: PrismaClientLike): SessionStore {
  return {
    async insert({ tokenHash, ...row }) {
      await client.session.create({ data: { ...row, sessionToken: tokenHash, lastSeenAt: row.createdAt } });
    },

    findByTokenHash: (tokenHash): Promise<SessionRow | null> =>
      client.session.findUnique({ where: { sessionToken: tokenHash }, select: ROW }),

    findById: (id): Promise<SessionRow | null> => client.session.findUnique({ where: { id }, select: ROW }),

    async touch(sessionId, lastSeenAt, expires) {
      await client.session.updateMany({ where: { id: sessionId }, data: { lastSeenAt, expires } });
    },

    async replaceToken(sessionId, change) {
      const updated = await client.session.updateMany({
        where: { id: sessionId },
        data: { sessionToken: change.tokenHash, methods: change.methods, restricted: change.restricted },
      });
      return updated.count === 1;
    },

    async deleteByTokenHash(tokenHash) {
      const row = await client.session.findUnique({ where: { sessionToken: tokenHash }, select: { id: true } });
      if (!row) return null;
      await client.session.deleteMany({ where: { id: row.id } });
      return row.id;
    },

    async deleteOthers(userId, keepSessionId) {
      const ended = await client.session.deleteMany({ where: { userId, id: { not: keepSessionId } } });
      return ended.count;
    },

    listActiveForUser: (userId, now) =>
      client.session.findMany({
        where: { userId, expires: { gt: now }, absoluteExpiresAt: { gt: now } },
        orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
        select: LISTING,
      }),

    async deleteForUser(userId, sessionId) {
      // Both in the condition: an id from another account matches nothing.
      const ended = await client.session.deleteMany({ where: { id: sessionId, userId } });
      return ended.count === 1;
    },

    countOthersActive: (userId, keepSessionId, now) =>
      client.session.count({
        where: { userId, id: { not: keepSessionId }, expires: { gt: now }, absoluteExpiresAt: { gt: now } },
      }),

    listRecentSignIns: (userId, since, limit) =>
      client.session.findMany({
        where: { userId, createdAt: { gte: since } },
        orderBy: { createdAt: "desc" },
        take: limit,
        select: { createdAt: true, userAgentClass: true, country: true, latitude: true, longitude: true },
      }),

    async deleteCreatedByPasskey(userId, passkeyId, keepSessionId) {
      // Found through the userId index (Session.passkeyId has none).
      const ended = await client.session.deleteMany({ where: { userId, passkeyId, id: { not: keepSessionId } } });
      // The kept session no longer points at a credential that exists.
      await client.session.updateMany({ where: { id: keepSessionId, passkeyId }, data: { passkeyId: null } });
      return ended.count;
    },
  };
}
