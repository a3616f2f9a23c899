import type { AuthDeps } from "../core/deps";
import type { RequestContext } from "../core/request-context";
import type { ActiveSession } from "../core/sessions";
import { flagsReadBy } from "../policy/decide";
import type { ActionRule, PolicyContext, StrongMethod } from "../policy/types";
import type { GrantRow } from "../store/types";

/**
 * The facts the policy judges a signed-in request for `action` by, looked
 * up once: the session's proofs and unexpired grants, the account's strong
 * factors, the device's trust when the row asks about it, and the
 * request's risk signals that the action's row reads. decide() itself
 * does no I/O.
 */
export async function policyContextFor(
  deps: Pick<AuthDeps, "store" | "clock" | "policy">,
  input: { session: ActiveSession; action: string; request: RequestContext },
): Promise<PolicyContext> {
  const { session, request } = input;
  const now = deps.clock.now();
  // Only the signals the action's row reads: a private file's row asks
  // about the network alone, so its reads skip the account's history.
  const flags = flagsReadBy(deps.policy.table, input.action);
  const rule = Object.hasOwn(deps.policy.table, input.action) ? deps.policy.table[input.action] : undefined;
  const [grants, strongFactors, signals, trusted] = await Promise.all([
    deps.store.grants.listActive(session.id, now),
    strongFactorsOf(deps, session.user.id),
    deps.policy.risk.assess({ user: session.user, request, now, flags }),
    rule && readsDevice(rule) ? deviceTrusted(deps, session) : false,
  ]);
  return {
    now,
    session: {
      id: session.id,
      proofs: session.methods.map((use) => ({ method: use.method, at: new Date(use.at) })),
      grants: grants.map(grantOf),
      restricted: session.restricted,
    },
    account: { role: session.user.role, strongFactors },
    device: { binding: session.binding, trusted },
    signals,
  };
}

/** A row that wants a trusted device, or accepts a proof from one. */
function readsDevice(rule: ActionRule): boolean {
  return rule.trustedDevice === true || (Array.isArray(rule.proof?.methods) && rule.proof.methods.includes("device"));
}

async function deviceTrusted(deps: Pick<AuthDeps, "store">, session: ActiveSession): Promise<boolean> {
  if (session.binding === "none" || !session.deviceId) return false;
  const device = await deps.store.devices.findForUser(session.deviceId, session.user.id);
  return device?.trust === "trusted";
}

/** The kinds of strong factor the account has (B4 §3.1.3.1: email is not one). */
export async function strongFactorsOf(deps: Pick<AuthDeps, "store">, userId: string): Promise<StrongMethod[]> {
  const [passkeys, apps] = await Promise.all([
    deps.store.passkeys.countForUser(userId),
    deps.store.totpFactors.listConfirmed(userId),
  ]);
  const factors: StrongMethod[] = [];
  if (passkeys > 0) factors.push("passkey");
  if (apps.length > 0) factors.push("totp");
  return factors;
}

function grantOf(row: GrantRow) {
  return { action: row.action, method: row.method, grantedAt: row.createdAt, expiresAt: row.expiresAt };
}
