import type { Locale } from "../../i18n/locales";
import type { AuthDeps } from "../core/deps";
import { failure, success, type Result } from "../core/errors";
import type { AuditRowFor } from "../core/audit";
import { removeFactor } from "../factors/factor-removal";
import { passkeyName } from "./passkey-rules";
import type { RequestContext } from "../core/request-context";
import { revokeSessionsCreatedBy, type ActiveSession } from "../core/sessions";

export interface PasskeySummary {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  /** "synced" (backed up to a cloud keychain) or "this device only". */
  synced: boolean;
}

/** Every query is scoped to the session's user: another account's id is simply not found. */
export async function listPasskeys(deps: Pick<AuthDeps, "store">, userId: string): Promise<PasskeySummary[]> {
  const rows = await deps.store.passkeys.listForUser(userId);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    synced: row.backedUp,
  }));
}

export async function renamePasskey(
  deps: Pick<AuthDeps, "store">,
  input: { userId: string; passkeyId: string; name: string },
): Promise<Result<{ id: string; name: string }>> {
  const name = passkeyName(input.name, "");
  if (!(await deps.store.passkeys.rename(input.passkeyId, input.userId, name))) return failure("NOT_FOUND");
  return success({ id: input.passkeyId, name });
}

export interface PasskeyDeleted {
  deleted: true;
  /** What still lets the person in: their other passkeys, and always their email. */
  remainingPasskeys: number;
  emailSignInAvailable: true;
  /** Sessions this passkey's sign-ins had created, now ended. */
  endedSessions: number;
  /** Step-up grants proved with a passkey on the account's sessions, now ended. */
  endedGrants: number;
  /** The account was emailed; these other sessions could be signed out (ASVS 7.4.3). */
  otherSessions: number;
}

/**
 * Removes one of the account's passkeys. The policy guards it (the command
 * declares `security.factor.remove`: a passkey proof from the last 10
 * minutes, the account's strongest factor being a passkey). What every
 * factor removal does (the notice, the audit event, the end of the grants
 * proved with a passkey) is lib/auth/factors/factor-removal.ts; a passkey
 * adds one thing: the sessions its sign-ins created end with it (a lost or
 * stolen authenticator takes its sessions along). Kept: the session doing
 * the removal (present, and it just proved itself), and sessions created
 * any other way; "sign out of all other sessions" is offered for them.
 */
export async function deletePasskey(
  deps: AuthDeps,
  input: { session: ActiveSession; passkeyId: string; context: RequestContext; locale: Locale; auditRow: AuditRowFor },
): Promise<Result<PasskeyDeleted>> {
  const user = input.session.user;
  const passkey = await deps.store.passkeys.findForUser(input.passkeyId, user.id);
  // Another account's passkey is simply not found.
  if (!passkey) return failure("NOT_FOUND");

  const removed = await removeFactor(deps, {
    ...input,
    factor: { kind: "passkey", id: passkey.id, name: passkey.name },
    async remove(tx) {
      // Removed by a parallel request: that one ends the sessions and sends the notice.
      if (!(await tx.passkeys.delete(passkey.id, user.id))) return null;
      const endedSessions = await revokeSessionsCreatedBy(tx.sessions, { userId: user.id, passkeyId: passkey.id, keepSessionId: input.session.id });
      return { endedSessions };
    },
  });
  if (!removed.ok) return removed;
  const remainingPasskeys = await deps.store.passkeys.countForUser(user.id);
  const { ended, endedGrants, otherSessions } = removed.value;
  return success({ deleted: true, remainingPasskeys, emailSignInAvailable: true, endedSessions: ended.endedSessions, endedGrants, otherSessions });
}
