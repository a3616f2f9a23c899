import type { AuthDeps } from "../core/deps";
import { failure, success, type Result } from "../core/errors";
import type { RequestContext } from "../core/request-context";
import type { SessionStart } from "../core/sessions";
import { decide } from "../policy/decide";
import { strongFactorsOf } from "./policy-context";

/**
 * Sign-in is an action too (the `sign_in` row of the policy table), judged
 * when an emailed link or code is redeemed, after the proof checked out:
 * - refused (a blocked network): SIGN_IN_DENIED, and the person is told
 *   what to do; the link stays usable from elsewhere until it expires;
 * - escalated (impossible travel, a new device with a new country...) on an
 *   account with a passkey: the email alone is not enough, the person signs
 *   in with the passkey instead (PASSKEY_SIGN_IN_REQUIRED);
 * - on an account without a passkey: the session starts restricted (no
 *   sensitive action until a strong step-up).
 * The answer also says where the sign-in came from, kept on the session for
 * the next one's impossible-travel check.
 */
export interface SignInVerdict extends SessionStart {
  /** The account should be told about this sign-in (a new device, a restricted start). */
  notify: boolean;
  /** Where the sign-in came from, for that email; null when unknown. */
  country: string | null;
}

export async function judgeSignIn(
  deps: Pick<AuthDeps, "store" | "clock" | "policy">,
  input: { email: string; request: RequestContext },
): Promise<Result<SignInVerdict>> {
  const now = deps.clock.now();
  const account = await deps.store.accounts.findByEmail(input.email);
  const [signals, strongFactors] = await Promise.all([
    deps.policy.risk.assess({ user: account, request: input.request, now }),
    account ? strongFactorsOf(deps, account.id) : [],
  ]);
  const decision = decide(deps.policy.table, "sign_in", {
    now,
    session: null,
    account: { role: account?.role ?? "user", strongFactors },
    signals,
  });
  const reasons = decision.reasons.join(",");
  const { position, country } = deps.policy.risk.locate(input.request);

  if (decision.kind === "deny") {
    return failure("SIGN_IN_DENIED", { details: { reasons: decision.reasons }, audit: { details: { decision: "deny", reasons } } });
  }
  if (decision.kind === "step_up") {
    if (decision.methods.includes("passkey")) {
      return failure("PASSKEY_SIGN_IN_REQUIRED", {
        details: { reasons: decision.reasons, methods: decision.methods },
        audit: { details: { decision: "step_up", reasons } },
      });
    }
    // An authenticator app cannot start a session here yet: the session
    // starts restricted instead, until the app confirms a step-up on it.
    return success({ restricted: true, position, country, notify: true });
  }
  return success({
    restricted: decision.obligations.includes("restrict_session"),
    position,
    country,
    notify: decision.obligations.length > 0,
  });
}
