import { enqueueEmail } from "../../delivery/outbox";
import type { Locale } from "../../i18n/locales";
import { insertAuditRow, type AuditRowFor } from "../core/audit";
import type { AuthDeps } from "../core/deps";
import { failure, success, type Result } from "../core/errors";
import type { RequestContext } from "../core/request-context";
import { countOtherSessions, type ActiveSession } from "../core/sessions";
import { dispatchNotice } from "../core/notice";
import { factorChangeEmail } from "../passkeys/passkey-notifications";
import type { StrongMethod } from "../policy/types";
import type { AuthStore } from "../store/types";

/** A factor about to be removed: its kind, and what the account's notice and audit event call it. */
export interface RemovedFactor {
  kind: StrongMethod;
  id: string;
  /** As the account named it; the notice quotes it. */
  name: string;
}

export interface FactorRemoved<E> {
  /** What the kind's own `remove` ended with it (a passkey: the sessions it created). */
  ended: E;
  /** Step-up grants proved with a factor of this kind, on any of the account's sessions, now ended. */
  endedGrants: number;
  /** The account was emailed; these other sessions could be signed out (ASVS 7.4.3). */
  otherSessions: number;
}

/**
 * Removing a passkey or an authenticator app, the parts both share. The
 * policy has already judged it (the commands declare
 * `security.factor.remove`); the caller has found the factor, scoped to the
 * session's account. In one transaction: the kind's own `remove` (false
 * when a parallel request removed it first: NOT_FOUND, nothing else done),
 * the end of every step-up grant proved with this kind of factor, the
 * account's notice queued and the audit event written. Then the notice is
 * sent and the other sessions counted.
 *
 * Why every grant of the kind, not only this factor's: a grant records how
 * it was proved (passkey or app), not with which one. A grant made with a
 * removed app must not keep opening actions, so all the account's app
 * grants end; one made with another app costs the person one more
 * confirmation, never an action they should not have.
 */
export async function removeFactor<E extends Record<string, number>>(
  deps: AuthDeps,
  input: {
    session: ActiveSession;
    factor: RemovedFactor;
    remove: (tx: AuthStore) => Promise<E | null>;
    locale: Locale;
    context: RequestContext;
    auditRow: AuditRowFor;
  },
): Promise<Result<FactorRemoved<E>>> {
  const { session, factor } = input;
  const user = session.user;
  const notice = await factorChangeEmail(deps, {
    change: factor.kind === "passkey" ? "passkeyRemoved" : "totpRemoved",
    user,
    fallbackLocale: input.locale,
    passkeyName: factor.name,
    device: input.context.browserSummary,
  });
  const removed = await deps.store.transaction(async (tx) => {
    const ended = await input.remove(tx);
    if (!ended) return null;
    const endedGrants = await tx.grants.deleteForUserByMethod(user.id, factor.kind);
    const messageId = await enqueueEmail(tx.outbox, deps.clock, notice);
    await insertAuditRow(tx, input.auditRow({ details: { [AUDIT_ID[factor.kind]]: factor.id, ...ended, endedGrants } }));
    return { ended, endedGrants, messageId };
  });
  if (!removed) return failure("NOT_FOUND");
  await dispatchNotice(deps, removed.messageId);
  const otherSessions = await countOtherSessions(deps.store.sessions, deps.clock, { userId: user.id, keepSessionId: session.id });
  return success({ ended: removed.ended, endedGrants: removed.endedGrants, otherSessions });
}

/** The audit detail that names the factor, as each kind's events always have. */
const AUDIT_ID: Record<StrongMethod, string> = { passkey: "passkeyId", totp: "totpFactorId" };
