import { v7 } from "uuid";
import { randomPoolBytes } from "../random-pool";

/**
 * Ids for rows the hot path writes: UUIDv7 (uuid, MIT), time-ordered and
 * ordered within one millisecond too. A new row's key then lands at the end
 * of its primary-key index instead of on a random page, so a batch of
 * inserts writes a few pages rather than one per row, and rows written at
 * the same instant still sort in the order they were written (the dev
 * mailbox breaks createdAt ties by id). The id reveals when the row was
 * made, which every one of these rows also stores in the clear.
 *
 * The random bits come from the pooled CSPRNG (lib/random-pool.ts). Given
 * its own random bytes, uuid no longer keeps its in-millisecond counter, so
 * the counter is kept here (RFC 9562 §6.2, method 1: a counter that starts
 * at a random value each millisecond and counts up within it). uuid lays
 * its 32 bits out after the version and variant bits, highest first.
 */

/** A fresh millisecond's counter starts below this, leaving room to count up. */
const SEQUENCE_START_LIMIT = 0x80000000;

const last = { msecs: -Infinity, seq: 0 };

/** A new time-ordered id; `now` (ms since the epoch, default the current time) is for tests. */
export function newRowId(now: number = Date.now()): string {
  const random = randomPoolBytes(16);
  if (now > last.msecs) {
    last.msecs = now;
    // Top bit clear: a burst within one millisecond has 2^31 ids to count
    // up through before it spills into the next.
    last.seq = random.readUInt32BE(6) % SEQUENCE_START_LIMIT;
  } else {
    last.seq = (last.seq + 1) >>> 0;
    // A clock that stepped back keeps counting on the last millisecond; a
    // full counter borrows the next one.
    if (last.seq === 0) last.msecs += 1;
  }
  return v7({ msecs: last.msecs, seq: last.seq, random });
}
