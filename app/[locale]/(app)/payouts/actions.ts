"use server";

import { redirect } from "next/navigation";
import { refresh } from "next/cache";
import { formStateFrom } from "@/lib/auth/core/action-result";
import type { FormState } from "@/lib/auth/core/form-state";
import { localeFrom } from "@/lib/i18n/paths";
import { runBrowserCommand } from "@/lib/server/browser-command";
import { formText, signInFor } from "../action-helpers";

export interface PayoutFormState extends FormState {
  /** What was typed, so a refused save (or one waiting for a step-up) keeps it in the form. */
  values?: { holderName: string; iban: string; country: string };
  /** The saved details, masked, after a change. */
  saved?: { holderName: string; ibanMasked: string; country: string };
}

/** Saves the payout details: `payout.change` may first ask for a step-up (the form's useStepUp retries this). */
export async function savePayoutAction(_previous: PayoutFormState, form: FormData): Promise<PayoutFormState> {
  const fields = formText(form, ["locale", "holderName", "iban", "country"]);
  const locale = localeFrom(fields.locale);
  const values = { holderName: fields.holderName, iban: fields.iban, country: fields.country };
  const execution = await runBrowserCommand("PRODUCT.PAYOUT.UPDATE", values, locale);
  const outcome = formStateFrom(execution);
  if (outcome.error === "UNAUTHENTICATED") redirect(signInFor(locale, "/payouts"));
  if (!execution.envelope.ok) return { ...outcome, values };
  const { holderName, ibanMasked, country } = execution.envelope.data.payout;
  // The page's "Current details" are server-rendered: render them again with the change.
  refresh();
  return { status: "done", saved: { holderName, ibanMasked, country } };
}
