/**
 * The PostgreSQL advisory lock that orders two sign-in requests for one
 * address (both store implementations take it), so that each voids the
 * other's link instead of leaving both valid.
 */
export function signInLockKey(email: string): string {
  return `sign-in:${email}`;
}
