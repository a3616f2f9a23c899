"use server";

import { redirect } from "next/navigation";
import { runBrowserCommand } from "@/lib/server/browser-command";
import { localeFrom } from "@/lib/i18n/paths";
import { DONE } from "@/lib/product/done-flags";
import { formText, pathAfter } from "../action-helpers";

/** A recipient asks the owner for access to a file sent to them. */
export async function requestAccessAction(form: FormData): Promise<void> {
  const { locale: rawLocale, fileId } = formText(form, ["locale", "fileId"]);
  const locale = localeFrom(rawLocale);
  const execution = await runBrowserCommand("PRODUCT.ACCESS.REQUEST", { fileId }, locale);
  redirect(pathAfter(locale, "/requests", execution, DONE.requested));
}

/** The owner approves (`?done=approved`, a valuable action) or declines a request. */
export async function decideRequestAction(form: FormData): Promise<void> {
  const { locale: rawLocale, requestId, decision } = formText(form, ["locale", "requestId", "decision"]);
  const locale = localeFrom(rawLocale);
  const approve = decision === "approve";
  const execution = await runBrowserCommand(approve ? "PRODUCT.ACCESS.APPROVE" : "PRODUCT.ACCESS.DECLINE", { requestId }, locale);
  redirect(pathAfter(locale, "/requests", execution, approve ? DONE.approved : DONE.declined));
}
