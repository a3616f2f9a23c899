import type { WebAuthnChallengeRow, WebAuthnChallengeStore, WebAuthnPurpose } from "../types";
import type { PrismaClientLike } from "./client";

/** WebAuthn challenges on Prisma: the reference implementation (../types.ts). */
export function prismaWebAuthnChallenges(client: PrismaClientLike): WebAuthnChallengeStore {
  return {
    async insert(row) {
      await client.webAuthnChallenge.create({ data: { ...row, deviceId: row.deviceId ?? null } });
    },

    async findById(id) {
      const row = await client.webAuthnChallenge.findUnique({
        where: { id },
        select: {
          id: true,
          purpose: true,
          challenge: true,
          userId: true,
          sessionId: true,
          action: true,
          deviceId: true,
          bindingHash: true,
          status: true,
          createdAt: true,
          expiresAt: true,
        },
      });
      return row ? ({ ...row, purpose: row.purpose as WebAuthnPurpose } satisfies WebAuthnChallengeRow) : null;
    },

    async spend(id, now) {
      const spent = await client.webAuthnChallenge.updateMany({
        where: { id, status: "pending", expiresAt: { gt: now } },
        data: { status: "used", usedAt: now },
      });
      return spent.count === 1;
    },

    async deleteExpiredBefore(before) {
      return (await client.webAuthnChallenge.deleteMany({ where: { expiresAt: { lt: before } } })).count;
    },
  };
}
