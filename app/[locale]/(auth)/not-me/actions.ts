"use server";

import { formStateFrom } from "@/lib/auth/core/action-result";
import type { FormState } from "@/lib/auth/core/form-state";
import { localeFrom } from "@/lib/i18n/paths";
import { runBrowserCommand } from "@/lib/server/browser-command";

export interface NotMeState extends FormState {
  /** Done: whether this click ended the session (false: it had already ended). */
  ended?: boolean;
}

/** "Sign that session out": the confirmation the emailed link's page asks for (AUTH.SESSION.DISOWN). */
export async function disownSessionAction(previous: NotMeState, form: FormData): Promise<NotMeState> {
  const locale = localeFrom(form.get("locale"));
  const execution = await runBrowserCommand("AUTH.SESSION.DISOWN", { token: String(form.get("token") ?? "") }, locale);
  const { envelope } = execution;
  if (!envelope.ok) return { ...previous, ...formStateFrom(execution) };
  return { status: "done", ended: envelope.data.ended };
}
