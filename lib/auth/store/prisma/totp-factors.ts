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
      // which of two requests with the same code wins. The confirmation of a
      // pending enrolment commits with it, or neither does.
      return inTransaction(client, async (tx) => {
        const accepted = await tx.totpFactor.updateMany({
          where: {
            id,
            OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }],
            AND: [{ OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] }],
          },
          data: { lastUsedStep: step, lastUsedAt: now, failedAttempts: 0, lockedUntil: null },
        });
        if (accepted.count !== 1) return false;
        await tx.totpFactor.updateMany({ where: { id, confirmedAt: null }, data: { confirmedAt: now } });
        return true;
      });
    },

    async recordWrongCode(id, { limit, lockedUntil }) {
      return inTransaction(client, async (tx) => {
        // updateManyAndReturn, not update: an app deleted meanwhile is no error (0), not a thrown P2025.
        const [counted] = await tx.totpFactor.updateManyAndReturn({
          where: { id },
          data: { failedAttempts: { increment: 1 } },
          select: { failedAttempts: true },
        });
        if (!counted) return 0;
        if (counted.failedAttempts >= limit) {
          await tx.totpFactor.updateMany({ where: { id }, data: { failedAttempts: 0, lockedUntil } });
        }
        return counted.failedAttempts;
      });
    },

    async delete(id, userId) {
      return (await client.totpFactor.deleteMany({ where: { id, userId } })).count === 1;
    },
  };
}
