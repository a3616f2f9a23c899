"use server";

import { revalidatePath } from "next/cache";
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

export interface FilePrivacyState extends FormState {
  /** What the file became, for the "now private" / "no longer private" message. */
  private?: boolean;
}

/**
 * Marks one of your files private, or not private again (PRODUCT.FILE.SET_PRIVATE).
 * Making it not private asks for `file.view_private` first: the form's
 * useStepUp opens the step-up dialog and sends the same form again.
 */
export async function setFilePrivateAction(_previous: FilePrivacyState, form: FormData): Promise<FilePrivacyState> {
  const { locale: rawLocale, fileId, private: wanted } = formText(form, ["locale", "fileId", "private"]);
  const locale = localeFrom(rawLocale);
  const execution = await runBrowserCommand("PRODUCT.FILE.SET_PRIVATE", { fileId, private: wanted === "true" }, locale);
  const outcome = formStateFrom(execution);
  if (outcome.error === "UNAUTHENTICATED") redirect(signInFor(locale, "/files"));
  if (!execution.envelope.ok) return outcome;
  // The list re-renders with the file's new badge in this same answer.
  revalidatePath(`/${locale}/files`);
  return { status: "done", private: execution.envelope.data.private };
}
