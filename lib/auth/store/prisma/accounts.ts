import type { AccountStore } from "../types";
import type { PrismaClientLike } from "./client";

/** Accounts on Prisma: the reference implementation (../types.ts). */
export function prismaAccounts(client: PrismaClientLike): AccountStore {
  return {
    findByEmail: (email) => client.user.findUnique({ where: { email }, select: { id: true, email: true, role: true } }),

    passkeyPrompt: (userId) =>
      client.passkeyPromptState.findUnique({
        where: { userId },
        select: { shownCount: true, dismissals: true, lastShownAt: true, lastDismissedAt: true },
      }),

    async countPasskeyPrompt(userId, event, at) {
      const shown = event === "shown";
      await client.passkeyPromptState.upsert({
        where: { userId },
        create: {
          userId,
          shownCount: shown ? 1 : 0,
          lastShownAt: shown ? at : null,
          dismissals: shown ? 0 : 1,
          lastDismissedAt: shown ? null : at,
        },
        update: shown ? { shownCount: { increment: 1 }, lastShownAt: at } : { dismissals: { increment: 1 }, lastDismissedAt: at },
      });
    },
  };
}
