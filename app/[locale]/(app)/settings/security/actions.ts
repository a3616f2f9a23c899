"use server";

import { refresh } from "next/cache";
import { actionResultFrom, formStateFrom, type ActionResult } from "@/lib/auth/core/action-result";
import { runBrowserCommand } from "@/lib/server/browser-command";
import type { FormState } from "@/lib/auth/core/form-state";
import type { PasskeyDeleted } from "@/lib/auth/passkeys/passkey-management";
import { localeFrom } from "@/lib/i18n/paths";

/** Renaming is a plain form (read with useActionState); the list re-renders with the new name. */
export async function renamePasskeyAction(previous: FormState, form: FormData): Promise<FormState> {
  const locale = localeFrom(form.get("locale"));
  const execution = await runBrowserCommand(
    "AUTH.PASSKEY.RENAME",
    { id: String(form.get("id") ?? ""), name: String(form.get("name") ?? "") },
    locale,
  );
  const outcome = formStateFrom(execution);
  if (outcome.status === "done") refresh();
  return outcome;
}

/**
 * Called from client code, not a form: the command is
 * `security.factor.remove`, so it may answer STEP_UP_REQUIRED (or
 * ACTION_DENIED), and the page then asks for that proof and calls it again.
 */
export async function deletePasskeyAction(locale: unknown, id: string): Promise<ActionResult<PasskeyDeleted>> {
  const result = actionResultFrom(await runBrowserCommand("AUTH.PASSKEY.DELETE", { id }, localeFrom(locale)));
  if (result.ok) refresh();
  return result;
}

/** After a factor change: every other session of this person ends; this one stays (ASVS 7.4.3). */
export async function revokeOtherSessionsAction(locale: unknown): Promise<ActionResult<{ revoked: number }>> {
  return actionResultFrom(await runBrowserCommand("AUTH.SESSION.REVOKE_ALL_OTHERS", {}, localeFrom(locale)));
}
