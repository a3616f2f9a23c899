import { enqueueEmail } from "../../delivery/outbox";
import type { Locale } from "../../i18n/locales";
import type { AuthDeps } from "../core/deps";
import { failure, success, type Result } from "../core/errors";
import { insertAuditRow, type AuditRowFor } from "../core/audit";
import { dispatchNotice, factorChangeEmail } from "./passkey-notifications";
import { passkeyName } from "./passkey-rules";
import { factorChangeRefusal } from "../core/recent-auth";
import type { RequestContext } from "../core/request-context";
import { countOtherSessions, revokeSessionsCreatedBy, type ActiveSession } from "../core/sessions";

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

export interface PasskeyDeleted {
  deleted: true;
  /** What still lets the person in: their other passkeys, and always their email. */
  remainingPasskeys: number;
  emailSignInAvailable: true;
  /** Sessions this passkey's sign-ins had created, now ended. */
  endedSessions: number;
  /** The account was emailed; these other sessions could be signed out (ASVS 7.4.3). */
  otherSessions: number;
}

/**
 * Removing an authenticator needs the same proof as adding one: the account
 * has a passkey (this one at least), so a recent sign-in or re-confirmation
 * with a passkey on this session (PASSKEY_REAUTH_REQUIRED otherwise).
 *
 * In one transaction: the sessions this passkey's sign-ins created end (a
 * lost or stolen authenticator takes its sessions with it), the passkey is
 * deleted, the account's notice is queued and the audit event written.
 * Kept: the session doing the removal (present, and it just proved itself),
 * and sessions that were only re-confirmed with this passkey: they keep the
 * origin they were created with (an email sign-in stays an email session),
 * and "sign out of all other sessions" is offered for them.
 */
export async function deletePasskey(
  deps: AuthDeps,
  input: { session: ActiveSession; passkeyId: string; context: RequestContext; locale: Locale; auditRow: AuditRowFor },
): Promise<Result<PasskeyDeleted>> {
  const user = input.session.user;
  const passkey = await deps.db.passkey.findFirst({ where: { id: input.passkeyId, userId: user.id }, select: { id: true, name: true } });
  // Another account's passkey is simply not found.
  if (!passkey) return failure("NOT_FOUND");
  const refused = factorChangeRefusal(input.session, deps.clock.now(), { hasPasskey: true });
  if (refused) return failure(refused);

  const notice = await factorChangeEmail(deps, {
    change: "passkeyRemoved",
    user,
    fallbackLocale: input.locale,
    passkeyName: passkey.name,
    device: input.context.browserSummary,
  });
  const removed = await deps.db.$transaction(async (tx) => {
    const deleted = await tx.passkey.deleteMany({ where: { id: passkey.id, userId: user.id } });
    // Removed by a parallel request: that one ended the sessions and sent the notice.
    if (deleted.count !== 1) return null;
    const endedSessions = await revokeSessionsCreatedBy(tx, { userId: user.id, passkeyId: passkey.id, keepSessionId: input.session.id });
    const messageId = await enqueueEmail(tx, deps.clock, notice);
    await insertAuditRow(tx, input.auditRow({ details: { passkeyId: passkey.id, endedSessions } }));
    return { endedSessions, messageId };
  });
  if (!removed) return failure("NOT_FOUND");
  await dispatchNotice(deps, removed.messageId);
  const [remainingPasskeys, otherSessions] = await Promise.all([
    deps.db.passkey.count({ where: { userId: user.id } }),
    countOtherSessions(deps.db, deps.clock, { userId: user.id, keepSessionId: input.session.id }),
  ]);
  return success({ deleted: true, remainingPasskeys, emailSignInAvailable: true, endedSessions: removed.endedSessions, otherSessions });
}
