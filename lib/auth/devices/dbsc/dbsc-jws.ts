import { calculateJwkThumbprint, compactVerify, importJWK } from "jose";
import { DBSC_ID_PATTERN, DBSC_MAX_JWS_LENGTH, type DbscAlgorithm } from "./dbsc-headers";
import { dbscPublicJwkFrom, sameKey, type DbscPublicJwk } from "./dbsc-public-jwk";

export { parseDbscPublicJwk, type DbscPublicJwk } from "./dbsc-public-jwk";

/**
 * The DBSC proof (spec § "DBSC Proof JWT Syntax"): a compact JWS with
 * `typ: "dbsc+jwt"`, signed ES256 or RS256 by the session's key. At
 * registration it carries its public key and proves the browser holds the
 * private one; at refresh it is checked against the key stored then.
 *
 * What the draft sends has moved: until September 2025 the key was a
 * claim in the payload (`jwk`, then `key`), with `aud`, `iat` and (on
 * refresh) `sub`; since then it is a `jwk` member of the protected header and the payload
 * holds `jti` (the challenge) and, when the server asked for one,
 * `authorization`. Both shapes are read; a claim the current draft no
 * longer sends is still checked whenever it is present.
 *
 * Expected refusals are values, never throws: a route answers them and
 * moves on. The draft also allows `alg: "none"` (a session with no key);
 * this server does not offer it, so it is refused like any other alg.
 */

export const DBSC_JWS_REFUSALS = [
  "too_large",
  "malformed",
  "wrong_type",
  "unsupported_algorithm",
  "missing_key",
  "conflicting_keys",
  "private_key",
  "unsupported_key",
  "algorithm_key_mismatch",
  "bad_signature",
  "challenge_mismatch",
  "authorization_mismatch",
  "audience_mismatch",
  "session_mismatch",
] as const;
export type DbscJwsRefusal = (typeof DBSC_JWS_REFUSALS)[number];
export type DbscJwsResult<T> = ({ ok: true } & T) | { ok: false; reason: DbscJwsRefusal };

export interface DbscRegistrationProof {
  algorithm: DbscAlgorithm;
  /** Public members only: store this on the session's device. */
  publicKey: DbscPublicJwk;
  /** RFC 7638 SHA-256 thumbprint, base64url: the key's name (and the draft's `provider_key`). */
  thumbprint: string;
}

export interface DbscRefreshProof {
  /** Which of the expected challenges was signed: the route spends that one. */
  challenge: string;
  thumbprint: string;
}

const SEGMENT = /^[A-Za-z0-9_-]+$/;
const KEY_TYPE_FOR: Record<DbscAlgorithm, DbscPublicJwk["kty"]> = { ES256: "EC", RS256: "RSA" };

/**
 * A registration proof: signed by the key it carries, over the challenge
 * this server put in the registration header. `expectedAuthorization` is
 * the value that header carried, if any. `expectedAudience` is the
 * registration endpoint's URL: the current draft sends no `aud`, earlier
 * ones did, and a proof naming one is refused unless it names this one.
 */
export async function verifyRegistrationJws(input: {
  jws: string;
  expectedChallenge: string;
  expectedAuthorization?: string;
  expectedAudience?: string;
}): Promise<DbscJwsResult<DbscRegistrationProof>> {
  const token = decodeProof(input.jws);
  if (!token.ok) return token;
  const { header, payload, algorithm } = token;

  const carried = await carriedKey([header.jwk, payload.key, payload.jwk]);
  if (!carried.ok) return carried;
  const publicKey = carried.key;
  if (KEY_TYPE_FOR[algorithm] !== publicKey.kty || !jwkAlgAgrees(carried.declaredAlg, algorithm)) return refuse("algorithm_key_mismatch");

  const signed = await signatureHolds(input.jws, publicKey, algorithm);
  if (!signed.ok) return signed;

  if (!isExpectedChallenge(payload.jti, [input.expectedChallenge])) return refuse("challenge_mismatch");
  // The browser copies what the header carried; a value the server never issued is as wrong as a changed one.
  if (payload.authorization !== input.expectedAuthorization) return refuse("authorization_mismatch");
  if (!audienceAgrees(payload.aud, input.expectedAudience)) return refuse("audience_mismatch");

  return { ok: true, algorithm, publicKey, thumbprint: await calculateJwkThumbprint(publicKey, "sha256") };
}

/**
 * A refresh proof: signed by the key stored at registration, over one of
 * the challenges this server issued for the session. The draft tells
 * servers to expect a proof for a slightly older challenge when a newer
 * one crossed it in flight, so several may be expected.
 *
 * A key carried in the token is ignored, never used: only the stored key
 * says who may refresh (w3c/webappsec-dbsc#201).
 */
