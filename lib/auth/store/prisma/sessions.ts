import type { SessionBinding, SessionListing, SessionRow, SessionStore } from "../types";
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
  binding: true,
  deviceId: true,
} as const;

const ROW = { ...LISTING, proofDueAt: true, user: { select: { id: true, email: true, role: true, locale: true } } } as const;

/** The column is a string; only the store writes it, with a SessionBinding. */
function typed<R extends { binding: string }>(row: R): R & { binding: SessionBinding } {
  return row as R & { binding: SessionBinding };
}

/** Sessions on Prisma: the reference implementation (../types.ts). The cookie's token is stored as its SHA-256 only. */
export function prismaSessions(client: PrismaClientLike): SessionStore {
  return {
    async insert({ tokenHash, ...row }) {
      await client.session.create({ data: { ...row, sessionToken: tokenHash, lastSeenAt: row.createdAt } });
    },

    async findByTokenHash(tokenHash): Promise<SessionRow | null> {
      const row = await client.session.findUnique({ where: { sessionToken: tokenHash }, select: ROW });
      return row && typed(row);
    },

    async findById(id): Promise<SessionRow | null> {
      const row = await client.session.findUnique({ where: { id }, select: ROW });
      return row && typed(row);
    },

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

    async listActiveForUser(userId, now): Promise<SessionListing[]> {
      const rows = await client.session.findMany({
        where: { userId, expires: { gt: now }, absoluteExpiresAt: { gt: now } },
        orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
        select: LISTING,
      });
      // Session.deviceId has no relation (schema.prisma says why): the names come in one more query.
      const deviceIds = [...new Set(rows.flatMap((row) => (row.deviceId ? [row.deviceId] : [])))];
      const devices =
        deviceIds.length === 0
          ? []
          : await client.device.findMany({ where: { userId, id: { in: deviceIds } }, select: { id: true, name: true } });
      const names = new Map(devices.map((device) => [device.id, device.name]));
      return rows.map((row) => ({ ...typed(row), deviceName: row.deviceId ? (names.get(row.deviceId) ?? null) : null }));
    },

    async deleteForUser(userId, sessionId) {
      // Both in the condition: an id from another account matches nothing.
      const ended = await client.session.deleteMany({ where: { id: sessionId, userId } });
      return ended.count === 1;
    },

    async bind(sessionId, binding, from) {
      const bound = await client.session.updateMany({ where: { id: sessionId, deviceId: from.deviceId }, data: binding });
      return bound.count === 1;
    },

    async deleteForDevice(userId, deviceId) {
      // Found through the userId index, as deleteCreatedByPasskey's are.
      const ended = await client.session.deleteMany({ where: { userId, deviceId } });
      return ended.count;
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
