/**
 * Whether a Prisma error is a unique-constraint violation (P2002). Code that
 * checks first and then inserts can still lose a race to a parallel request;
 * the constraint is the real guard, and this turns its error into the
 * expected failure the check would have returned.
 */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
