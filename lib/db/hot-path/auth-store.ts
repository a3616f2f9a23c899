import { prismaAuthStore } from "../../auth/store/prisma";
import type { AuthStore } from "../../auth/store/types";
import { hotPath, type Db } from "../client";

/**
 * The auth store with the hot path in place (AUTH_STORE=sql, the default):
 * the Prisma reference (lib/auth/store/prisma) for everything, except the
 * methods every sign-in and every signed-in request calls, which run the
 * SQL of this folder. Inside `transaction` every store is the reference's:
 * those are the ceremonies that change factors and accounts, not the
 * request-per-second paths.
 */
export function sqlAuthStore(db: Db): AuthStore {
  const fast = hotPath(db);
  const reference = prismaAuthStore(db, fast.provider);
  return {
    ...reference,
    emailChallenges: { ...reference.emailChallenges, ...fast.emailChallenges },
    sessions: { ...reference.sessions, ...fast.sessions },
    accounts: { ...reference.accounts, ...fast.accounts },
    grants: { ...reference.grants, ...fast.grants },
    passkeys: { ...reference.passkeys, ...fast.passkeys },
    totpFactors: { ...reference.totpFactors, ...fast.totpFactors },
    webauthnChallenges: { ...reference.webauthnChallenges, ...fast.webauthnChallenges },
    devices: { ...reference.devices, ...fast.devices },
    audit: fast.audit,
    outbox: { ...reference.outbox, ...fast.outbox },
  };
}
