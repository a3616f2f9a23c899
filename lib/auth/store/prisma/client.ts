import type { Db } from "../../../db/client";
import type { Prisma } from "../../../generated/sqlite/client";

/** The Prisma client, or the client of one of its interactive transactions. */
export type PrismaClientLike = Db | Prisma.TransactionClient;

/** Runs `work` in a transaction: a new one on the client, or the one `client` already is. */
export function inTransaction<T>(client: PrismaClientLike, work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return "$transaction" in client ? client.$transaction(work) : work(client);
}
