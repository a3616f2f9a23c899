import { randomFillSync } from "node:crypto";

/**
 * CSPRNG bytes handed out from a buffer that is filled a few kilobytes at
 * a time, the way Node.js serves its own `randomUUID()` and `randomInt()`.
 *
 * Why: every `randomBytes(32)` or `getRandomValues()` call crosses into
 * C++ and OpenSSL for a handful of bytes, about 5 µs each on the machines
 * this project is benchmarked on, and a sign-in request needs five of them
 * (link token, binding, three row ids). One 4 KiB fill costs about as much
 * as two such calls and serves a hundred.
 *
 * The bytes are the same CSPRNG output either way, and each is handed out
 * once (the offset only moves forward; a refill replaces the whole buffer).
 * Handed-out bytes are zeroed in the pool, so this long-lived buffer holds
 * only secrets nobody has yet; the caller's copy, and the token string made
 * from it, live as long as any other value in the heap.
 */

/** Bytes fetched from the CSPRNG per fill (the largest request must fit). */
export const RANDOM_POOL_BYTES = 4096;

const pool = Buffer.alloc(RANDOM_POOL_BYTES);
/** The first byte not yet handed out; a full pool starts at 0. */
let offset = RANDOM_POOL_BYTES;

/** `count` fresh random bytes, never handed out before, in a Buffer of their own. */
export function randomPoolBytes(count: number): Buffer {
  if (!Number.isInteger(count) || count < 1 || count > RANDOM_POOL_BYTES) {
    throw new RangeError(`randomPoolBytes: count must be an integer from 1 to ${RANDOM_POOL_BYTES}, not ${count}`);
  }
  if (offset + count > RANDOM_POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + count));
  pool.fill(0, offset, offset + count);
  offset += count;
  return bytes;
}
