import { parseSfItem, serializeSfString, serializeSfToken } from "./dbsc-structured-fields";

/**
 * The HTTP headers of native Device Bound Session Credentials
 * (docs/dbsc.md): built for the responses this server sends, read from
 * the requests the browser sends. Every name comes first in the draft's
 * current spelling and then in the spelling of Chrome's origin trials,
 * so a browser that still speaks the older one is understood; a reader
 * always prefers the current name when both are present.
 */

/** Response: starts a session (spec § "Secure-Session-Registration HTTP header field"). */
export const DBSC_REGISTRATION_HEADERS = ["Secure-Session-Registration", "Sec-Session-Registration"] as const;
/** Response: the next challenge; with a 403 on refresh, asks for a proof now. */
export const DBSC_CHALLENGE_HEADERS = ["Secure-Session-Challenge", "Sec-Session-Challenge"] as const;
/** Request: the signed proof (a JWS). */
export const DBSC_RESPONSE_HEADERS = ["Secure-Session-Response", "Sec-Session-Response"] as const;
/**
 * Request: the session being refreshed. The draft keeps `Sec-` on this one
 * name alone (a page's script cannot set a `Sec-` header), hence
 * `Sec-Secure-Session-Id`, not `Secure-Session-Id`.
 */
export const DBSC_SESSION_ID_HEADERS = ["Sec-Secure-Session-Id", "Sec-Session-Id"] as const;

export const DBSC_ALGORITHMS = ["ES256", "RS256"] as const;
export type DbscAlgorithm = (typeof DBSC_ALGORITHMS)[number];

/**
 * Session identifiers and challenges: base64url characters, 16 to 256 of
 * them. Chrome echoes the session identifier as the raw header value, not
 * as an sf-string, so an identifier must read the same either way; and a
 * short or empty challenge would make a proof easy to replay or forge.
 */
export const DBSC_ID_PATTERN = /^[A-Za-z0-9_-]{16,256}$/;
const DBSC_ID_MAX_LENGTH = 256;
/** A compact JWS: three base64url parts. Chrome sends it bare, the draft as an sf-string. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** docs/dbsc.md: 8 KiB holds a proof with a 4096-bit RSA key several times over. */
export const DBSC_MAX_JWS_LENGTH = 8 * 1024;
const MAX_AUTHORIZATION_LENGTH = 1024;
const MAX_PATH_LENGTH = 2048;

export type DbscHeaderBuildResult = { ok: true; value: string; headers: [name: string, value: string][] } | { ok: false; reason: "invalid_value" };

/**
 * The registration header, under both names with one value:
 * `(ES256 RS256);path="/dbsc/register";challenge="…";authorization="…"`.
 * `path` is where the browser posts its proof: a path on this origin or
 * an https URL. `authorization` is optional; the browser copies it into
 * its proof and into an `Authorization` header on the registration request.
 */
export function buildRegistrationHeader(input: {
  path: string;
  challenge: string;
  authorization?: string;
  /** Default: both, ES256 first (what Chrome prefers). */
  algorithms?: readonly DbscAlgorithm[];
}): DbscHeaderBuildResult {
  const algorithms = input.algorithms ?? DBSC_ALGORITHMS;
  const tokens = algorithms.map(serializeSfToken);
  if (tokens.length === 0 || new Set(algorithms).size !== algorithms.length || tokens.some((token) => token === null)) return invalid();
  if (!isRegistrationPath(input.path) || !DBSC_ID_PATTERN.test(input.challenge)) return invalid();
  if (input.authorization !== undefined && (input.authorization.length === 0 || input.authorization.length > MAX_AUTHORIZATION_LENGTH)) return invalid();

  const path = serializeSfString(input.path);
  const challenge = serializeSfString(input.challenge);
  const authorization = input.authorization === undefined ? "" : serializeSfString(input.authorization);
  if (path === null || challenge === null || authorization === null) return invalid();
  const value = `(${tokens.join(" ")});path=${path};challenge=${challenge}${authorization ? `;authorization=${authorization}` : ""}`;
  return built(DBSC_REGISTRATION_HEADERS, value);
}

