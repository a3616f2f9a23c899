import { parseCookies } from "../auth/core/api-execute";
import type { AuditEvent } from "../auth/core/audit";
import { cookieWriteFor, setCookieHeader, withSessionRefresh } from "../auth/core/cookie-effects";
import { sessionCookieName } from "../auth/core/cookie-names";
import { createTranslator } from "next-intl";
import { errorStatus, failure, type ErrorCode, type Failure } from "../auth/core/errors";
import "./errors";
import type { ExecuteDeps } from "../auth/core/execute";
import { requestContextFrom, type RequestContext } from "../auth/core/request-context";
import { findActiveSession, type ActiveSession } from "../auth/core/sessions";
import { isLocale, type Locale } from "../i18n/locales";
import { messagesByLocale } from "../i18n/messages";
import { negotiateLocale } from "../i18n/negotiate";
import type { FileRows } from "./file-rows";
import type { FileStore } from "./file-store";
import type { ProductLimits } from "./product-limits";

/**
 * What the upload and download route handlers share. They carry bytes,
 * not JSON, so they are not commands; they take the same steps `execute`
 * takes for one (session from the cookie, one audit event per request)
 * with the same functions, so there is still one rule for each.
 */

export interface FileHttpDeps extends Pick<ExecuteDeps, "db" | "store" | "clock" | "audit" | "appBaseUrl" | "policy"> {
  files: FileStore;
  /** The row a download opens (lib/product/file-rows.ts), as AUTH_STORE chooses. */
  fileRows: FileRows;
  /** The product's rate limits (lib/product/product-limits.ts), apart from the auth core's `limits`. */
  productLimits: ProductLimits;
}

export interface FileHttpOptions {
  secureCookies: boolean;
  trustProxyHops: number;
  countryHeader?: string;
}

export interface FileRequest {
  context: RequestContext;
  locale: Locale;
  session: ActiveSession | null;
}

/** The request's context and its page language: `?locale=`, else Accept-Language. */
export function describeRequest(request: Request, options: FileHttpOptions): Omit<FileRequest, "session"> {
  const context = requestContextFrom(request.headers, options);
  const requested = new URL(request.url).searchParams.get("locale");
  const locale = isLocale(requested) ? requested : negotiateLocale(request.headers.get("accept-language"));
  return { context, locale };
}

/** The session the cookie names, if it is still active (the same lookup `execute` makes). */
export async function sessionOf(deps: FileHttpDeps, request: Request, secureCookies: boolean): Promise<ActiveSession | null> {
  const token = parseCookies(request.headers.get("cookie")).get(sessionCookieName(secureCookies));
  return token ? findActiveSession(deps.store.sessions, deps.clock, token) : null;
}

/**
 * Re-issues the session cookie when the lookup slid the session's idle
 * window, as `execute` does for commands (lib/auth/core/cookie-effects.ts says
 * why): a person who only downloads keeps a cookie as fresh as the row.
 */
export function withRefreshedSessionCookie(
  response: Response,
  request: Request,
  session: ActiveSession | null,
  secureCookies: boolean,
): Response {
  const token = parseCookies(request.headers.get("cookie")).get(sessionCookieName(secureCookies)) ?? null;
  for (const effect of withSessionRefresh([], session, { sessionToken: token, sessionFromCookie: token !== null })) {
    response.headers.append("set-cookie", setCookieHeader(cookieWriteFor(effect, secureCookies)));
  }
  return response;
}

/** A form's POST answered with a page to GET (the browser follows it), never a page to re-POST. */
export function seeOther(path: string): Response {
  return new Response(null, { status: 303, headers: { location: path, "cache-control": "no-store" } });
}

/** Where a signed-out browser goes: sign-in, then back to the files page. */
export function signInPath(locale: Locale): string {
  return `/${locale}/sign-in?callbackUrl=${encodeURIComponent(`/${locale}/files`)}`;
}

/**
 * The audit event of a file route, as `execute` writes a command's: a
 * download or an export is a read (batched), an upload changes state and is written
 * before the answer; when that write fails the upload answers 503
 * (lib/auth/core/audit.ts says why).
 */
export async function recordFileEvent(
  deps: FileHttpDeps,
  facts: {
    command: "PRODUCT.FILE.UPLOAD" | "PRODUCT.FILE.DOWNLOAD" | "PRODUCT.FILE.EXPORT";
    request: FileRequest;
    startedAt: number;
    errorCode: string | null;
    details?: AuditEvent["details"];
  },
): Promise<Failure | null> {
  const { context, session } = facts.request;
  const event: AuditEvent = {
    at: deps.clock.now(),
    command: facts.command,
    outcome: facts.errorCode === null ? "ok" : facts.errorCode === "INTERNAL_ERROR" ? "error" : "refused",
    errorCode: facts.errorCode,
    userId: session?.user.id ?? null,
    sessionId: session?.id ?? null,
    ipPrefix: context.ipPrefix,
    country: context.country,
    deviceClass: context.deviceClass,
    latencyMs: Math.round(performance.now() - facts.startedAt),
    details: { channel: "browser", ...facts.details },
  };
  if (facts.command !== "PRODUCT.FILE.UPLOAD") {
    deps.audit.record(event);
    return null;
  }
  try {
    await deps.audit.write(event);
    return null;
  } catch (error) {
    console.error(`${facts.command}: audit write failed`, error instanceof Error ? error.message : "unknown");
    return failure("SERVICE_UNAVAILABLE");
  }
}

/** A refusal a browser shows as a page of its own: one sentence, in the reader's language. */
export function plainErrorResponse(code: ErrorCode, locale: Locale): Response {
  const t = createTranslator({ locale, messages: messagesByLocale[locale], namespace: "errors" });
  return new Response(t(code, { minutes: 1 }), {
    status: errorStatus(code),
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" },
  });
}

/** A refusal as the JSON envelope /api/v1/execute answers with, `error.details` included (what a program needs to step up). */
export function envelopeErrorResponse(command: string, outcome: Failure, locale: Locale): Response {
  const t = createTranslator({ locale, messages: messagesByLocale[locale], namespace: "errors" });
  const error = { code: outcome.code, message: t(outcome.code, { minutes: 1 }), ...(outcome.details ? { details: outcome.details } : {}) };
  return new Response(JSON.stringify({ ok: false, command, data: null, error }), {
    status: errorStatus(outcome.code),
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

/** A link followed or a URL typed (not a fetch): the browser shows whatever it gets, so send it to a page. */
export function isNavigation(request: Request): boolean {
  return request.headers.get("sec-fetch-mode") === "navigate";
}
