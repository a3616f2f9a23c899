import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync, randomBytes, type KeyObject } from "node:crypto";

/**
 * TOTP secrets at rest. Unlike a code or a token, a TOTP secret cannot be
 * stored as a hash: the server needs it to compute the codes. So it is
 * encrypted, with AES-256-GCM under a key that is not in the database, and
 * bound to its row: the caller passes associated data naming the row (e.g.
 * `totp:<userId>:<factorId>`), so a ciphertext copied into another row, or
 * another user's, does not decrypt.
 *
 * The stored form is one string, `v1.<iv>.<ciphertext>.<tag>` (base64url).
 * The version says how to read the rest: a fork that rotates keys writes
 * `v2.<key id>.…` and keeps reading v1 until every row is re-encrypted.
 *
 * Bad stored data (tampered, truncated, another key, another row) is an
 * expected failure and comes back as a value, never a throw: a corrupted
 * row must cost its owner this factor, not crash a request with a stack
 * trace. A wrong key length or empty associated data is a bug and throws.
 */

/** AES-256: a 32-byte key. */
export const SECRET_BOX_KEY_BYTES = 32;
/** GCM's 96-bit IV, random per encryption (NIST SP 800-38D §8.2.2): safe for 2^32 encryptions per key (§8.3), far above one per enrolment. */
export const SECRET_BOX_IV_BYTES = 12;
/** The full 128-bit tag; a shorter one is refused (see openTotpSecret). */
export const SECRET_BOX_TAG_BYTES = 16;

const CIPHER = "aes-256-gcm";
const VERSION = "v1";
/** HKDF's `info`: a key derived for this purpose is unrelated to any other key derived from AUTH_SECRET. */
const TOTP_KEY_INFO = "trustladder totp secret v1";
/** AUTH_SECRET's own floor in lib/env.ts: derivation from anything shorter is a configuration bug. */
const MIN_AUTH_SECRET_LENGTH = 32;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export type OpenedSecret =
  | { ok: true; secret: Uint8Array }
  /** `malformed`: not our format; `unsupported-version`: a prefix this code cannot read; `not-authentic`: wrong key, wrong row or altered bytes. */
  | { ok: false; reason: "malformed" | "unsupported-version" | "not-authentic" };

/** Encrypts `secret` for the row `associatedData` names. Two calls never give the same string (a new random IV each). */
export function sealTotpSecret({ key, secret, associatedData }: { key: KeyObject; secret: Uint8Array; associatedData: string }): string {
  checkKey(key);
  checkAssociatedData(associatedData);
  const iv = randomBytes(SECRET_BOX_IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: SECRET_BOX_TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${VERSION}.${iv.toString("base64url")}.${ciphertext.toString("base64url")}.${tag.toString("base64url")}`;
}

/** The secret sealed for the row `associatedData` names, or why it cannot be read. Never throws for bad stored data. */
export function openTotpSecret({ key, sealed, associatedData }: { key: KeyObject; sealed: string; associatedData: string }): OpenedSecret {
  checkKey(key);
  checkAssociatedData(associatedData);
  if (typeof sealed !== "string") return { ok: false, reason: "malformed" };
  const parts = sealed.split(".");
  if (parts.length !== 4) return { ok: false, reason: "malformed" };
  const [version, ...encoded] = parts;
  if (version !== VERSION) return { ok: false, reason: /^v[0-9]+$/.test(version) ? "unsupported-version" : "malformed" };
  const [iv, ciphertext, tag] = encoded.map(strictBase64url);
  // GCM accepts tags down to 4 bytes unless told otherwise: a stored tag cut
  // short would be checked on fewer bits. Only the full length is read.
  if (!iv || !ciphertext || !tag || iv.length !== SECRET_BOX_IV_BYTES || tag.length !== SECRET_BOX_TAG_BYTES || ciphertext.length === 0) {
    return { ok: false, reason: "malformed" };
  }
  const decipher = createDecipheriv(CIPHER, key, iv, { authTagLength: SECRET_BOX_TAG_BYTES });
  decipher.setAAD(Buffer.from(associatedData, "utf8"));
  decipher.setAuthTag(tag);
  const plaintext = decipher.update(ciphertext);
  try {
    // final() is where GCM checks the tag; nothing decrypted is used before it passes.
    return { ok: true, secret: new Uint8Array(Buffer.concat([plaintext, decipher.final()])) };
  } catch {
    plaintext.fill(0);
    return { ok: false, reason: "not-authentic" };
  }
}

/**
 * The key that seals TOTP secrets, from configuration.
 *
 * - `totpKey` set: a dedicated key, base64url of exactly 32 bytes; anything
 *   else throws a readable error at start-up.
 * - unset: derived from AUTH_SECRET with HKDF-SHA-256 (RFC 5869) and a fixed
 *   `info`, so it is unrelated to every other use of AUTH_SECRET. This needs
 *   no configuration, at a price: rotating AUTH_SECRET (the usual answer to
 *   its leak) then leaves every enrolled authenticator app unreadable, and
 *   its owners must enrol again; and one leaked secret exposes both sessions
 *   and TOTP secrets. A deployment that may rotate AUTH_SECRET sets a
 *   dedicated key.
 *
 * A KeyObject, not bytes: logging the dependencies prints no key material.
 */
export function totpKeyFrom(config: { totpKey?: string; authSecret: string }): KeyObject {
  if (config.totpKey !== undefined) return createSecretKey(dedicatedKey(config.totpKey));
  if (config.authSecret.length < MIN_AUTH_SECRET_LENGTH) {
    throw new Error(`The TOTP key is derived from AUTH_SECRET, which must have at least ${MIN_AUTH_SECRET_LENGTH} characters.`);
  }
  const derived = hkdfSync("sha256", Buffer.from(config.authSecret, "utf8"), Buffer.alloc(0), TOTP_KEY_INFO, SECRET_BOX_KEY_BYTES);
  return createSecretKey(Buffer.from(derived));
}

function dedicatedKey(encoded: string): Buffer {
  const key = strictBase64url(encoded.trim());
  if (key?.length === SECRET_BOX_KEY_BYTES) return key;
  const found = key ? `it decodes to ${key.length} bytes` : "it is not base64url (A-Z, a-z, 0-9, '-', '_', no padding)";
  throw new Error(
    `The TOTP encryption key must be ${SECRET_BOX_KEY_BYTES} random bytes in base64url, but ${found}. ` +
      `Make one with \`node -e "console.log(require('node:crypto').randomBytes(${SECRET_BOX_KEY_BYTES}).toString('base64url'))"\`, ` +
      "or leave it unset to derive one from AUTH_SECRET.",
  );
}

/**
 * Base64url bytes, or null unless `text` is exactly what encoding them gives
 * back: Node's decoder skips characters it does not know and ignores a last
 * character's spare bits, so two different stored strings could otherwise
 * read as the same bytes.
 */
function strictBase64url(text: string): Buffer | null {
  if (!BASE64URL.test(text)) return null;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : null;
}

function checkKey(key: KeyObject): void {
  if (key.type !== "secret" || key.symmetricKeySize !== SECRET_BOX_KEY_BYTES) {
    throw new TypeError(`The TOTP secret box needs a ${SECRET_BOX_KEY_BYTES}-byte secret key`);
  }
}

function checkAssociatedData(associatedData: string): void {
  // Without it a ciphertext would decrypt in any row: refusing it keeps the binding from being forgotten.
  if (associatedData.length === 0) throw new TypeError("The TOTP secret box needs associated data naming the row");
}
