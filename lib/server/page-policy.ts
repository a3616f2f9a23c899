import { redirect } from "next/navigation";
import { currentRequestContext } from "../auth/core/cookies";
import type { Decision } from "../auth/policy/types";
import { judgeAction } from "../auth/step-up/require-action";
import { stepUpPath } from "../auth/step-up/step-up-path";
import type { Locale } from "../i18n/locales";
import { currentActiveSession } from "./current-session";
import { appDeps } from "./deps";

/**
 * The policy for a page (a server component) instead of a command: the
 * same guard, the same decision. A page cannot ask for a step-up in its
 * answer, so it sends the person to the step-up page, which comes back here.
 */
export async function pageDecision(action: string): Promise<Decision | null> {
  const [session, request] = await Promise.all([currentActiveSession(), currentRequestContext()]);
  if (!session) return null;
  return judgeAction(appDeps(), { session, action, request });
}

/** For a protected page: goes on when the policy allows `action`, else to the step-up page (which explains a refusal). */
export async function requirePageAction(locale: Locale, action: string, path: string): Promise<void> {
  const decision = await pageDecision(action);
  if (decision?.kind !== "allow") redirect(stepUpPath(locale, action, `/${locale}${path}`));
}
