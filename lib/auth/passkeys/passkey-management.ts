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
  const passkey = await deps.store.passkeys.findForUser(input.passkeyId, user.id);
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
  const removed = await deps.store.transaction(async (tx) => {
    // Removed by a parallel request: that one ended the sessions and sent the notice.
    if (!(await tx.passkeys.delete(passkey.id, user.id))) return null;
    const endedSessions = await revokeSessionsCreatedBy(tx.sessions, { userId: user.id, passkeyId: passkey.id, keepSessionId: input.session.id });
    const messageId = await enqueueEmail(tx.outbox, deps.clock, notice);
    await insertAuditRow(tx, input.auditRow({ details: { passkeyId: passkey.id, endedSessions } }));
    return { endedSessions, messageId };
  });
  if (!removed) return failure("NOT_FOUND");
  await dispatchNotice(deps, removed.messageId);
  const [remainingPasskeys, otherSessions] = await Promise.all([
    deps.store.passkeys.countForUser(user.id),
    countOtherSessions(deps.store.sessions, deps.clock, { userId: user.id, keepSessionId: input.session.id }),
  ]);
  return success({ deleted: true, remainingPasskeys, emailSignInAvailable: true, endedSessions: removed.endedSessions, otherSessions });
}
