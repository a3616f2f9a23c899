import type { PasskeyRow, PasskeyStore } from "../types";
import type { PrismaClientLike } from "./client";

const ROW = {
  id: true,
  userId: true,
  credentialId: true,
  publicKey: true,
  counter: true,
  transports: true,
  backupEligible: true,
  backedUp: true,
  name: true,
  createdAt: true,
  lastUsedAt: true,
} as const;

/** The counter is a BigInt column (authenticators count to 2^32): a plain number fits it exactly. */
function rowOf<T extends { counter: bigint; publicKey: Uint8Array }>(
  row: T,
): Omit<T, "counter" | "publicKey"> & { counter: number; publicKey: Uint8Array<ArrayBuffer> } {
  return { ...row, counter: Number(row.counter), publicKey: new Uint8Array(row.publicKey) };
}

/** Passkeys on Prisma: the reference implementation (../types.ts). Every query by account is scoped to it. */
export function prismaPasskeys(client: PrismaClientLike): PasskeyStore {
  return {
    async insert({ publicKey, counter, ...passkey }) {
      const row = await client.passkey.create({
        data: { ...passkey, publicKey: Buffer.from(publicKey), counter: BigInt(counter) },
        select: ROW,
      });
      return rowOf(row);
    },

    async findByCredentialId(credentialId) {
      const row = await client.passkey.findUnique({
        where: { credentialId },
        select: { ...ROW, user: { select: { id: true, email: true, locale: true } } },
      });
      return row ? rowOf(row) : null;
    },

    async findForUser(id, userId) {
      const row = await client.passkey.findFirst({ where: { id, userId }, select: ROW });
      return row ? rowOf(row) : null;
    },

    async listForUser(userId): Promise<PasskeyRow[]> {
      const rows = await client.passkey.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: ROW });
      return rows.map(rowOf);
    },

    countForUser: (userId) => client.passkey.count({ where: { userId } }),

    async recordUse(id, use) {
      const updated = await client.passkey.updateMany({
        where: { id, counter: BigInt(use.expectedCounter) },
        data: { counter: BigInt(use.counter), lastUsedAt: use.at, backedUp: use.backedUp },
      });
      return updated.count === 1;
    },

    async rename(id, userId, name) {
      return (await client.passkey.updateMany({ where: { id, userId }, data: { name } })).count === 1;
    },

    async delete(id, userId) {
      return (await client.passkey.deleteMany({ where: { id, userId } })).count === 1;
    },
  };
}
