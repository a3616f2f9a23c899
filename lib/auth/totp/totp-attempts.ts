import type { TotpFactorRow, TotpFactorStore } from "../store/types";

/** Wrong codes in a row that lock an app (SECURITY "One-time secrets": 5 per code here). */
export const TOTP_MAX_WRONG_CODES = 5;
/** How long the fifth wrong code locks the app for. */
export const TOTP_LOCK_SECONDS = 15 * 60;

/** Seconds until the app takes codes again at `now`; 0 when it is not locked. */
export function lockedForSeconds(row: Pick<TotpFactorRow, "lockedUntil">, now: Date): number {
  if (!row.lockedUntil) return 0;
  const remaining = row.lockedUntil.getTime() - now.getTime();
  return remaining > 0 ? Math.ceil(remaining / 1000) : 0;
}

/** Counts one wrong code against the app; true when it was the one that locked it. */
export async function countWrongCode(store: Pick<TotpFactorStore, "recordWrongCode">, factorId: string, now: Date): Promise<boolean> {
  const count = await store.recordWrongCode(factorId, {
    limit: TOTP_MAX_WRONG_CODES,
    lockedUntil: new Date(now.getTime() + TOTP_LOCK_SECONDS * 1000),
  });
  return count >= TOTP_MAX_WRONG_CODES;
}
