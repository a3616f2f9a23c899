"use server";

import { redirect } from "next/navigation";
import { runBrowserCommand } from "@/lib/server/browser-command";
import { formStateFrom } from "@/lib/auth/core/action-result";
import type { FormState } from "@/lib/auth/core/form-state";
import { localeFrom } from "@/lib/i18n/paths";
import { DONE } from "@/lib/product/done-flags";
import { formText, signInFor } from "../action-helpers";

export interface SendFileState extends FormState {
  /** The recipient chosen last time, so a failed send keeps the choice. */
  recipientId?: string;
  /** The note typed last time, kept the same way. */
  note?: string;
}

/** Sends a file to a saved recipient; on success the files page says so (`?done=sent`). */
export async function sendFileAction(previous: SendFileState, form: FormData): Promise<SendFileState> {
  const { locale: rawLocale, fileId, recipientId, note } = formText(form, ["locale", "fileId", "recipientId", "note"]);
  const locale = localeFrom(rawLocale);
  const execution = await runBrowserCommand("PRODUCT.FILE.SEND", { fileId, recipientId, note }, locale);
  const outcome = formStateFrom(execution);
  if (outcome.error === "UNAUTHENTICATED") redirect(signInFor(locale, "/files"));
  if (outcome.status === "error") return { ...outcome, recipientId, note };
  redirect(`/${locale}/files?done=${DONE.sent}`);
}
