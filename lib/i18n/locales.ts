/**
 * The locales Trustladder ships. Adding one: add its code here, its messages
 * file beside this one (the messages test fails until every key is there),
 * and its name in `languageNames`.
 */
export const LOCALES = ["en", "es", "ar"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** Locales written right to left get `dir="rtl"` on <html>. */
const RTL_LOCALES: ReadonlySet<Locale> = new Set(["ar"]);

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

export function directionOf(locale: Locale): "ltr" | "rtl" {
  return RTL_LOCALES.has(locale) ? "rtl" : "ltr";
}

/** Each language's name in itself, for the switcher. */
export const languageNames: Record<Locale, string> = {
  en: "English",
  es: "Español",
  ar: "العربية",
};
