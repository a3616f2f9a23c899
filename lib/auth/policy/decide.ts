import type { RiskSignals } from "../risk/signals";
import {
  STRONG_METHODS,
  type ActionRule,
  type Decision,
  type Obligation,
  type PolicyContext,
  type PolicyTable,
  type Reason,
  type RiskFlag,
  type StepUpMethod,
  type StrongMethod,
} from "./types";

/**
 * The policy: what an action needs in a context, as a pure function of
 * plain data (no clock, no database: `context.now` is the time). The rules
 * themselves are data, one row an action (policy-table.ts); this file only
 * says how a row is read, in this order:
 *
 * 1. an action nobody listed is refused;
 * 2. a role the row does not name is refused;
 * 3. a signal in `denyWhen` refuses it;
 * 4. a restricted session is refused, unless the row allows it;
 * 5. `trustedDevice` refuses a session with no device key, and asks a
 *    session on an untrusted device for a passkey on it;
 * 6. a combination in `escalateWhen` asks for a fresh strong proof (a
 *    sign-in to an account without one is allowed, restricted, and told);
 * 7. `proof` asks for one of its methods within its window, from the
 *    session's own proofs or a grant for this very action.
 *
 * Email and SMS are never offered (B4 §3.1.3.1): a step-up's methods are
 * always strong ones the account has, or this session's trusted device.
 */
export function decide(table: PolicyTable, action: string, context: PolicyContext): Decision {
  const rule = Object.hasOwn(table, action) ? table[action] : undefined;
  if (!rule) return deny(["unknown_action"]);
  if (rule.roles && !rule.roles.includes(context.account.role)) return deny(["role_required"]);

  const flags = flagsOf(context.signals);
  const denied = (rule.denyWhen ?? []).filter((flag) => flags[flag]);
  if (denied.length > 0) return deny(denied.map(reasonOf));
  if (context.session?.restricted && !rule.allowedWhenRestricted) return deny(["restricted_session"]);
  if (rule.trustedDevice) {
    const untrusted = untrustedDevice(rule, context);
    if (untrusted) return untrusted;
  }

  const escalated = escalationReasons(rule, flags);
  if (escalated.length > 0) return escalate(action, context, escalated);

  const notices = (rule.notifyWhen ?? []).filter((flag) => flags[flag]).map(reasonOf);
  const obligations: Obligation[] = notices.length > 0 ? ["notify_new_sign_in"] : [];
  if (!rule.proof) return { kind: "allow", obligations, reasons: notices };

  const { maxAgeSeconds } = rule.proof;
  let methods: readonly StepUpMethod[];
  if (rule.proof.methods === "strongest") {
    const strongest = strongestFactor(context.account.strongFactors);
    // No strong factor yet: a recent proof of any kind (an email sign-in or
    // re-confirmation) may add the first one (ASVS 7.5.1).
    if (!strongest) {
      return hasProof(action, context, null, maxAgeSeconds)
        ? { kind: "allow", obligations, reasons: notices }
        : deny(["reauthentication_required"]);
    }
    methods = [strongest];
  } else {
    // A device's proof counts only from the trusted device this session is bound to.
    methods = rule.proof.methods.filter((method) => method !== "device" || onTrustedDevice(context));
  }
  if (hasProof(action, context, methods, maxAgeSeconds)) return { kind: "allow", obligations, reasons: notices };
  const offered = methods.filter((method) => method === "device" || context.account.strongFactors.includes(method));
  if (offered.length === 0) return deny(["no_strong_factor"]);
  return { kind: "step_up", methods: offered, maxAgeSeconds, reasons: ["proof_too_old"] };
}

/**
 * The risk flags an action's row reads (its denyWhen, escalateWhen and
 * notifyWhen): what the caller has to look up before deciding it, and no
 * more. An unknown action reads none (decide() refuses it anyway).
 */
export function flagsReadBy(table: PolicyTable, action: string): ReadonlySet<RiskFlag> {
  const rule = Object.hasOwn(table, action) ? table[action] : undefined;
  if (!rule) return new Set();
  return new Set([...(rule.denyWhen ?? []), ...(rule.escalateWhen ?? []).flat(), ...(rule.notifyWhen ?? [])]);
}

/** How fresh the proof is that an escalated action asks for. */
export const ESCALATED_PROOF_SECONDS = 5 * 60;

