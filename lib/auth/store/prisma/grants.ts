import type { GrantRow, GrantStore } from "../types";
import type { PrismaClientLike } from "./client";

/** Step-up grants on Prisma: the reference implementation (../types.ts). */
export function prismaGrants(client: PrismaClientLike): GrantStore {
  return {
    async insert(grant) {
      await client.stepUpGrant.create({ data: grant });
    },

    async listActive(sessionId, now) {
      const rows = await client.stepUpGrant.findMany({
        where: { sessionId, expiresAt: { gt: now } },
        orderBy: { createdAt: "asc" },
      });
      return rows.map((row) => ({ ...row, method: row.method as GrantRow["method"] }));
    },

    async deleteForUserByMethod(userId, method) {
      // Through the session: its userId index finds the account's sessions,
      // the grants' own (sessionId, action) index their grants; the grant
      // table has no index by user, and a grant's user is its session's.
      const { count } = await client.stepUpGrant.deleteMany({ where: { method, session: { userId } } });
      return count;
    },
  };
}
