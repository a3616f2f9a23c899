import { enqueueEmail } from "../../delivery/outbox";
import type { Locale } from "../../i18n/locales";
import { insertAuditRow, type AuditRowFor } from "../core/audit";
import type { AuthDeps } from "../core/deps";
import { failure, success, type Result } from "../core/errors";
import type { RequestContext } from "../core/request-context";
import { countOtherSessions, type ActiveSession } from "../core/sessions";
import { dispatchNotice, factorChangeEmail } from "../passkeys/passkey-notifications";

/** One authenticator app as the account sees it: never its secret, sealed or not. */
export interface TotpFactorSummary {
  id: string;
  /** Empty until named: the screens call it "Authenticator app" in the reader's language. */
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** The account's confirmed apps, oldest first. A pending enrolment is not an app yet. */
export async function listTotpFactors(deps: Pick<AuthDeps, "store">, userId: string): Promise<TotpFactorSummary[]> {
  const rows = await deps.store.totpFactors.listConfirmed(userId);
  // Field by field, so a column added to the row later never reaches a caller by accident.
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  }));
}

export interface TotpFactorDeleted {
  deleted: true;
  /** The account was emailed; these other sessions could be signed out (ASVS 7.4.3). */
  otherSessions: number;
}

/**
 * Removes one of the account's apps. The policy guards it (the command
 * declares `security.factor.remove`: a recent proof with the strongest
 * factor). The removal, the account's notice and the audit event commit
 * together; of parallel removals one succeeds and the others find nothing.
 */
export async function deleteTotpFactor(
  deps: AuthDeps,
  input: { session: ActiveSession; id: string; locale: Locale; context: RequestContext; auditRow: AuditRowFor },
): Promise<Result<TotpFactorDeleted>> {
  const user = input.session.user;
  const app = await deps.store.totpFactors.findForUser(input.id, user.id);
  // Another account's app, or an enrolment never confirmed, is simply not found.
  if (!app?.confirmedAt) return failure("NOT_FOUND");

  const notice = await factorChangeEmail(deps, {
    change: "totpRemoved",
    user,
    fallbackLocale: input.locale,
    passkeyName: app.name,
    device: input.context.browserSummary,
  });
  const messageId = await deps.store.transaction(async (tx) => {
    if (!(await tx.totpFactors.delete(app.id, user.id))) return null;
    const queued = await enqueueEmail(tx.outbox, deps.clock, notice);
    await insertAuditRow(tx, input.auditRow({ details: { totpFactorId: app.id } }));
    return queued;
  });
  if (!messageId) return failure("NOT_FOUND");
  await dispatchNotice(deps, messageId);
  const otherSessions = await countOtherSessions(deps.store.sessions, deps.clock, { userId: user.id, keepSessionId: input.session.id });
  return success({ deleted: true, otherSessions });
}
