import { DBSC_ID_PATTERN } from "./dbsc-headers";

/**
 * The session instructions the registration endpoint answers (spec §
 * "JSON Session Instruction Format"), and the bound cookie they name.
 *
 * The browser holds a request back whenever the cookie the instructions
 * name is missing, matching it by name and by the attributes listed here
 * (Domain, Path, Secure, HttpOnly, SameSite). A Set-Cookie whose attributes
 * differ from the listed ones is a cookie the browser never sees as the
 * bound one, and every request would wait on a refresh. So one function,
 * `dbscBoundCookie`, makes both strings.
 */

/** The bound cookie's life: how long a copied cookie is worth without the key. Default of `dbscBoundCookie`. */
export const DBSC_BOUND_COOKIE_MAX_AGE_SECONDS = 10 * 60;

/** RFC 6265 §4.1.1: a cookie name is a token. */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** RFC 6265 §4.1.1 cookie-octet: no space, quote, comma, semicolon or backslash. */
const COOKIE_VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]+$/;
const MAX_COOKIE_VALUE_LENGTH = 4096;
const MAX_COOKIE_NAME_LENGTH = 128;

export interface DbscBoundCookie {
  name: string;
  /** Exactly what follows `name=value; ` in the Set-Cookie line, and the instructions' `attributes`. */
  attributes: string;
}

export type DbscConfigResult<T> = { ok: true; value: T } | { ok: false; reason: "invalid_value" };

/**
 * The bound cookie: `Max-Age=<seconds>; Path=/; Secure; HttpOnly;
 * SameSite=Lax`, and no Domain, so a `__Host-` name (recommended) is valid
 * with it. The draft ignores Max-Age when matching, so keeping it in both
 * strings costs nothing and leaves one string, not two.
 */
export function dbscBoundCookie(input: { name: string; maxAgeSeconds?: number }): DbscConfigResult<DbscBoundCookie> {
  const maxAge = input.maxAgeSeconds ?? DBSC_BOUND_COOKIE_MAX_AGE_SECONDS;
  if (!COOKIE_NAME.test(input.name) || input.name.length > MAX_COOKIE_NAME_LENGTH) return invalid();
  if (!Number.isSafeInteger(maxAge) || maxAge <= 0) return invalid();
  return { ok: true, value: { name: input.name, attributes: `Max-Age=${maxAge}; Path=/; Secure; HttpOnly; SameSite=Lax` } };
}

/** The Set-Cookie value for the bound cookie, from the same attributes the instructions list. */
export function dbscSetCookie(cookie: DbscBoundCookie, value: string): DbscConfigResult<string> {
  if (!COOKIE_VALUE.test(value) || value.length > MAX_COOKIE_VALUE_LENGTH) return invalid();
  return { ok: true, value: `${cookie.name}=${value}; ${cookie.attributes}` };
}

export interface DbscScopeRule {
  type: "include" | "exclude";
  /** A host, or `*.example.com`; the draft's default is `*`. */
  domain?: string;
  /** A path prefix; the draft's default is `/`. */
  path?: string;
}

export interface DbscSessionInstructions {
  session_identifier: string;
  refresh_url: string;
  scope: { origin: string; include_site: boolean; scope_specification: DbscScopeRule[] };
  credentials: { type: "cookie"; name: string; attributes: string }[];
  allowed_refresh_initiators?: string[];
}

/**
 * The registration answer (send it as `application/json`, with the bound
 * cookie's Set-Cookie). The session covers `origin` only unless
 * `includeSite`, which the draft allows only when the origin's host is the
 * registrable domain itself (and, from a subdomain, a `.well-known` file).
 */
export function buildDbscSessionInstructions(input: {
  sessionId: string;
  /** A path on `origin` ("/dbsc/refresh") or an absolute URL on it. */
  refreshUrl: string;
  /** `https://app.example.com`; `http://localhost:<port>` in development. */
  origin: string;
  cookie: DbscBoundCookie;
  /** Default: false (this origin only). */
  includeSite?: boolean;
  /** Default: none. Rules are read last to first (spec § "Identify if a URL is in scope of a session"). */
  scopeSpecification?: readonly DbscScopeRule[];
  /** Out-of-scope hosts allowed to trigger a refresh. Default: none (the key is left out). */
  allowedRefreshInitiators?: readonly string[];
}): DbscConfigResult<DbscSessionInstructions> {
  if (!DBSC_ID_PATTERN.test(input.sessionId) || !isSecureOrigin(input.origin) || !isRefreshUrlOn(input.refreshUrl, input.origin)) return invalid();
  // The attribute string is ours (dbscBoundCookie); a hand-made one could carry Partitioned, which the draft refuses.
  if (!COOKIE_NAME.test(input.cookie.name) || /partitioned/i.test(input.cookie.attributes)) return invalid();
  const rules = input.scopeSpecification ?? [];
  if (!rules.every(isScopeRule)) return invalid();
  const initiators = input.allowedRefreshInitiators ?? [];
  if (!initiators.every(isHostPattern)) return invalid();

  return {
    ok: true,
    value: {
      session_identifier: input.sessionId,
      refresh_url: input.refreshUrl,
      scope: { origin: input.origin, include_site: input.includeSite ?? false, scope_specification: rules.map((rule) => ({ ...rule })) },
      credentials: [{ type: "cookie", name: input.cookie.name, attributes: input.cookie.attributes }],
      ...(initiators.length > 0 ? { allowed_refresh_initiators: [...initiators] } : {}),
    },
  };
}

/** The answer that ends a session on the browser's side (`continue: false`), from registration or refresh. */
export function dbscSessionEnded(sessionId: string): { session_identifier: string; continue: false } {
  return { session_identifier: sessionId, continue: false };
}

/** An origin exactly as serialized (no path, no trailing slash), https or a localhost in development. */
function isSecureOrigin(origin: string): boolean {
  const url = parseUrl(origin);
  if (!url || url.origin !== origin) return false;
  return url.protocol === "https:" || (url.protocol === "http:" && isLocalhost(url.hostname));
}

function isRefreshUrlOn(refreshUrl: string, origin: string): boolean {
  if (!/^[\x21-\x7e]+$/.test(refreshUrl)) return false;
  if (refreshUrl.startsWith("/")) return !refreshUrl.startsWith("//") && !refreshUrl.includes("\\");
  return parseUrl(refreshUrl)?.origin === origin;
}

function isScopeRule(rule: DbscScopeRule): boolean {
  if (rule.type !== "include" && rule.type !== "exclude") return false;
  if (rule.domain !== undefined && !isHostPattern(rule.domain)) return false;
  return rule.path === undefined || (rule.path.startsWith("/") && /^[\x21-\x7e]+$/.test(rule.path));
}

/** `*`, `*.example.com` or a host (spec § "Identify if a host matches a pattern"). */
function isHostPattern(pattern: string): boolean {
  return pattern === "*" || /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(pattern);
}

function isLocalhost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]";
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

function invalid(): { ok: false; reason: "invalid_value" } {
  return { ok: false, reason: "invalid_value" };
}
