import type { AuthDeps } from "../core/deps";
import type { TotpFactorRow } from "../store/types";
import { openTotpSecret, sealTotpSecret } from "./secret-box";

/**
 * An app's secret, sealed for its own row: the associated data names the
 * account and the factor (`totp:<userId>:<factorId>`), so a sealed secret
 * copied into another row, or another account's, does not open.
 */
export function totpAssociatedData(userId: string, factorId: string): string {
  return `totp:${userId}:${factorId}`;
}

export function sealFactorSecret(deps: Pick<AuthDeps, "totpKey">, factor: { userId: string; id: string }, secret: Uint8Array): string {
  return sealTotpSecret({ key: deps.totpKey, secret, associatedData: totpAssociatedData(factor.userId, factor.id) });
}

/** The row's secret, or null when it cannot be read (another key, another row, altered bytes): that app is unusable. */
export function openFactorSecret(
  deps: Pick<AuthDeps, "totpKey">,
  row: Pick<TotpFactorRow, "id" | "userId" | "secretSealed">,
): Uint8Array | null {
  const opened = openTotpSecret({ key: deps.totpKey, sealed: row.secretSealed, associatedData: totpAssociatedData(row.userId, row.id) });
  return opened.ok ? opened.secret : null;
}
