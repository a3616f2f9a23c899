import type { RiskSignals } from "../risk/signals";

/**
 * The policy's vocabulary: what it is asked about (an action, in a context
 * of plain data) and what it answers (a decision). No I/O anywhere here:
 * the caller gathers the facts (the session, the account, lib/auth/risk's
 * signals), decide.ts judges them.
 */

/** The factors that can satisfy a step-up. Email and SMS never do (B4 §3.1.3.1). */
export const STRONG_METHODS = ["passkey", "totp"] as const;
export type StrongMethod = (typeof STRONG_METHODS)[number];

/**
 * What a step-up may be made with: the account's strong factors, and
 * `device`, a fresh proof with the device key of a trusted device this
 * session is bound to (lib/auth/devices). The device proves possession of
 * that browser, not the person (no user verification): a row lists it only
 * where being on a device a passkey has vouched for is the point.
 */
export const STEP_UP_METHODS = [...STRONG_METHODS, "device"] as const;
export type StepUpMethod = (typeof STEP_UP_METHODS)[number];

/** How the session is bound to its browser (lib/auth/devices; `dbsc` is Chrome's native binding). */
export type DeviceBinding = "none" | "device-key" | "dbsc";

/** A proof on the session: how, and when. */
export interface Proof {
  method: string;
  at: Date;
}

/** A step-up's result: this session may do this action, proven with this method, until `expiresAt`. */
export interface Grant {
  action: string;
  method: StepUpMethod;
  grantedAt: Date;
  expiresAt: Date;
}

export interface PolicyContext {
  now: Date;
  /** Null for sign_in, which has no session yet. */
  session: {
    id: string;
    /** Every proof this session holds: its sign-in and any re-confirmation since (never a step-up). */
    proofs: readonly Proof[];
    /** Granted by step-ups on this session; decide() uses only the ones for the action asked about. */
    grants: readonly Grant[];
    /** A risky sign-in to an account without a strong factor: no sensitive action until one is added. */
    restricted: boolean;
  } | null;
  account: {
    role: string;
    /** The strong factors the account has, whatever their number. */
    strongFactors: readonly StrongMethod[];
  };
  /**
   * The device the session is on: how the session is bound to it (`none`:
   * this browser has no device key, e.g. a private window), and whether a
   * passkey used on it made it trusted. Read only for rows that ask.
   */
  device: { binding: DeviceBinding; trusted: boolean };
  /** What this request looks like (lib/auth/risk). */
  signals: RiskSignals;
}

/**
 * Why a decision was not a plain "allow": the rules that fired, as stable
 * identifiers (audited, and translated on the screens as `policy.reasons.<id>`).
 */
export type Reason =
  | "unknown_action"
  | "role_required"
  | "blocked_network"
  | "anonymizer"
  | "new_device"
  | "new_country"
  | "impossible_travel"
  | "failed_attempts"
  | "recent_recovery"
  | "restricted_session"
  | "no_strong_factor"
  | "reauthentication_required"
  | "proof_too_old"
  | "no_device_key"
  | "untrusted_device";

export type Decision =
  | {
      kind: "allow";
      /**
       * What must happen alongside (sign_in only): tell the account about a
       * new sign-in, or start the session restricted.
       */
      obligations: readonly Obligation[];
      reasons: readonly Reason[];
    }
  | { kind: "step_up"; methods: readonly StepUpMethod[]; maxAgeSeconds: number; reasons: readonly Reason[] }
  | { kind: "deny"; reasons: readonly Reason[] };

export type Obligation = "notify_new_sign_in" | "restrict_session";

/**
 * A yes-or-no risk fact a rule can name: the signals' flags, and
 * `manyRecentFailures` (recentFailures at or above MANY_RECENT_FAILURES).
 */
export type RiskFlag =
  | "blockedNetwork"
  | "anonymizer"
  | "newDevice"
  | "newCountry"
  | "impossibleTravel"
  | "recentRecovery"
  | "manyRecentFailures";

/**
 * One action's row of the policy table (policy-table.ts). Every field is
 * optional; an action with no fields is always allowed.
 */
export interface ActionRule {
  /** Only these roles may do it at all. */
  roles?: readonly string[];
  /** These signals refuse it outright. */
  denyWhen?: readonly RiskFlag[];
  /**
   * Any of these combinations (every flag in it set) asks for a fresh strong
   * proof on top of `proof`; a sign-in to an account without a strong
   * factor is then allowed restricted, and the account is told.
   */
  escalateWhen?: readonly (readonly RiskFlag[])[];
  /** These signals, when nothing else fires, only tell the account ("a new sign-in"). */
  notifyWhen?: readonly RiskFlag[];
  /**
   * The proof it needs: one of `methods` (in the order they are offered)
   * within `maxAgeSeconds`, from the session's own proofs or a grant for
   * this action. `"strongest"`: the strongest factor the account has; an
   * account with none may go ahead on any proof that recent (how a first
   * passkey gets added after an email sign-in).
   */
  proof?: { methods: readonly StepUpMethod[] | "strongest"; maxAgeSeconds: number };
  /**
   * Only on a session bound to a trusted device. No device key refuses it
   * (`no_device_key`); an untrusted one asks for a passkey on it, which
   * makes it trusted (`untrusted_device`).
   */
  trustedDevice?: boolean;
  /** Whether a restricted session may do it (adding a first strong factor is how one stops being restricted). */
  allowedWhenRestricted?: boolean;
}

/** The policy as code: one row an action. */
export type PolicyTable = Readonly<Record<string, ActionRule>>;
