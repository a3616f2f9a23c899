import type { AuthDeps } from "../core/deps";
import { failure, success, type Failure, type Result } from "../core/errors";
import type { RequestContext } from "../core/request-context";
import type { SessionStart } from "../core/sessions";
import { decide } from "../policy/decide";
import { verifyTotpCode } from "../totp/totp-verification";
import { strongFactorsOf } from "./policy-context";

/**
 * Sign-in is an action too (the `sign_in` row of the policy table), judged
 * when an emailed link or code is redeemed, after the proof checked out:
 * - refused (a blocked network): SIGN_IN_DENIED, and the person is told
 *   what to do; the link stays usable from elsewhere until it expires;
 * - escalated (impossible travel, a new device with a new country...) on an
 *   account with an authenticator app: the email alone is not enough, the
 *   same link or code must come again with the app's code (`totpCode`;
 *   SECOND_FACTOR_REQUIRED until it does). The link stays unused until then,
 *   so nothing is held between the two requests, and a session is only ever
 *   created with both proofs. With a passkey too, details.methods says the
 *   person may sign in with it instead;
 * - escalated on an account with a passkey only: the person signs in with
 *   the passkey instead (PASSKEY_SIGN_IN_REQUIRED);
 * - escalated on an account with no strong factor: the session starts
 *   restricted (no sensitive action until a strong step-up).
 * The answer also says where the sign-in came from, kept on the session for
 * the next one's impossible-travel check.
 */
export interface SignInVerdict extends SessionStart {
  /** The account should be told about this sign-in (a new device, a restricted start, a second factor asked for). */
  notify: boolean;
  /** Where the sign-in came from, for that email; null when unknown. */
  country: string | null;
  /** The proof this sign-in made beside the email: an app's code, when the policy escalated. */
  secondFactor: "totp" | null;
}

export async function judgeSignIn(
  deps: Pick<AuthDeps, "store" | "clock" | "policy" | "limits" | "totpKey">,
  input: {
    email: string;
    request: RequestContext;
    /** An authenticator app's code, sent along for an escalated sign-in; otherwise ignored (and not spent). */
    totpCode?: string;
  },
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
    // The session does not exist yet, so nothing is bound to it (sign_in's row asks nothing of a device).
    device: { binding: "none", trusted: false },
    signals,
  });
  const reasons = decision.reasons.join(",");
  const { position, country } = deps.policy.risk.locate(input.request);

  if (decision.kind === "deny") {
    return failure("SIGN_IN_DENIED", { details: { reasons: decision.reasons }, audit: { details: { decision: "deny", reasons } } });
  }
  if (decision.kind === "step_up") {
    const details = { reasons: decision.reasons, methods: decision.methods };
    // decide() offers only factors the account has, so an account exists here.
    if (account && decision.methods.includes("totp")) {
      const audit = { userId: account.id, details: { decision: "step_up", reasons, secondFactor: "totp" } };
      if (input.totpCode === undefined) return failure("SECOND_FACTOR_REQUIRED", { details, audit });
      // The step-up's own check: ±1 step on the server's clock, a code once, the app's lock.
      const checked = await verifyTotpCode(deps, { userId: account.id, code: input.totpCode });
      if (!checked.ok) return secondFactorRefusal(checked, details, audit);
      return success({ restricted: false, position, country, notify: true, secondFactor: "totp" });
    }
    return failure("PASSKEY_SIGN_IN_REQUIRED", { details, audit: { details: { decision: "step_up", reasons } } });
  }
  return success({
    restricted: decision.obligations.includes("restrict_session"),
    position,
    country,
    notify: decision.obligations.length > 0,
    secondFactor: null,
  });
}

/**
 * A wrong or locked app code, told apart from the email code's own
 * CODE_INVALID / CODE_LOCKED: the email proof was right and still works, so
 * the person is asked for the app's code again, not for a new email.
 */
function secondFactorRefusal(
  refused: Failure,
  details: { reasons: readonly string[]; methods: readonly string[] },
  audit: { userId: string; details: Record<string, string> },
): Failure {
  const code =
    refused.code === "CODE_INVALID" ? "SECOND_FACTOR_INVALID" : refused.code === "CODE_LOCKED" ? "SECOND_FACTOR_LOCKED" : refused.code;
  return { ...refused, code, details, audit: { ...audit, details: { ...audit.details, ...refused.audit?.details } } };
}
