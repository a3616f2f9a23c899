import { v7 } from "uuid";

/**
 * Ids for rows the hot path writes: UUIDv7 (uuid, MIT), time-ordered and
 * ordered within one millisecond too. A new row's key then lands at the end
 * of its primary-key index instead of on a random page, so a batch of
 * inserts writes a few pages rather than one per row, and rows written at
 * the same instant still sort in the order they were written (the dev
 * mailbox breaks createdAt ties by id). The id reveals when the row was
 * made, which every one of these rows also stores in the clear.
 */
export function newRowId(): string {
  return v7();
}
