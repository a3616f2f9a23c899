import { render } from "@react-email/render";
import { createElement } from "react";
import { createTranslator } from "next-intl";
import { isolate } from "../../i18n/isolate";
import type { Locale } from "../../i18n/locales";
import { messagesByLocale } from "../../i18n/messages";
import { FileSharedEmail, type FileSharedEmailProps } from "./file-shared-email";
import type { RenderedEmail } from "./render-magic-link-email";

export type FileSharedEmailValues = Omit<FileSharedEmailProps, "locale">;

/**
 * Renders the "a file was sent to you" email. Sending a file is rare next
 * to signing in, so unlike the sign-in email there is no cached skeleton:
 * React renders it each time and escapes every value on the way.
 */
export async function renderFileSharedEmail(locale: Locale, values: FileSharedEmailValues): Promise<RenderedEmail> {
  const element = createElement(FileSharedEmail, { locale, ...values });
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  const t = createTranslator({ locale, messages: messagesByLocale[locale], namespace: "email.fileShared" });
  // The subject is a header: the sender's address is canonical (no line
  // breaks); the file's name stays out of it.
  return { subject: t("subject", { sender: isolate(values.senderEmail) }), html, text };
}
