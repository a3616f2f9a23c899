import type { HttpOptions } from "../../core/api-execute";
import { parseCookies } from "../../core/api-execute";
import type { AuditEvent } from "../../core/audit";
import { sessionCookieName } from "../../core/cookie-names";
import { unexpectedFailure, type AuditedDeps } from "../../core/execute";
import { errorStatus } from "../../core/errors";
import { requestContextFrom, type RequestContext } from "../../core/request-context";
import { findActiveSession, type ActiveSession } from "../../core/sessions";
import { dbscSessionEnded } from "./dbsc-session-config";
import { offerDbscRegistration, refreshDbscSession, registerDbscSession, type DbscAnswer } from "./dbsc-sessions";
import { readSessionIdHeader } from "./dbsc-headers";

/**
 * The HTTP side of native DBSC (app/api/dbsc/…): the session from its
 * cookie, the step, the answer as JSON with its headers, and one audit
 * event per request (the reason of a refusal, never a token or a key).
 *
 * - POST /api/dbsc/offer: this site's own page asks for the registration
 *   header (components/auth/device-key.ts); same-origin only.
 * - POST /api/dbsc/register, POST /api/dbsc/refresh: the browser itself,
 *   as the draft describes; the signed proof over our challenge is what
 *   they check, not where the request came from.
 */
export type DbscStep = "offer" | "register" | "refresh";

const COMMAND: Record<DbscStep, string> = {
  offer: "AUTH.DBSC.OFFER",
  register: "AUTH.DBSC.REGISTER",
  refresh: "AUTH.DBSC.REFRESH",
};

export async function handleDbscRequest(deps: AuditedDeps, request: Request, options: HttpOptions, step: DbscStep): Promise<Response> {
  const startedAt = performance.now();
  const context = requestContextFrom(request.headers, options);
  const token = parseCookies(request.headers.get("cookie")).get(sessionCookieName(options.secureCookies));
  let session: ActiveSession | null = null;
  let answer: DbscAnswer;
  try {
    session = token ? await findActiveSession(deps.store.sessions, deps.clock, token) : null;
    answer = await answerStep(deps, request, context, step, session);
  } catch (error) {
    // A database out of reach is a 503 (the browser retries later), a bug a
    // 500: either as a code, never a stack or the request's contents.
    const failed = unexpectedFailure(COMMAND[step], error);
    answer = { status: errorStatus(failed.code), headers: [], body: { error: failed.code } };
  }

  const refusal = typeof answer.body?.error === "string" ? answer.body.error : null;
  const event: AuditEvent = {
    at: deps.clock.now(),
    command: COMMAND[step],
    outcome: refusal === null ? "ok" : "refused",
    errorCode: refusal,
    userId: session?.user.id ?? null,
    sessionId: session?.id ?? null,
    ipPrefix: context.ipPrefix,
    country: context.country,
    deviceClass: context.deviceClass,
    latencyMs: Math.round(performance.now() - startedAt),
    details: {
      channel: "browser",
      status: answer.status,
      ...(typeof answer.body?.reason === "string" ? { reason: answer.body.reason } : {}),
      ...(answer.body?.continue === false ? { sessionEnded: true } : {}),
    },
  };
  deps.audit.record(event);

  const headers = new Headers({ "Cache-Control": "no-store" });
  for (const [name, value] of answer.headers) headers.append(name, value);
  if (answer.body === null) return new Response(null, { status: answer.status, headers });
  headers.set("Content-Type", "application/json");
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers });
}

async function answerStep(
  deps: AuditedDeps,
  request: Request,
  context: RequestContext,
  step: DbscStep,
  session: ActiveSession | null,
): Promise<DbscAnswer> {
  if (step === "offer" && request.headers.get("sec-fetch-site") !== "same-origin") {
    return { status: 403, headers: [], body: { error: "ORIGIN_REJECTED" } };
  }
  if (!session) {
    // A refresh for a session that has ended: tell the browser to stop refreshing it.
    const named = step === "refresh" ? readSessionIdHeader(request.headers) : null;
    if (named?.ok) return { status: 200, headers: [], body: dbscSessionEnded(named.value) };
    return { status: 401, headers: [], body: { error: "UNAUTHENTICATED" } };
  }
  if (step === "offer") return offerDbscRegistration(deps, session);
  if (step === "register") return registerDbscSession(deps, { session, headers: request.headers, request: context });
  return refreshDbscSession(deps, { session, headers: request.headers, request: context });
}
