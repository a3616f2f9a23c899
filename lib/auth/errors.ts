/**
 * The catalogue of expected failures. A handler returns one of these codes as
 * a value; the UI translates it (messages `errors.<CODE>`) and the JSON API
 * maps it to an HTTP status. Anything thrown instead is a bug and surfaces as
 * INTERNAL_ERROR without details.
 */
export const ERROR_STATUS = {
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
  PASSKEY_ALREADY_REGISTERED: 409,
  COUNTER_REGRESSION: 403,
  REAUTH_REQUIRED: 403,
  // The account has a passkey: only a recent proof with a passkey changes its factors.
  PASSKEY_REAUTH_REQUIRED: 403,
  NOT_FOUND: 404,
  // The demo product (lib/product): one catalogue, so execute's envelope,
  // form states and the UI's translations need no second mapping.
  FILE_TOO_LARGE: 413,
  /** The upload would take its owner past their storage quota (lib/product/file-rules.ts). */
  QUOTA_EXCEEDED: 413,
  FILE_TYPE_NOT_ALLOWED: 415,
  RECIPIENT_EXISTS: 409,
  RECIPIENT_IN_USE: 409,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && value in ERROR_STATUS;
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