/** The challenge header, under both names: `"<challenge>";id="<session id>"`. */
export function buildChallengeHeader(input: { challenge: string; sessionId: string }): DbscHeaderBuildResult {
  if (!DBSC_ID_PATTERN.test(input.challenge) || !DBSC_ID_PATTERN.test(input.sessionId)) return invalid();
  const challenge = serializeSfString(input.challenge);
  const sessionId = serializeSfString(input.sessionId);
  if (challenge === null || sessionId === null) return invalid();
  return built(DBSC_CHALLENGE_HEADERS, `${challenge};id=${sessionId}`);
}

/** What `Headers` offers; a plain lookup works in tests. */
export interface HeaderSource {
  get(name: string): string | null;
}

export type DbscHeaderReadResult<T> = { ok: true; value: T; headerName: string } | { ok: false; reason: "missing" | "malformed" | "too_large" };

/** The session identifier of a refresh request. */
export function readSessionIdHeader(headers: HeaderSource): DbscHeaderReadResult<string> {
  return readOne(headers, DBSC_SESSION_ID_HEADERS, DBSC_ID_PATTERN, DBSC_ID_MAX_LENGTH);
}

/** The proof JWS of a registration or refresh request, not yet verified (dbsc-jws.ts does that). */
export function readSessionResponseHeader(headers: HeaderSource): DbscHeaderReadResult<string> {
  return readOne(headers, DBSC_RESPONSE_HEADERS, COMPACT_JWS, DBSC_MAX_JWS_LENGTH);
}

/**
 * The first name present wins, even when its value is malformed: falling
 * back to the older name then would let a second header overrule the one
 * the browser meant. Fetch joins repeated headers with ", ", which is not
 * one item, so two proofs in one request are malformed too.
 */
function readOne(headers: HeaderSource, names: readonly string[], pattern: RegExp, maxLength: number): DbscHeaderReadResult<string> {
  for (const headerName of names) {
    const raw = headers.get(headerName);
    if (raw === null) continue;
    // Room for the quotes, escapes and an ignored parameter or two.
    if (raw.length > maxLength + 64) return { ok: false, reason: "too_large" };
    // Optional whitespace only: a line break is not whitespace here but a malformed value.
    const value = decodeItemValue(raw.replace(/^[ \t]+|[ \t]+$/g, ""));
    if (value === null || !pattern.test(value)) return { ok: false, reason: "malformed" };
    if (value.length > maxLength) return { ok: false, reason: "too_large" };
    return { ok: true, value, headerName };
  }
  return { ok: false, reason: "missing" };
}

/**
 * The draft says sf-string (parameters ignored); Chrome sends the bare
 * value. Both are read; a bare value is then held to the caller's pattern,
 * which admits no quote, comma or space, so the two forms cannot be confused.
 */
function decodeItemValue(raw: string): string | null {
  if (!raw.startsWith('"')) return raw;
  const parsed = parseSfItem(raw);
  return parsed && parsed.item.type === "string" ? parsed.item.value : null;
}

function isRegistrationPath(path: string): boolean {
  if (path.length === 0 || path.length > MAX_PATH_LENGTH || !/^[\x21-\x7e]+$/.test(path)) return false;
  // Quotes and backslashes would survive escaping, but no path of ours has one.
  if (/["\\]/.test(path)) return false;
  if (path.startsWith("/")) return !path.startsWith("//");
  try {
    return new URL(path).protocol === "https:";
  } catch {
    return false;
  }
}

function built(names: readonly string[], value: string): DbscHeaderBuildResult {
  return { ok: true, value, headers: names.map((name) => [name, value]) };
}

function invalid(): DbscHeaderBuildResult {
  return { ok: false, reason: "invalid_value" };
}
