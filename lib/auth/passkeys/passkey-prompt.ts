import type { AuthDeps } from "../core/deps";

/**
 * The passkey upgrade prompt's memory: after a dismissal it stays away for
 * 7 days, and after 3 dismissals it lives only in Settings. Every event is
 * also an audit event (recorded by `execute`), so the enrollment rate per
 * prompt can be measured.
 */
export const PROMPT_COOLDOWN_SECONDS = 7 * 24 * 60 * 60;
export const MAX_PROMPT_DISMISSALS = 3;

export const PROMPT_ACTIONS = ["send_file", "save_recipient", "approve_request"] as const;
export const PROMPT_EVENTS = ["shown", "accepted", "dismissed", "failed"] as const;
export type PromptEvent = (typeof PROMPT_EVENTS)[number];

export async function promptEligible(
  deps: Pick<AuthDeps, "store" | "clock">,
  input: { userId: string; passkeyOnThisBrowser: boolean },
): Promise<boolean> {
  // This browser already has (or used) a passkey for someone: nothing to offer.
  if (input.passkeyOnThisBrowser) return false;
  const state = await deps.store.accounts.passkeyPrompt(input.userId);
  if (!state) return true;
  if (state.dismissals >= MAX_PROMPT_DISMISSALS) return false;
  if (!state.lastDismissedAt) return true;
  return deps.clock.now().getTime() - state.lastDismissedAt.getTime() >= PROMPT_COOLDOWN_SECONDS * 1000;
}

export async function recordPromptEvent(
  deps: Pick<AuthDeps, "store" | "clock">,
  input: { userId: string; event: PromptEvent },
): Promise<void> {
  const now = deps.clock.now();
  const shown = input.event === "shown";
  const dismissed = input.event === "dismissed";
  if (!shown && !dismissed) return; // accepted and failed live in the audit log only
  await deps.store.accounts.countPasskeyPrompt(input.userId, shown ? "shown" : "dismissed", now);
}
