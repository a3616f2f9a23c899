"use server";

import { redirect } from "next/navigation";
import { runBrowserCommand } from "@/lib/server/browser-command";
import { formStateFrom } from "@/lib/auth/core/action-result";
import type { FormState } from "@/lib/auth/core/form-state";
import { localeFrom } from "@/lib/i18n/paths";
import { DONE } from "@/lib/product/done-flags";
import { formText, pathAfter, signInFor } from "../action-helpers";

export interface RecipientFormState extends FormState {
  /** What was typed, so a refused save keeps it in the form. */
  values?: { name: string; email: string; country: string };
}

/** Creates a recipient, or updates one when the form carries its id. */
export async function saveRecipientAction(previous: RecipientFormState, form: FormData): Promise<RecipientFormState> {
  const fields = formText(form, ["locale", "recipientId", "name", "email", "country"]);
  const locale = localeFrom(fields.locale);
  const values = { name: fields.name, email: fields.email, country: fields.country };
  const editing = fields.recipientId !== "";
  const execution = editing
    ? await runBrowserCommand("PRODUCT.RECIPIENT.UPDATE", { recipientId: fields.recipientId, ...values }, locale)
    : await runBrowserCommand("PRODUCT.RECIPIENT.CREATE", values, locale);
  const outcome = formStateFrom(execution);
  if (outcome.error === "UNAUTHENTICATED") redirect(signInFor(locale, "/recipients"));
  if (outcome.status === "error") return { ...outcome, values };
  redirect(`/${locale}/recipients?done=${editing ? DONE.recipientUpdated : DONE.recipientSaved}`);
}

export async function deleteRecipientAction(form: FormData): Promise<void> {
  const { locale: rawLocale, recipientId } = formText(form, ["locale", "recipientId"]);
  const locale = localeFrom(rawLocale);
  const execution = await runBrowserCommand("PRODUCT.RECIPIENT.DELETE", { recipientId }, locale);
  redirect(pathAfter(locale, "/recipients", execution, DONE.recipientDeleted));
}
