import type { TotpFactorStore } from "../types";
import { inTransaction, type PrismaClientLike } from "./client";

/** Authenticator apps on Prisma: the reference implementation (../types.ts). */
export function prismaTotpFactors(client: PrismaClientLike): TotpFactorStore {
  return {
    async insertPending(factor) {
      await inTransaction(client, async (tx) => {
        await tx.totpFactor.deleteMany({ where: { userId: factor.userId, confirmedAt: null } });
        await tx.totpFactor.create({ data: factor });
      });
    },

    findForUser(id, userId) {
      return client.totpFactor.findFirst({ where: { id, userId } });
    },

    listConfirmed(userId) {
      return client.totpFactor.findMany({ where: { userId, confirmedAt: { not: null } }, orderBy: { createdAt: "asc" } });
    },

    async acceptStep(id, step, now) {
      // One conditional update: the database, not a read before it, decides
      // which of two requests with the same code wins.
      const accepted = await client.totpFactor.updateMany({
        where: {
          id,
          OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }],
          AND: [{ OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] }],
        },
        data: { lastUsedStep: step, lastUsedAt: now, failedAttempts: 0, lockedUntil: null },
      });
      if (accepted.count !== 1) return false;
      await client.totpFactor.updateMany({ where: { id, confirmedAt: null }, data: { confirmedAt: now } });
      return true;
    },

    async recordWrongCode(id, { limit, lockedUntil }) {
      return inTransaction(client, async (tx) => {
        const counted = await tx.totpFactor.update({ where: { id }, data: { failedAttempts: { increment: 1 } } });
        if (counted.failedAttempts < limit) return counted.failedAttempts;
        await tx.totpFactor.update({ where: { id }, data: { failedAttempts: 0, lockedUntil } });
        return counted.failedAttempts;
      });
    },

    async delete(id, userId) {
      return (await client.totpFactor.deleteMany({ where: { id, userId } })).count === 1;
    },
  };
}
