import type { Locale } from "../../i18n/locales";
import type { AuditRowFor } from "../core/audit";
import type { AuthDeps } from "../core/deps";
import { failure, success, type Result } from "../core/errors";
import type { RequestContext } from "../core/request-context";
import type { ActiveSession } from "../core/sessions";
import { removeFactor } from "../factors/factor-removal";

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
  /** Step-up grants proved with an app on the account's sessions, now ended. */
  endedGrants: number;
  /** The account was emailed; these other sessions could be signed out (ASVS 7.4.3). */
  otherSessions: number;
}

/**
 * Removes one of the account's apps. The policy guards it (the command
 * declares `security.factor.remove`: a recent proof with the strongest
 * factor). The rest is every factor removal's (lib/auth/factors/factor-removal.ts):
 * the notice, the audit event and the end of the grants proved with an app
 * commit together; of parallel removals one succeeds and the others find nothing.
 */
export async function deleteTotpFactor(
  deps: AuthDeps,
  input: { session: ActiveSession; id: string; locale: Locale; context: RequestContext; auditRow: AuditRowFor },
): Promise<Result<TotpFactorDeleted>> {
  const user = input.session.user;
  const app = await deps.store.totpFactors.findForUser(input.id, user.id);
  // Another account's app, or an enrolment never confirmed, is simply not found.
  if (!app?.confirmedAt) return failure("NOT_FOUND");

  const removed = await removeFactor(deps, {
    ...input,
    factor: { kind: "totp", id: app.id, name: app.name },
    remove: async (tx) => ((await tx.totpFactors.delete(app.id, user.id)) ? {} : null),
  });
  if (!removed.ok) return removed;
  return success({ deleted: true, endedGrants: removed.value.endedGrants, otherSessions: removed.value.otherSessions });
}
