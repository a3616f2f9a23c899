import { createTranslator } from "next-intl";
import { messagesByLocale } from "../../lib/i18n/messages";
import type { AppLocale } from "./locales";

/**
 * The app's own messages and next-intl's own formatter, so a spec finds
 * "Email me a sign-in link" in English and "أرسِل لي رابط تسجيل الدخول" in
 * Arabic from the same key, and a missing key fails the test instead of
 * quietly matching nothing.
 */
export function translatorFor(locale: AppLocale) {
  return createTranslator({
    locale,
    messages: messagesByLocale[locale],
    timeZone: "UTC",
    onError(error) {
      throw error;
    },
  });
}

export type Translator = ReturnType<typeof translatorFor>;
export type MessageKey = Parameters<Translator["raw"]>[0];

const simpleArgument = /\{\s*\w+\s*\}/;

/**
 * A message with `{arguments}` as a RegExp that matches it whatever the
 * arguments are: "Continue as {email}" → /^Continue as (.+)$/. For values a
 * spec cannot know in advance, such as the masked address the page shows.
 * Plural and select arguments are not supported (translate those with
 * values instead).
 */
export function messagePattern(t: Translator, key: MessageKey): RegExp {
  const raw: unknown = t.raw(key);
  if (typeof raw !== "string") throw new Error(`${key} is not a message`);
  const parts = raw.split(simpleArgument);
  if (parts.some((part) => /[{}]/.test(part))) {
    throw new Error(`${key} has plural or select arguments; call t() with values instead`);
  }
  return new RegExp(`^${parts.map(escapeRegExp).join("(.+)")}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
