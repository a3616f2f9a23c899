import { readAtMost } from "../../http/limited-body";
import { negotiateLocale } from "../../i18n/negotiate";
import { cookieWriteFor, setCookieHeader } from "./cookie-effects";
import { bindingCookieName, passkeyDeviceCookieName, sessionCookieName, webauthnBindingCookieName } from "./cookie-names";
import { getSessionCommand } from "./session-commands";
import { UNREADABLE_BODY, execute, type ExecuteDeps } from "./execute";
import { requestContextFrom } from "./request-context";

/** Commands are small; anything larger is refused before it is parsed. */
export const MAX_BODY_BYTES = 16 * 1024;

export interface HttpOptions {
  secureCookies: boolean;
  trustProxyHops: number;
  countryHeader?: string;
  latitudeHeader?: string;
  longitudeHeader?: string;
}

/**
 * The JSON face of `execute`. The session comes from `Authorization: Bearer`
 * or, for a browser calling its own API, from the session cookie (then the
 * origin check in `execute` applies). Every answer is the envelope, even a
 * body that is not JSON at all.
 */
export async function executeHttp(deps: ExecuteDeps, request: Request, options: HttpOptions): Promise<Response> {
  const body = await readJsonBody(request);
  const { command, params } = body.ok ? commandOf(body.value) : { command: UNREADABLE_BODY, params: undefined };
  return executeCommandHttp(deps, request, options, command, params);
}

/**
 * `GET /api/v1/session`: AUTH.SESSION.GET as a plain, bodiless read, the
 * way clients poll "am I still signed in?". It is the same command through
 * the same dispatcher (validation, origin and session checks, audit event,
 * envelope); only the transport differs. Nothing in the URL can choose
 * another command: a GET never changes state beyond the session's
 * once-a-minute idle slide.
 */
export function executeSessionGet(deps: ExecuteDeps, request: Request, options: HttpOptions): Promise<Response> {
  return executeCommandHttp(deps, request, options, getSessionCommand.name, {});
}

async function executeCommandHttp(
  deps: ExecuteDeps,
  request: Request,
  options: HttpOptions,
  command: unknown,
  params: unknown,
): Promise<Response> {
  const cookies = parseCookies(request.headers.get("cookie"));
  const bearer = bearerToken(request.headers.get("authorization"));
  const cookieSession = cookies.get(sessionCookieName(options.secureCookies)) ?? null;
  const locale = negotiateLocale(paramsLocale(params) ?? request.headers.get("accept-language"));

  const execution = await execute(deps, command, params, {
    channel: "api",
    locale,
    request: requestContextFrom(request.headers, options),
    sessionToken: bearer ?? cookieSession,
    sessionFromCookie: bearer === null && cookieSession !== null,
    bindingCookie: cookies.get(bindingCookieName(options.secureCookies)) ?? null,
    webauthnBindingCookie: cookies.get(webauthnBindingCookieName(options.secureCookies)) ?? null,
    passkeyOnThisBrowser: cookies.get(passkeyDeviceCookieName(options.secureCookies)) === "1",
  });

  const headers = new Headers({ "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  if (execution.retryAfterSeconds) headers.set("retry-after", String(execution.retryAfterSeconds));
  for (const effect of execution.effects) {
    headers.append("set-cookie", setCookieHeader(cookieWriteFor(effect, options.secureCookies)));
  }
  return new Response(JSON.stringify(execution.envelope), { status: execution.status, headers });
}

type BodyResult = { ok: true; value: unknown } | { ok: false };

async function readJsonBody(request: Request): Promise<BodyResult> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) return { ok: false };
  try {
    const bytes = await readAtMost(request, MAX_BODY_BYTES);
    if (bytes === null) return { ok: false };
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return { ok: true, value };
  } catch {
    return { ok: false };
  }
}

function commandOf(value: unknown): { command: unknown; params: unknown } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { command: "", params: undefined };
  const record = value as Record<string, unknown>;
  return { command: record.command, params: record.params };
}

function paramsLocale(params: unknown): string | null {
  if (typeof params !== "object" || params === null) return null;
  const locale = (params as Record<string, unknown>).locale;
  return typeof locale === "string" ? locale : null;
}

function bearerToken(header: string | null): string | null {
  const match = header?.match(/^Bearer ([A-Za-z0-9_-]{16,256})$/);
  return match ? match[1] : null;
}

/** The Cookie header as name → value; route handlers that take bytes (lib/product/file-http-common.ts) use it too. */
export function parseCookies(header: string | null): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) jar.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return jar;
}
