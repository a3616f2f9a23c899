import { createHmac, createSecretKey, hash, randomInt, timingSafeEqual, type KeyObject } from "node:crypto";
import { randomPoolBytes } from "../../random-pool";

/**
 * One-time secrets: generated from the CSPRNG, stored only as hashes.
 *
 * High-entropy secrets (link tokens, bindings, session tokens) are stored as
 * SHA-256: nobody can search 2^256 values. The 6-digit code is different: its
 * million values would fall to an offline search of a leaked table in a
 * second, so it gets a keyed hash (HMAC-SHA-256 with AUTH_SECRET).
 */

/** 32 bytes = 256 bits, above ASVS 11.5.1's 128-bit floor. */
export const LINK_TOKEN_BYTES = 32;
/** The browser-binding secret kept in an HttpOnly cookie. */
export const BINDING_BYTES = 32;
export const SESSION_TOKEN_BYTES = 32;
export const CODE_DIGITS = 6;

/** `bytes` CSPRNG bytes as base64url, from the pool (lib/random-pool.ts: the same bytes, fewer calls into OpenSSL). */
export function randomToken(bytes: number): string {
  return randomPoolBytes(bytes).toString("base64url");
}

/** A uniformly random 6-digit code, leading zeros kept. */
export function randomCode(): string {
  return randomInt(0, 10 ** CODE_DIGITS).toString().padStart(CODE_DIGITS, "0");
}

/** One-shot `crypto.hash` (Node ≥ 20.12): a third of `createHash`'s cost, paid on every signed-in request. */
export function sha256Hex(value: string): string {
  return hash("sha256", value, "hex");
}

/**
 * HMAC-SHA-256 of `value` under `purpose`, hex-encoded. The purpose keeps a
 * hash made for one use (a link token) from matching in another (a session).
 */
export function keyedHash(secret: string, purpose: string, value: string): string {
  return createHmac("sha256", hmacKey(secret)).update(`${purpose}\u0000${value}`).digest("hex");
}

/** The secret as a KeyObject, made once: a string key is converted into a new key on every HMAC. */
let lastKey: { secret: string; key: KeyObject } | null = null;

function hmacKey(secret: string): KeyObject {
  if (lastKey?.secret !== secret) lastKey = { secret, key: createSecretKey(secret, "utf8") };
  return lastKey.key;
}

/** Compares two hex digests in constant time. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** Base64url text of at least `minBytes` bytes, as produced by randomToken. */
export function looksLikeToken(value: string, minBytes: number): boolean {
  return /^[A-Za-z0-9_-]+$/.test(value) && value.length >= Math.ceil((minBytes * 4) / 3) && value.length <= 256;
}
