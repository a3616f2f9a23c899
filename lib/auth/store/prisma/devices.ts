import type { DeviceRow, DeviceStore, DeviceTrust } from "../types";
import { inTransaction, type PrismaClientLike } from "./client";

const ROW = {
  id: true,
  userId: true,
  publicKey: true,
  name: true,
  trust: true,
  createdAt: true,
  lastSeenAt: true,
  country: true,
  trustedAt: true,
  revokedAt: true,
} as const;

/** The column is a string; only this store writes it, with a DeviceTrust. */
function rowOf<R extends { trust: string }>(row: R): R & { trust: DeviceTrust } {
  return row as R & { trust: DeviceTrust };
}

/** Device keys on Prisma: the reference implementation (../types.ts). Every query by account is scoped to it. */
export function prismaDevices(client: PrismaClientLike): DeviceStore {
  return {
    insert: (device, { maxActive }) =>
      inTransaction(client, async (tx) => {
        // Writing the account's row first makes a second registration wait
        // for this one to commit, so both cannot count 19 and add the 20th
        // and 21st (PostgreSQL's READ COMMITTED; SQLite writes one at a time).
        const locked = await tx.$executeRaw`UPDATE "User" SET "updatedAt" = "updatedAt" WHERE "id" = ${device.userId}`;
        if (locked !== 1) return false;
        const active = await tx.device.count({ where: { userId: device.userId, trust: { not: "revoked" } } });
        if (active >= maxActive) return false;
        await tx.device.create({ data: { ...device, lastSeenAt: device.createdAt } });
        return true;
      }),

    async findForUser(id, userId): Promise<DeviceRow | null> {
      const row = await client.device.findFirst({ where: { id, userId }, select: ROW });
      return row && rowOf(row);
    },

    async listForUser(userId): Promise<DeviceRow[]> {
      const rows = await client.device.findMany({
        where: { userId },
        orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
        select: ROW,
      });
      return rows.map(rowOf);
    },

    countActiveForUser: (userId) => client.device.count({ where: { userId, trust: { not: "revoked" } } }),

    recordSessionProof: (proof) =>
      inTransaction(client, async (tx) => {
        const bound = await tx.session.updateMany({
          where: { id: proof.sessionId, userId: proof.userId, deviceId: proof.fromDeviceId },
          data: { binding: proof.binding, deviceId: proof.deviceId, proofDueAt: proof.proofDueAt },
        });
        if (bound.count !== 1) return { bound: false } as const;
        await tx.device.updateMany({ where: { id: proof.deviceId }, data: { lastSeenAt: proof.at, country: proof.country } });
        const trusted = proof.trust
          ? await tx.device.updateMany({
              where: { id: proof.deviceId, userId: proof.userId, trust: "new" },
              data: { trust: "trusted", trustedAt: proof.at },
            })
          : { count: 0 };
        return { bound: true, trustedNow: trusted.count === 1 } as const;
      }),

    async markTrusted(id, userId, at) {
      const changed = await client.device.updateMany({
        where: { id, userId, trust: { not: "revoked" } },
        data: { trust: "trusted", trustedAt: at },
      });
      return changed.count === 1;
    },

    async rename(id, userId, name) {
      const changed = await client.device.updateMany({ where: { id, userId, trust: { not: "revoked" } }, data: { name } });
      return changed.count === 1;
    },

    async revoke(id, userId, at) {
      // Conditional, so that of two racing revocations one answers true.
      const changed = await client.device.updateMany({
        where: { id, userId, trust: { not: "revoked" } },
        data: { trust: "revoked", revokedAt: at },
      });
      return changed.count === 1;
    },
  };
}
