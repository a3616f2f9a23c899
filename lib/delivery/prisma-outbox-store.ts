import type { Db } from "../db/client";
import { SCRUBBED_BODY, type OutboxStore } from "./outbox-store";

/** The outbox on Prisma: the reference implementation (outbox-store.ts). `db` may be a transaction's client. */
export function prismaOutboxStore(db: Pick<Db, "outboxMessage">): OutboxStore {
  return {
    async insert(row) {
      const claimed = row.transport !== null;
      await db.outboxMessage.create({
        data: {
          ...row,
          status: row.sentAt ? "sent" : "pending",
          attempts: claimed ? 1 : 0,
        },
      });
    },

    find: (id) =>
      db.outboxMessage.findUnique({
        where: { id },
        select: { id: true, to: true, subject: true, text: true, html: true, status: true, attempts: true },
      }),

    async claim(id, attempts, transport) {
      const claimed = await db.outboxMessage.updateMany({
        where: { id, status: "pending", attempts },
        data: { attempts: attempts + 1, transport },
      });
      return claimed.count === 1;
    },

    async markSent(id, sentAt, providerMessageId, keepBody) {
      await db.outboxMessage.update({
        where: { id },
        data: {
          status: "sent",
          sentAt,
          lastError: null,
          providerMessageId,
          ...(keepBody ? {} : { text: SCRUBBED_BODY, html: SCRUBBED_BODY }),
        },
      });
    },

    async recordFailure(id, failure) {
      await db.outboxMessage.update({
        where: { id },
        data: {
          status: failure.giveUp ? "failed" : "pending",
          lastError: failure.error,
          nextAttemptAt: failure.nextAttemptAt,
          ...(failure.giveUp ? { text: SCRUBBED_BODY, html: SCRUBBED_BODY } : {}),
        },
      });
    },

    async dueIds(now, limit) {
      const due = await db.outboxMessage.findMany({
        where: { status: "pending", nextAttemptAt: { lte: now } },
        orderBy: { nextAttemptAt: "asc" },
        take: limit,
        select: { id: true },
      });
      return due.map((row) => row.id);
    },
  };
}
