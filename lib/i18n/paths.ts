import { DEFAULT_LOCALE, LOCALES, isLocale, type Locale } from "./locales";

export function localeFrom(value: unknown): Locale {
  return isLocale(value) ? value : DEFAULT_LOCALE;
}

/**
 * Puts a same-origin path (already checked by safeRedirectPath) under a
 * locale prefix, unless it already has one: "/" → "/es", "/en/x" stays.
 */
export function localizedPath(locale: Locale, path: string): string {
  const first = path.split(/[/?#]/)[1] ?? "";
  if ((LOCALES as readonly string[]).includes(first)) return path;
  return path === "/" ? `/${locale}` : `/${locale}${path}`;
}
