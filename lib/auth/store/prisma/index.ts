import { prismaOutboxStore } from "../../../delivery/prisma-outbox-store";
import type { AuthStore } from "../types";
import { prismaAccounts } from "./accounts";
import { inTransaction, type PrismaClientLike } from "./client";
import { prismaDevices } from "./devices";
import { prismaEmailChallenges } from "./email-challenges";
import { prismaGrants } from "./grants";
import { prismaPasskeys } from "./passkeys";
import { prismaSessions } from "./sessions";
import { prismaTotpFactors } from "./totp-factors";
import { prismaWebAuthnChallenges } from "./webauthn-challenges";

/**
 * Every store on Prisma: the reference implementation a fork reads and
 * changes (../types.ts says what each method promises). Given a
 * transaction's client, every store works inside that transaction.
 */
export function prismaAuthStore(client: PrismaClientLike, provider: AuthStore["provider"]): AuthStore {
  return {
    provider,
    emailChallenges: prismaEmailChallenges(client, provider),
    webauthnChallenges: prismaWebAuthnChallenges(client),
    sessions: prismaSessions(client),
    passkeys: prismaPasskeys(client),
    accounts: prismaAccounts(client),
    grants: prismaGrants(client),
    totpFactors: prismaTotpFactors(client),
    devices: prismaDevices(client),
    audit: {
      async insert(events) {
        if (events.length > 0) await client.authEvent.createMany({ data: [...events] });
      },
    },
    outbox: prismaOutboxStore(client),
    transaction: (work) => inTransaction(client, (tx) => work(prismaAuthStore(tx, provider))),
  };
}
