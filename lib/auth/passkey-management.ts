import type { AuthDeps } from "./deps";
import { failure, success, type Result } from "./errors";
import { passkeyName } from "./passkey-rules";
import { isRecentlyAuthenticated } from "./recent-auth";
import type { ActiveSession } from "./sessions";

export interface PasskeySummary {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** "synced" (backed up to a cloud keychain) or "this device only". */
  synced: boolean;
}

/** Every query is scoped to the session's user: another account's id is simply not found. */
export async function listPasskeys(deps: Pick<AuthDeps, "db">, userId: string): Promise<PasskeySummary[]> {
  const rows = await deps.db.passkey.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, createdAt: true, lastUsedAt: true, backedUp: true },
  });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    synced: row.backedUp,
  }));
}

export async function renamePasskey(
  deps: Pick<AuthDeps, "db">,
  input: { userId: string; passkeyId: string; name: string },
): Promise<Result<{ id: string; name: string }>> {
  const name = passkeyName(input.name, "");
  const renamed = await deps.db.passkey.updateMany({ where: { id: input.passkeyId, userId: input.userId }, data: { name } });
  if (renamed.count !== 1) return failure("NOT_FOUND");
  return success({ id: input.passkeyId, name });
}

/**
 * Removing an authenticator needs a recent sign-in, like adding one. The
 * answer says what still lets the person in: their other passkeys, and
 * always a link or code to their email.
 */
export async function deletePasskey(
  deps: Pick<AuthDeps, "db" | "clock">,
  input: { session: ActiveSession; passkeyId: string },
): Promise<Result<{ deleted: true; remainingPasskeys: number; emailSignInAvailable: true }>> {
  if (!isRecentlyAuthenticated(input.session, deps.clock.now())) return failure("REAUTH_REQUIRED");
  const userId = input.session.user.id;
  const deleted = await deps.db.passkey.deleteMany({ where: { id: input.passkeyId, userId } });
  if (deleted.count !== 1) return failure("NOT_FOUND");
  const remainingPasskeys = await deps.db.passkey.count({ where: { userId } });
  return success({ deleted: true, remainingPasskeys, emailSignInAvailable: true });
}
