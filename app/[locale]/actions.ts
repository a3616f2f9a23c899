"use server";

import { redirect } from "next/navigation";
import { runBrowserCommand } from "@/lib/server/browser-command";
import { localeFrom } from "@/lib/i18n/paths";

/** Ends the session on the server (ASVS 7.4.1) and clears the cookie. */
export async function signOutAction(form: FormData): Promise<void> {
  const locale = localeFrom(form.get("locale"));
  await runBrowserCommand("AUTH.SESSION.REVOKE", {}, locale);
  // Signed out or already out: either way, the sign-in page is next.
  redirect(`/${locale}/sign-in`);
}
