import { createTranslator } from "next-intl";
import { messagesByLocale } from "../../i18n/messages";
import { auditRowOf, type AuditEvent, type AuditFacts, type AuditLog } from "./audit";
import type { CommandInput, CommandName, CommandOutput, CommandRegistry } from "./registry";
import type { CommandContext, CookieEffect } from "./command-types";
import { withSessionRefresh } from "./cookie-effects";
import type { AuthDeps } from "./deps";
import { errorStatus, failure, type ErrorCode, type Failure } from "./errors";
import { originAllowed } from "./origin";
import { deviceProofRefusal, findActiveSession, type ActiveSession } from "./sessions";
import { requireAction } from "../step-up/require-action";

/**
 * The one choke point for every auth operation (docs/architecture.md § Commands).
 * `execute` validates the input, checks the origin and the session, runs
 * the handler, writes one audit event, and returns one envelope. A handler's
 * expected failure is a value with a code; anything it throws is a bug,
 * logged without the request's contents and answered INTERNAL_ERROR.
 */

/** What every command answers, over HTTP and to server actions alike. */
export type Envelope<D = unknown> =
  | { ok: true; command: string; data: D; error: null }
  | {
      ok: false;
      command: string;
      data: null;
      error: { code: ErrorCode; message: string; fields?: Record<string, string>; details?: Failure["details"] };
    };

export interface Execution<D = unknown> {
  envelope: Envelope<D>;
  status: number;
  retryAfterSeconds?: number;
  effects: CookieEffect[];
}

/** Passed as the command name when the HTTP body was not JSON (or too large). */
export const UNREADABLE_BODY = Symbol("unreadable body");

/** What `execute` needs beyond a ceremony's dependencies: where events go, and which commands exist. */
export interface ExecuteDeps<R extends CommandRegistry = CommandRegistry> extends AuditedDeps {
  commands: R;
}

/** A ceremony's dependencies and the audit log: what route handlers outside `execute` need too. */
export interface AuditedDeps extends AuthDeps {
  audit: AuditLog;
}

/**
 * `execute` for a caller that names its command in code (a server action):
 * the input is checked against the command's schema type at compile time
 * (and by the schema at run time, as always), and the data comes back as
 * the type the command's handler answers with.
 */
export function executeCommand<R extends CommandRegistry, N extends CommandName<R>>(
  deps: ExecuteDeps<R>,
  name: N,
  params: CommandInput<R, N>,
  ctx: CommandContext,
): Promise<Execution<CommandOutput<R, N>>> {
  // The one place the data's type is asserted: the registry found the
  // command by this name, so a successful envelope carries its handler's data.
  return execute(deps, name, params, ctx) as Promise<Execution<CommandOutput<R, N>>>;
}

