import type { z } from "zod";
import type { AuditFacts, AuditRowFor } from "./audit";
import type { Locale } from "../../i18n/locales";
import type { AuthDeps } from "./deps";
import type { Result } from "./errors";
import type { RequestContext } from "./request-context";
import type { ActiveSession } from "./sessions";

/** Who is asking: a browser (server actions, cookies) or an API client (JSON, bearer token). */
export type Channel = "browser" | "api";

export interface CommandContext {
  channel: Channel;
  locale: Locale;
  request: RequestContext;
  /** The session token from the cookie or `Authorization: Bearer`. */
  sessionToken: string | null;
  /** Whether the token came from a cookie (then the origin check applies). */
  sessionFromCookie: boolean;
  /** The magic-link binding cookie of this browser, if any. */
  bindingCookie: string | null;
  /** The WebAuthn challenge binding cookie of this browser, if any. */
  webauthnBindingCookie: string | null;
  /** Whether this browser has registered or used a passkey before (a hint, not a proof). */
  passkeyOnThisBrowser: boolean;
}

/** Cookie changes a browser caller must apply; API callers get the values in `data`. */
export type CookieEffect =
  | { kind: "set-session"; token: string; expiresAt: Date }
  | { kind: "clear-session" }
  | { kind: "set-binding"; value: string; expiresAt: Date }
  | { kind: "clear-binding" }
  | { kind: "set-webauthn-binding"; value: string; expiresAt: Date }
  | { kind: "clear-webauthn-binding" }
  | { kind: "set-passkey-device" };

export interface HandlerInput<P> {
  params: P;
  deps: AuthDeps;
  ctx: CommandContext;
  /** Present when the command declared `requiresSession`. */
  session: ActiveSession | null;
  /**
   * This command's success event, for a ceremony to insert inside the
   * transaction that makes its change (then answer `auditWritten: true`), so
   * that the change and its record commit together or not at all.
   */
  auditRow: AuditRowFor;
}

export interface HandlerOutput<D> {
  data: D;
  effects?: CookieEffect[];
  audit?: AuditFacts;
  /** The ceremony inserted `auditRow(...)` in its own transaction: execute writes no second event. */
  auditWritten?: true;
}

/**
 * One operation: its name (a literal type, so the registry can look its
 * types up by name), its input schema, and its handler. `D` is what the
 * handler answers with; callers of `execute` through a registry get it
 * typed (lib/auth/core/registry.ts).
 */
export interface Command<N extends string, S extends z.ZodType, D> {
  name: N;
  input: S;
  requiresSession: boolean;
  /**
   * A read that changes nothing (a session check, a list): its audit event
   * may be written in a batch a moment later. Every other command's event is
   * written before it answers, and a lost event fails the request.
   */
  readOnly?: boolean;
  /**
   * The policy action this command performs (a row of the policy table,
   * lib/auth/policy/policy-table.ts). `execute` asks the policy before the
   * handler runs and answers STEP_UP_REQUIRED or ACTION_DENIED instead when
   * it says so. Needs `requiresSession`.
   */
  policyAction?: string;
  /**
   * Runs for a bound session whose device proof is due (lib/auth/devices):
   * only what it takes to prove the device, read the session or sign out.
   * Every other command answers DEVICE_PROOF_REQUIRED then.
   */
  whileDeviceProofDue?: true;
  handle(input: HandlerInput<z.infer<S>>): Promise<Result<HandlerOutput<D>>>;
}

/** Helps TypeScript infer a command's types: its name as a literal, its input from its schema, its data from its handler. */
export function defineCommand<const N extends string, S extends z.ZodType, D>(command: Command<N, S, D>): Command<N, S, D> {
  return command;
}
