/**
 * The catalogue of expected failures. A handler returns one of these codes as
 * a value; the UI translates it (messages `errors.<CODE>`) and the JSON API
 * maps it to an HTTP status. Anything thrown instead is a bug and surfaces as
 * INTERNAL_ERROR without details.
 *
 * These are the auth core's codes. An application adds its own from outside
 * lib/auth, in two lines (lib/product/errors.ts does): it augments
 * `ErrorCatalogue` so the type checker knows the codes, and calls
 * `registerErrorCodes` so `execute` knows their statuses.
 */
export const AUTH_ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNKNOWN_COMMAND: 400,
  ORIGIN_REJECTED: 403,
  UNAUTHENTICATED: 401,
  TOKEN_INVALID: 404,
  TOKEN_EXPIRED: 410,
  TOKEN_USED: 410,
  TOKEN_VOIDED: 410,
  BINDING_REQUIRED: 403,
  CODE_INVALID: 400,
  CODE_LOCKED: 403,
  RATE_LIMITED: 429,
  CHALLENGE_INVALID: 404,
  CHALLENGE_EXPIRED: 410,
  CHALLENGE_USED: 410,
  PASSKEY_INVALID: 400,
  // A passkey this site does not know (deleted, or never registered here): the browser may be told
  // to stop offering it (WebAuthn's signalUnknownCredential, components/auth/passkey-signals.ts).
  PASSKEY_UNKNOWN: 400,
  PASSKEY_ALREADY_REGISTERED: 409,
  COUNTER_REGRESSION: 403,
  // The policy (lib/auth/policy) asks for a stronger, fresher proof first: error.details says which.
  STEP_UP_REQUIRED: 403,
  // The policy refuses the action here and now (a blocked network, a restricted session...).
  ACTION_DENIED: 403,
  // The sign-in policy refuses this sign-in (a blocked network): error.details.reasons says why.
  SIGN_IN_DENIED: 403,
  // The sign-in looks unlike this person's (lib/auth/policy): the email alone is not enough; sign in with a passkey.
  PASSKEY_SIGN_IN_REQUIRED: 403,
  // The same, on an account with an authenticator app: send the link or code again with `totpCode`
  // (or sign in with a passkey when details.methods names one).
  SECOND_FACTOR_REQUIRED: 403,
  // That sign-in's authenticator-app code was wrong (the email proof was right and is still usable).
  SECOND_FACTOR_INVALID: 400,
  // The account's authenticator apps are locked after wrong codes: retry after retryAfterSeconds.
  SECOND_FACTOR_LOCKED: 403,
  // Asked to step up with a method that never satisfies one (email, SMS: B4 §3.1.3.1).
  METHOD_NOT_ALLOWED: 400,
  /** A bound session's device proof is due: the browser proves its key (AUTH.DEVICE.CHALLENGE, PROVE), then retries. */
  DEVICE_PROOF_REQUIRED: 401,
  /** A device proof that does not hold (replayed, expired, wrong key, purpose, origin or session, revoked device). */
  DEVICE_PROOF_INVALID: 403,
  /** The account already has MAX_ACTIVE_DEVICES devices: revoke one in Settings → Devices first. */
  DEVICE_LIMIT_REACHED: 409,
  NOT_FOUND: 404,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
} as const;

type AuthErrorCatalogue = typeof AUTH_ERROR_STATUS;

/** Every code and its HTTP status, as types; an application augments it with its own (see above). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so that modules can augment it
export interface ErrorCatalogue extends AuthErrorCatalogue {}

export type ErrorCode = keyof ErrorCatalogue;

const statuses = new Map<string, number>(Object.entries(AUTH_ERROR_STATUS));

/** Adds an application's codes (declared in ErrorCatalogue) with their HTTP statuses. */
export function registerErrorCodes(codes: { readonly [C in ErrorCode]?: number }): void {
  for (const [code, status] of Object.entries(codes)) {
    if (typeof status === "number") statuses.set(code, status);
  }
}

/** The HTTP status a code answers with (500 for a code nobody registered: a bug). */
export function errorStatus(code: ErrorCode): number {
  return statuses.get(code) ?? 500;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && statuses.has(value);
}

/** Every registered code (the core's, and any an application registered). */
export function errorCodes(): ErrorCode[] {
  return [...statuses.keys()].filter(isErrorCode);
}

/** An expected failure, returned (never thrown) by ceremony functions. */
export interface Failure {
  ok: false;
  code: ErrorCode;
  /** Seconds until a retry can succeed (RATE_LIMITED). */
  retryAfterSeconds?: number;
  /** Per-field problems (VALIDATION_FAILED), as message keys. */
  fields?: Record<string, string>;
  /**
   * What a program needs to act on the refusal, sent as `error.details`:
   * for STEP_UP_REQUIRED `{ action, methods, maxAgeSeconds }`, the shape of
   * RFC 9470's insufficient_user_authentication. Never a secret.
   */
  details?: Record<string, string | number | readonly string[]>;
  /**
   * What the refusal's audit event should name when it is known: the
   * challenge or account it was against (never an address), so that a
   * burst against one account can be found (issue 17 item 8).
   */
  audit?: { userId?: string; details?: Record<string, string | number | boolean | null> };
}

export interface Success<T> {
  ok: true;
  value: T;
}

export type Result<T> = Success<T> | Failure;

export function success<T>(value: T): Success<T> {
  return { ok: true, value };
}

export function failure(code: ErrorCode, extra: Omit<Failure, "ok" | "code"> = {}): Failure {
  return { ok: false, code, ...extra };
}