/** Failed attempts on the account, in the risk window, that count as a signal of their own. */
export const MANY_RECENT_FAILURES = 5;

function escalate(action: string, context: PolicyContext, reasons: readonly Reason[]): Decision {
  const offered = STRONG_METHODS.filter((method) => context.account.strongFactors.includes(method));
  if (offered.length === 0) {
    // A sign-in cannot be refused for lacking a factor the person never had;
    // it starts restricted, and the account is told. Anything else is refused.
    return context.session === null
      ? { kind: "allow", obligations: ["restrict_session", "notify_new_sign_in"], reasons }
      : deny([...reasons, "no_strong_factor"]);
  }
  if (hasProof(action, context, offered, ESCALATED_PROOF_SECONDS)) {
    return { kind: "allow", obligations: [], reasons: [] };
  }
  return { kind: "step_up", methods: offered, maxAgeSeconds: ESCALATED_PROOF_SECONDS, reasons };
}

/**
 * A proof with one of `methods` (any method, when null) within the window:
 * one of the session's own, or a grant for this action that has not
 * expired. A grant for another action counts for nothing here.
 */
function hasProof(action: string, context: PolicyContext, methods: readonly string[] | null, maxAgeSeconds: number): boolean {
  const session = context.session;
  if (!session) return false;
  const now = context.now.getTime();
  const recent = (at: Date) => at.getTime() <= now && now - at.getTime() <= maxAgeSeconds * 1000;
  const allowed = (method: string) => methods === null || methods.includes(method);
  return (
    session.proofs.some((proof) => allowed(proof.method) && recent(proof.at)) ||
    session.grants.some(
      (grant) => grant.action === action && allowed(grant.method) && recent(grant.grantedAt) && grant.expiresAt.getTime() > now,
    )
  );
}

/**
 * A row that wants a trusted device, on a session that is not on one: no
 * device key at all cannot be helped here (a private window, or a client
 * that never registered one); an untrusted device becomes trusted by a
 * passkey used on it, which is what is asked for.
 */
function untrustedDevice(rule: ActionRule, context: PolicyContext): Decision | null {
  if (context.device.binding === "none") return deny(["no_device_key"]);
  if (context.device.trusted) return null;
  if (!context.account.strongFactors.includes("passkey")) return deny(["untrusted_device", "no_strong_factor"]);
  return {
    kind: "step_up",
    methods: ["passkey"],
    maxAgeSeconds: rule.proof?.maxAgeSeconds ?? ESCALATED_PROOF_SECONDS,
    reasons: ["untrusted_device"],
  };
}

function onTrustedDevice(context: PolicyContext): boolean {
  return context.device.binding !== "none" && context.device.trusted;
}

/** Passkey first: phishing-resistant (B4 §3.2.5). */
function strongestFactor(factors: readonly StrongMethod[]): StrongMethod | null {
  return STRONG_METHODS.find((method) => factors.includes(method)) ?? null;
}

function escalationReasons(rule: ActionRule, flags: Record<RiskFlag, boolean>): Reason[] {
  const fired = (rule.escalateWhen ?? []).filter((combination) => combination.every((flag) => flags[flag]));
  return [...new Set(fired.flat())].map(reasonOf);
}

function flagsOf(signals: RiskSignals): Record<RiskFlag, boolean> {
  return {
    blockedNetwork: signals.blockedNetwork,
    anonymizer: signals.anonymizer,
    newDevice: signals.newDevice,
    newCountry: signals.newCountry,
    impossibleTravel: signals.impossibleTravel,
    recentRecovery: signals.recentRecovery,
    manyRecentFailures: signals.recentFailures >= MANY_RECENT_FAILURES,
  };
}

const REASON_OF_FLAG: Record<RiskFlag, Reason> = {
  blockedNetwork: "blocked_network",
  anonymizer: "anonymizer",
  newDevice: "new_device",
  newCountry: "new_country",
  impossibleTravel: "impossible_travel",
  recentRecovery: "recent_recovery",
  manyRecentFailures: "failed_attempts",
};

function reasonOf(flag: RiskFlag): Reason {
  return REASON_OF_FLAG[flag];
}

function deny(reasons: readonly Reason[]): Decision {
  return { kind: "deny", reasons };
}
