import { signInLockKey } from "../lock-keys";
import type { AuthStore, EmailChallengePurpose, EmailChallengeRow, EmailChallengeStore } from "../types";
import { inTransaction, type PrismaClientLike } from "./client";
import { prismaOutboxStore } from "../../../delivery/prisma-outbox-store";
import type { Prisma } from "../../../generated/sqlite/client";

const ROW = {
  id: true,
  email: true,
  purpose: true,
  status: true,
  expiresAt: true,
  bindingHash: true,
  codeHash: true,
  failedCodeAttempts: true,
  locale: true,
  callbackPath: true,
} as const;

const rowOf = (row: { purpose: string } & Omit<EmailChallengeRow, "purpose">): EmailChallengeRow => ({
  ...row,
  purpose: row.purpose as EmailChallengePurpose,
});

/**
 * Voids the matching pending challenges in one statement (UPDATE …
 * RETURNING) and answers their highest wrong-code count, which the new
 * challenge inherits: asking again never buys more guesses (B4 §3.2.2).
 */
async function voidAll(tx: PrismaClientLike, where: Prisma.MagicLinkChallengeWhereInput): Promise<number> {
  const voided = await tx.magicLinkChallenge.updateManyAndReturn({
    where,
    data: { status: "voided" },
    select: { failedCodeAttempts: true },
  });
  return Math.max(0, ...voided.map((row) => row.failedCodeAttempts));
}

/** Emailed codes and links on Prisma: the reference implementation (../types.ts says what each method promises). */
export function prismaEmailChallenges(client: PrismaClientLike, provider: AuthStore["provider"]): EmailChallengeStore {
  /** What redeeming a pending, unexpired challenge writes; a code's reserved attempt is given back. */
  const consume = (tx: PrismaClientLike, id: string, now: Date, byCode: boolean) =>
    tx.magicLinkChallenge.updateMany({
      where: { id, status: "pending", expiresAt: { gt: now } },
      data: { status: "redeemed", redeemedAt: now, ...(byCode ? { failedCodeAttempts: { decrement: 1 } } : {}) },
    });

  return {
    issueSignIn: (challenge, email) =>
      inTransaction(client, async (tx) => {
        // Two requests from one browser for one address would otherwise each
        // void what the other had not yet committed, and both links would
        // stay valid. (SQLite runs one writing transaction at a time.)
        if (provider === "postgresql") {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${signInLockKey(challenge.email)}, 0))`;
        }
        const replaced = {
          email: challenge.email,
          purpose: "sign_in",
          bindingHash: challenge.bindingHash,
          status: "pending",
          expiresAt: { gt: challenge.createdAt },
        };
        const voided = await voidAll(tx, replaced);
        const user = await tx.user.findUnique({ where: { email: challenge.email }, select: { id: true } });
        await tx.magicLinkChallenge.create({
          data: {
            ...challenge,
            purpose: "sign_in",
            userId: user?.id ?? null,
            failedCodeAttempts: voided,
          },
        });
        await prismaOutboxStore(tx).insert(email);
      }),

    issueCode: (challenge, email) =>
      inTransaction(client, async (tx) => {
        // Two requests at once would each void only what the other had not
        // yet committed, and leave two live codes with a fresh count each
        // (seen on PostgreSQL). Writing the account's row first makes the
        // second wait for the first to commit; the write changes nothing.
        // (SQLite runs one writing transaction at a time anyway.)
        const locked = await tx.$executeRaw`UPDATE "User" SET "updatedAt" = "updatedAt" WHERE "id" = ${challenge.userId}`;
        if (locked !== 1) return false;
        const replaced = {
          email: challenge.email,
          purpose: challenge.purpose,
          status: "pending",
          expiresAt: { gt: challenge.createdAt },
        };
        const voided = await voidAll(tx, replaced);
        await tx.magicLinkChallenge.create({ data: { ...challenge, failedCodeAttempts: voided } });
        await prismaOutboxStore(tx).insert(email);
        return true;
      }),

    async findByTokenHash(tokenHash) {
      const row = await client.magicLinkChallenge.findUnique({ where: { tokenHash }, select: ROW });
      return row ? rowOf(row) : null;
    },

    async findById(id) {
      const row = await client.magicLinkChallenge.findUnique({ where: { id }, select: ROW });
      return row ? rowOf(row) : null;
    },

    async reserveCodeAttempt(challengeId, now, limit) {
      // One statement (UPDATE … RETURNING): the count it answers is the one this attempt made.
      const [reserved] = await client.magicLinkChallenge.updateManyAndReturn({
        where: { id: challengeId, status: "pending", expiresAt: { gt: now }, failedCodeAttempts: { lt: limit } },
        data: { failedCodeAttempts: { increment: 1 } },
        select: { failedCodeAttempts: true },
      });
      return reserved?.failedCodeAttempts ?? null;
    },

    async consumeByCode(challengeId, now) {
      return (await consume(client, challengeId, now, true)).count === 1;
    },

    redeemSignIn: (input) =>
      inTransaction(client, async (tx) => {
        if ((await consume(tx, input.challengeId, input.now, input.codeAttemptReserved)).count !== 1) return null;
        // One statement (INSERT … ON CONFLICT): two first sign-ins of one
        // address at once make one account. It was made here if it has our id.
        const refreshed = { emailVerified: input.now, locale: input.locale, updatedAt: input.now };
        const user = await tx.user.upsert({
          where: { email: input.email },
          create: { id: input.newUserId, email: input.email, createdAt: input.now, ...refreshed },
          update: refreshed,
          select: { id: true },
        });
        const { tokenHash, ...session } = input.session;
        await tx.session.create({
          data: { ...session, sessionToken: tokenHash, userId: user.id, lastSeenAt: session.createdAt },
        });
        const redeemed = { userId: user.id, isNewUser: user.id === input.newUserId };
        if (input.audit) await tx.authEvent.create({ data: input.audit(redeemed) });
        return redeemed;
      }),

    async deleteExpiredBefore(before) {
      return (await client.magicLinkChallenge.deleteMany({ where: { expiresAt: { lt: before } } })).count;
    },
  };
}
