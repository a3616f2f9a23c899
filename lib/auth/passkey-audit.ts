import type { Db } from "../db/client";
import type { AuditRow } from "../db/hot-path/types";

/**
 * A passkey ceremony's success event, built by `execute` (HandlerInput's
 * `auditRow`) and inserted by the ceremony in the transaction that makes its
 * change: a session, a passkey added or removed, a re-confirmation is never
 * granted with its record lost (ASVS 16.3.1; issue 17 item 8).
 */
export type AuditRowFor = (facts?: {
  userId?: string;
  sessionId?: string;
  details?: Record<string, string | number | boolean | null>;
}) => AuditRow;

export async function insertAuditRow(tx: Pick<Db, "authEvent">, row: AuditRow): Promise<void> {
  await tx.authEvent.create({ data: row });
}
