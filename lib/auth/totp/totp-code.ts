import { randomBytes, timingSafeEqual } from "node:crypto";
import { HOTP, Secret, TOTP } from "otpauth";

/**
 * The authenticator-app (TOTP, RFC 6238) primitives: a new secret, the
 * enrolment URI and manual key, and the one check of a code. Pure functions:
 * the time is always a parameter, taken by the caller from the app's clock,
 * never from the client (RFC 6238 §5.2, ASVS 6.5.8: server time only).
 *
 * otpauth (RFC 4226/6238) computes the codes. Its own `TOTP.validate` is not
 * used to check them, because:
 * - it returns the delta of the first step that matches (current, then −1,
 *   then +1) and knows nothing of the last used step, so a code that matches
 *   an already used step and a fresh one could not be told apart;
 * - it checks only the string's length before comparing, and its
 *   `timingSafeEqual` compares UTF-8 bytes: a 6-character code of
 *   full-width digits ("１２３４５６", 18 bytes) makes it throw a RangeError.
 * Its comparison is constant-time (crypto.timingSafeEqual); so is ours.
 */

/** 160 bits, RFC 4226 §4's recommended length and SECURITY's floor for TOTP (≥160 bits). */
export const TOTP_SECRET_BYTES = 20;
/** RFC 6238 §5.2's recommended time step, the one every authenticator app assumes. */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** HMAC-SHA-1: the only algorithm every authenticator app supports (several ignore the URI's `algorithm`). */
export const TOTP_ALGORITHM = "SHA1";
/** Steps accepted either side of the server's: ±1 at most (RFC 6238 §5.2, SECURITY "TOTP"). */
export const TOTP_WINDOW_STEPS = 1;

/** Exactly six ASCII digits: `\d` would be too, but this says so. Anything else is refused uncompared. */
const CODE_PATTERN = /^[0-9]{6}$/;
/** The manual key: RFC 4648 base32 of 20 bytes is 32 characters, without padding. */
const MANUAL_KEY_PATTERN = /^[A-Z2-7]{32}$/;
const MANUAL_KEY_GROUP_CHARACTERS = 4;

/** A new TOTP secret: TOTP_SECRET_BYTES from the CSPRNG. */
export function newTotpSecret(): Uint8Array {
  return new Uint8Array(randomBytes(TOTP_SECRET_BYTES));
}

/**
 * The `otpauth://totp/Issuer:account?secret=…&issuer=…` URI the QR code
 * carries (Google's Key URI format, which every app reads). Issuer and
 * account name are percent-encoded by otpauth; the issuer is also given as a
 * parameter, which apps prefer to the label's prefix.
 */
export function otpauthUri({ secret, issuer, accountName }: { secret: Uint8Array; issuer: string; accountName: string }): string {
  // The label's colon separates issuer and account: an issuer containing one is a bug of the caller.
  if (issuer.length === 0 || issuer.includes(":")) throw new TypeError("otpauthUri: the issuer must be non-empty and have no colon");
  return new TOTP({
    issuer,
    label: accountName,
    issuerInLabel: true,
    secret: otpSecret(secret),
    algorithm: TOTP_ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

/** The manual key for a person to type: base32 in groups of four ("ABCD EFGH …"). */
export function base32Secret(secret: Uint8Array): string {
  const groups = otpSecret(secret).base32.match(new RegExp(`.{1,${MANUAL_KEY_GROUP_CHARACTERS}}`, "g")) ?? [];
  return groups.join(" ");
}

/**
 * The secret back from a manual key as shown (spaces, lower case and
 * padding tolerated), or null when it is not a 20-byte base32 key. For tests
 * and e2e journeys that read the key off the page, as a phone would.
 */
export function secretFromManualKey(manualKey: string): Uint8Array | null {
  const key = manualKey.replace(/[\s=]/g, "").toUpperCase();
  if (!MANUAL_KEY_PATTERN.test(key)) return null;
  return new Uint8Array(Secret.fromBase32(key).bytes);
}

/** The RFC 6238 time step containing `at`: floor(unix seconds / TOTP_PERIOD_SECONDS). */
export function totpStepAt(at: Date): number {
  const timestamp = at.getTime();
  // An invalid Date would make every step NaN: a bug of the caller's clock, not a wrong code.
  if (!Number.isFinite(timestamp)) throw new RangeError("totpStepAt: invalid date");
  return TOTP.counter({ period: TOTP_PERIOD_SECONDS, timestamp });
}

/**
 * The code a phone shows at `at`. For tests and e2e journeys; `digits`
 * exists for RFC 6238 Appendix B's 8-digit vectors only.
 */
export function totpCodeAt(secret: Uint8Array, at: Date, { digits = TOTP_DIGITS }: { digits?: number } = {}): string {
  return codeForStep(secret, totpStepAt(at), digits);
}

/**
 * The time step whose code `code` is, or null. The caller stores the
 * returned step as the factor's last used one and passes it back next time.
 *
 * - Only six ASCII digits are compared; anything else is null, never a throw.
 * - Only the steps current−1, current and current+1 are tried
 *   (TOTP_WINDOW_STEPS, RFC 6238 §5.2).
 * - Steps at or before `lastUsedStep` are never tried: an accepted code is
 *   never accepted again, nor an older code after a newer one (ASVS 6.5.8).
 * - When the code is that of two candidate steps (one chance in a million
 *   per pair), the later step is returned, so that the same six digits
 *   cannot be accepted a second time as the other step.
 * - Every candidate is compared, in constant time, with no early exit.
 */
export function matchTotpStep({
  secret,
  code,
  at,
  lastUsedStep,
}: {
  secret: Uint8Array;
  code: string;
  at: Date;
  lastUsedStep: number | null;
}): number | null {
  if (typeof code !== "string" || !CODE_PATTERN.test(code)) return null;
  const current = totpStepAt(at);
  const given = Buffer.from(code, "ascii");
  let matched: number | null = null;
  for (let step = current - TOTP_WINDOW_STEPS; step <= current + TOTP_WINDOW_STEPS; step++) {
    if (step < 0 || (lastUsedStep !== null && step <= lastUsedStep)) continue;
    const expected = Buffer.from(codeForStep(secret, step, TOTP_DIGITS), "ascii");
    if (timingSafeEqual(given, expected)) matched = step;
  }
  return matched;
}

function codeForStep(secret: Uint8Array, step: number, digits: number): string {
  return HOTP.generate({ secret: otpSecret(secret), algorithm: TOTP_ALGORITHM, digits, counter: step });
}

/**
 * otpauth's Secret takes an ArrayBuffer and reads all of it: a Uint8Array
 * that is a view into a larger buffer (a Node Buffer from the pool) would
 * hand it the whole pool. Copying keeps exactly the secret's bytes.
 */
function otpSecret(secret: Uint8Array): Secret {
  return new Secret({ buffer: Uint8Array.from(secret).buffer });
}