export async function execute(
  deps: ExecuteDeps,
  commandName: unknown,
  params: unknown,
  ctx: CommandContext,
): Promise<Execution> {
  const startedAt = performance.now();
  const unreadable = commandName === UNREADABLE_BODY;
  const name = typeof commandName === "string" ? commandName.slice(0, 64) : "";
  const command = unreadable ? undefined : deps.commands.get(name);
  let session: ActiveSession | null = null;
  let outcome: { ok: true; data: unknown; effects: CookieEffect[]; auditWritten: boolean } | Failure;
  let audit: AuditFacts = {};

  // This command's event as the audit log stores it; a ceremony may insert
  // the success event in its own transaction (HandlerInput.auditRow).
  function eventOf(result: typeof outcome | null, facts: AuditFacts): AuditEvent {
    const activeSession = session as ActiveSession | null;
    return {
      at: deps.clock.now(),
      command: name || "(none)",
      outcome: !result || result.ok ? "ok" : result.code === "INTERNAL_ERROR" ? "error" : "refused",
      errorCode: !result || result.ok ? null : result.code,
      userId: facts.userId ?? activeSession?.user.id ?? null,
      sessionId: facts.sessionId ?? activeSession?.id ?? null,
      ipPrefix: ctx.request.ipPrefix,
      country: ctx.request.country,
      deviceClass: ctx.request.deviceClass,
      latencyMs: Math.round(performance.now() - startedAt),
      details: { channel: ctx.channel, ...facts.details },
    };
  }

  try {
    outcome = await run();
  } catch (error) {
    outcome = unexpectedFailure(`execute ${name}`, error);
  }

  async function run(): Promise<typeof outcome> {
    if (unreadable) return failure("VALIDATION_FAILED", { fields: { _: "BODY_NOT_JSON" } });
    if (!command) return failure("UNKNOWN_COMMAND");
    if (!originAllowed(deps.appBaseUrl, ctx.request, ridesOnCookies(ctx))) return failure("ORIGIN_REJECTED");

    const parsed = command.input.safeParse(params ?? {});
    if (!parsed.success) return failure("VALIDATION_FAILED", { fields: fieldErrors(parsed.error.issues) });

    if (command.requiresSession) {
      session = ctx.sessionToken ? await findActiveSession(deps.store.sessions, deps.clock, ctx.sessionToken) : null;
      if (!session) return failure("UNAUTHENTICATED");
      // A stolen cookie works only until the next proof falls due (docs/device-proof.md).
      const proofRefused = command.whileDeviceProofDue ? null : deviceProofRefusal(session);
      if (proofRefused) return proofRefused;
    }
    if (command.policyAction) {
      // A protected action without a session is a mistake in its definition: refused, never run.
      if (!session) return failure("UNAUTHENTICATED");
      const refused = await requireAction(deps, { session, action: command.policyAction, request: ctx.request });
      if (refused) return refused;
    }
    const auditRow = (facts: AuditFacts = {}) => auditRowOf(eventOf(null, facts));
    const result = await command.handle({ params: parsed.data, deps, ctx, session, auditRow });
    if (!result.ok) return result;
    audit = result.value.audit ?? {};
    return { ok: true, data: result.value.data, effects: result.value.effects ?? [], auditWritten: result.value.auditWritten === true };
  }

  if (!(outcome.ok && outcome.auditWritten)) {
    const event = eventOf(outcome, outcome.ok ? audit : (outcome.audit ?? {}));
    if (command?.readOnly) {
      deps.audit.record(event);
    } else {
      try {
        await deps.audit.write(event);
      } catch (error) {
        // No answer without its record (ASVS 16.5.3): the caller is told the
        // service failed, as with a failing database.
        console.error(`execute ${name}: audit write failed`, error instanceof Error ? error.message : "unknown");
        outcome = failure("SERVICE_UNAVAILABLE");
      }
    }
  }

  if (outcome.ok) {
    return {
      envelope: { ok: true, command: name, data: outcome.data, error: null },
      status: 200,
      // The session cookie follows the idle window the lookup slid (cookie-effects.ts).
      effects: withSessionRefresh(outcome.effects, session as ActiveSession | null, ctx),
    };
  }
  return {
    envelope: {
      ok: false,
      command: name,
      data: null,
      error: {
        code: outcome.code,
        message: messageFor(ctx, outcome),
        ...(outcome.fields ? { fields: outcome.fields } : {}),
        ...(outcome.details ? { details: outcome.details } : {}),
      },
    },
    status: errorStatus(outcome.code),
    retryAfterSeconds: outcome.retryAfterSeconds,
    // A session that no longer exists should not linger in the browser.
    effects:
      outcome.code === "UNAUTHENTICATED" && ctx.sessionFromCookie
        ? [{ kind: "clear-session" }]
        : withSessionRefresh([], session as ActiveSession | null, ctx),
  };
}

/**
 * A bug or an outage inside a command or a route's handler: logged without
 * the request's contents (the message may name a table or a constraint,
 * never a secret; the stack stays on the server), answered as a code.
 */
export function unexpectedFailure(name: string, error: unknown): Failure {
  console.error(`${name}: unexpected error`, error instanceof Error ? error.message : "unknown");
  return failure(isDatabaseUnavailable(error) ? "SERVICE_UNAVAILABLE" : "INTERNAL_ERROR");
}

/** Which requests the origin rule (lib/auth/core/origin.ts) must treat as a browser's. */
function ridesOnCookies(ctx: CommandContext): boolean {
  return (
    ctx.channel === "browser" || ctx.sessionFromCookie || ctx.bindingCookie !== null || ctx.webauthnBindingCookie !== null
  );
}

function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string; code: string }[]) {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const field = issue.path.map(String).join(".") || "_";
    // Our schemas name message keys (e.g. CODE_FORMAT); zod's own messages
    // are English sentences, so those become the generic key.
    fields[field] ??= /^[A-Z_]+$/.test(issue.message) ? issue.message : "VALIDATION_FAILED";
  }
  return fields;
}

function messageFor(ctx: CommandContext, outcome: Failure): string {
  const t = createTranslator({ locale: ctx.locale, messages: messagesByLocale[ctx.locale], namespace: "errors" });
  const minutes = Math.max(1, Math.ceil((outcome.retryAfterSeconds ?? 60) / 60));
  return t(outcome.code, { minutes });
}

/**
 * A dependency that is down answers 503 (fail closed, ASVS 16.5.2), not a
 * generic 500: a database server out of reach, or an SQLite file that is
 * locked, full or failing (better-sqlite3 puts the result code in `code`).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  const text = `${error.name} ${error.message} ${typeof code === "string" ? code : ""}`;
  return /ECONNREFUSED|ETIMEDOUT|Can't reach database|SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY)|database is locked|connection/i.test(text);
}
