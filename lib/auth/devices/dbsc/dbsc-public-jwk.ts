import { calculateJwkThumbprint } from "jose";

/**
 * A DBSC session key's public half, reduced to the members that define it
 * (RFC 7638 §3.2): what the server stores and thumbprints. Only the two
 * key types the draft's ES256 and RS256 need.
 */
export type DbscPublicJwk = { kty: "EC"; crv: "P-256"; x: string; y: string } | { kty: "RSA"; n: string; e: string };

/** Members of a private JWK (RFC 7518 §6.2.2, §6.3.2, §6.4.1). */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** A P-256 coordinate: 32 bytes. */
const COORDINATE_BYTES = 32;
/** NIST SP 800-131A: RSA below 2048 bits is disallowed for signatures. */
const MIN_RSA_BITS = 2048;
/** TPMs and WebCrypto stop at 4096; a larger modulus is only a slower verification to force on us. */
const MAX_RSA_BITS = 4096;
/** 65537: what every TPM and WebCrypto key uses; a small exponent is a known weakness, an odd one a red flag. */
const RSA_EXPONENT = "AQAB";

export type DbscPublicJwkRead = { ok: true; key: DbscPublicJwk } | { ok: false; reason: "private_key" | "unsupported_key" };

/**
 * Reads a public JWK, from a token or from storage. A private member
 * anywhere is its own refusal: a client that can send one has let its key
 * out, and the server must never hold it.
 */
export function dbscPublicJwkFrom(value: unknown): DbscPublicJwkRead {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, reason: "unsupported_key" };
  const jwk = value as Record<string, unknown>;
  if (PRIVATE_MEMBERS.some((member) => member in jwk)) return { ok: false, reason: "private_key" };
  if (jwk.kty === "EC") {
    const { crv, x, y } = jwk;
    if (crv !== "P-256" || !isBase64urlOfLength(x, COORDINATE_BYTES) || !isBase64urlOfLength(y, COORDINATE_BYTES)) return unsupported();
    return { ok: true, key: { kty: "EC", crv, x, y } };
  }
  if (jwk.kty === "RSA") {
    const { n, e } = jwk;
    if (typeof n !== "string" || e !== RSA_EXPONENT) return unsupported();
    const bits = modulusBits(n);
    if (bits === null || bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) return unsupported();
    return { ok: true, key: { kty: "RSA", n, e } };
  }
  return unsupported();
}

/** For a key read back from storage: the key, or null when what was stored is not one. */
export function parseDbscPublicJwk(value: unknown): DbscPublicJwk | null {
  const read = dbscPublicJwkFrom(value);
  return read.ok ? read.key : null;
}

export async function sameKey(a: DbscPublicJwk, b: DbscPublicJwk): Promise<boolean> {
  return (await calculateJwkThumbprint(a, "sha256")) === (await calculateJwkThumbprint(b, "sha256"));
}

function isBase64urlOfLength(value: unknown, bytes: number): value is string {
  const decoded = decodeCanonical(value);
  return decoded !== null && decoded.length === bytes;
}

/** The modulus's size in bits; null when it is not canonical base64url or has a leading zero byte (RFC 7518 §6.3.1.1). */
function modulusBits(n: string): number | null {
  const bytes = decodeCanonical(n);
  if (!bytes || bytes.length === 0 || bytes[0] === 0) return null;
  return (bytes.length - 1) * 8 + bytes[0].toString(2).length;
}

/** One encoding per value: a re-encoding that differs means padding or stray bits. */
function decodeCanonical(value: unknown): Buffer | null {
  if (typeof value !== "string" || !BASE64URL.test(value)) return null;
  const bytes = Buffer.from(value, "base64url");
  return bytes.toString("base64url") === value ? bytes : null;
}

function unsupported(): DbscPublicJwkRead {
  return { ok: false, reason: "unsupported_key" };
}