export async function verifyRefreshJws(input: {
  jws: string;
  /** The key stored at registration, as read back from the database: checked here as carefully as the token. */
  publicKey: unknown;
  expectedChallenges: readonly string[];
  sessionId: string;
  expectedAudience?: string;
}): Promise<DbscJwsResult<DbscRefreshProof>> {
  const token = decodeProof(input.jws);
  if (!token.ok) return token;
  const { payload, algorithm } = token;

  // The stored key is data from the database: read it as carefully as the token.
  const stored = dbscPublicJwkFrom(input.publicKey);
  if (!stored.ok) return refuse(stored.reason);
  if (KEY_TYPE_FOR[algorithm] !== stored.key.kty) return refuse("algorithm_key_mismatch");

  const signed = await signatureHolds(input.jws, stored.key, algorithm);
  if (!signed.ok) return signed;

  const challenge = isExpectedChallenge(payload.jti, input.expectedChallenges);
  if (!challenge) return refuse("challenge_mismatch");
  // Drafts before September 2025 named the session in `sub`; when present it must be this one.
  if (payload.sub !== undefined && (payload.sub !== input.sessionId || !DBSC_ID_PATTERN.test(input.sessionId))) return refuse("session_mismatch");
  if (!audienceAgrees(payload.aud, input.expectedAudience)) return refuse("audience_mismatch");

  return { ok: true, challenge, thumbprint: await calculateJwkThumbprint(stored.key, "sha256") };
}

type JsonObject = Record<string, unknown>;

/** Shape, type and algorithm, before any key is looked at. */
function decodeProof(jws: unknown): DbscJwsResult<{ header: JsonObject; payload: JsonObject; algorithm: DbscAlgorithm }> {
  if (typeof jws !== "string") return refuse("malformed");
  if (jws.length > DBSC_MAX_JWS_LENGTH) return refuse("too_large");
  const segments = jws.split(".");
  if (segments.length !== 3) return refuse("malformed");
  const header = decodeJsonSegment(segments[0]);
  const payload = decodeJsonSegment(segments[1]);
  if (!header || !payload) return refuse("malformed");
  if (!isDbscType(header.typ)) return refuse("wrong_type");
  // Only the two asymmetric algorithms: never `none`, never an HMAC keyed with a public key.
  if (header.alg !== "ES256" && header.alg !== "RS256") return refuse("unsupported_algorithm");
  if (!SEGMENT.test(segments[2])) return refuse("malformed");
  // The draft defines no extension, so none can be understood (RFC 7515 §4.1.11).
  if (header.crit !== undefined) return refuse("malformed");
  return { ok: true, header, payload, algorithm: header.alg };
}

/** base64url without padding, canonical (no stray bits), decoding to a JSON object. */
function decodeJsonSegment(segment: string): JsonObject | null {
  if (!SEGMENT.test(segment)) return null;
  const bytes = Buffer.from(segment, "base64url");
  if (bytes.toString("base64url") !== segment) return null;
  try {
    const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonObject) : null;
  } catch {
    return null;
  }
}

/** `typ` compares without case and may omit "application/" (RFC 7515 §4.1.9). */
function isDbscType(typ: unknown): boolean {
  if (typeof typ !== "string") return false;
  const lower = typ.toLowerCase();
  return lower === "dbsc+jwt" || lower === "application/dbsc+jwt";
}

/**
 * The registration key: `jwk` in the header (the draft since September 2025,
 * and Chrome), `key` in the payload (April to September 2025, Chrome's
 * origin trials) or `jwk` in the payload (2024). Where several are present
 * they must all be the same key.
 */
async function carriedKey(candidates: unknown[]): Promise<DbscJwsResult<{ key: DbscPublicJwk; declaredAlg: unknown }>> {
  const present = candidates.filter((value) => value !== undefined);
  if (present.length === 0) return refuse("missing_key");
  const keys: DbscPublicJwk[] = [];
  for (const candidate of present) {
    const read = dbscPublicJwkFrom(candidate);
    if (!read.ok) return refuse(read.reason);
    keys.push(read.key);
  }
  for (const other of keys.slice(1)) if (!(await sameKey(keys[0], other))) return refuse("conflicting_keys");
  const declaredAlg = (present[0] as JsonObject).alg;
  return { ok: true, key: keys[0], declaredAlg };
}

/** A JWK that names its algorithm must name the one the token uses. */
function jwkAlgAgrees(declared: unknown, algorithm: DbscAlgorithm): boolean {
  return declared === undefined || declared === algorithm;
}

async function signatureHolds(jws: string, publicKey: DbscPublicJwk, algorithm: DbscAlgorithm): Promise<DbscJwsResult<object>> {
  let key: Awaited<ReturnType<typeof importJWK>>;
  try {
    key = await importJWK({ ...publicKey }, algorithm);
  } catch {
    // Coordinates that are not a point on P-256, or a modulus WebCrypto will not take.
    return refuse("unsupported_key");
  }
  try {
    await compactVerify(jws, key, { algorithms: [algorithm] });
    return { ok: true };
  } catch {
    return refuse("bad_signature");
  }
}

/**
 * The signed challenge when it is one of those expected. A challenge is not
 * secret once sent, so a plain comparison leaks nothing; the pattern check
 * keeps an empty or mistyped expectation from matching an empty `jti`.
 */
function isExpectedChallenge(jti: unknown, expected: readonly string[]): string | null {
  if (typeof jti !== "string" || !DBSC_ID_PATTERN.test(jti)) return null;
  return expected.find((challenge) => challenge === jti && DBSC_ID_PATTERN.test(challenge)) ?? null;
}

/** No `aud` is what the current draft sends; one that is present must be the expected URL. */
function audienceAgrees(aud: unknown, expected: string | undefined): boolean {
  if (aud === undefined) return true;
  return expected !== undefined && aud === expected;
}

function refuse(reason: DbscJwsRefusal): { ok: false; reason: DbscJwsRefusal } {
  return { ok: false, reason };
}
