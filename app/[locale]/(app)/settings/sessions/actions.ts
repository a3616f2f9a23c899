"use server";

import { redirect } from "next/navigation";
import { localeFrom } from "@/lib/i18n/paths";
import { runBrowserCommand } from "@/lib/server/browser-command";
import { formText, pathAfter } from "../../action-helpers";
import { SESSIONS_DONE } from "./sessions-done";

const PAGE = "/settings/sessions";

/** "End" beside another session: it is signed out on its next request (AUTH.SESSION.REVOKE_OTHER). */
export async function endSessionAction(form: FormData): Promise<void> {
  const { locale: rawLocale, sessionId } = formText(form, ["locale", "sessionId"]);
  const locale = localeFrom(rawLocale);
  const execution = await runBrowserCommand("AUTH.SESSION.REVOKE_OTHER", { sessionId }, locale);
  redirect(pathAfter(locale, PAGE, execution, SESSIONS_DONE.ended));
}

/** "End all other sessions": every session of the account but this one (AUTH.SESSION.REVOKE_ALL_OTHERS). */
export async function endOtherSessionsAction(form: FormData): Promise<void> {
  const locale = localeFrom(formText(form, ["locale"]).locale);
  const execution = await runBrowserCommand("AUTH.SESSION.REVOKE_ALL_OTHERS", {}, locale);
  redirect(pathAfter(locale, PAGE, execution, SESSIONS_DONE.endedOthers));
}
