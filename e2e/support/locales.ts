/**
 * The locale projects: every spec runs once per entry, in that language.
 * `browserLocale` is what the browser advertises (Accept-Language,
 * navigator.language); `appLocale` is the path prefix and messages file.
 */
export const LOCALE_PROJECTS = [
  { appLocale: "en", browserLocale: "en-US", dir: "ltr" },
  { appLocale: "es", browserLocale: "es-ES", dir: "ltr" },
  { appLocale: "ar", browserLocale: "ar-EG", dir: "rtl" },
] as const;

export type AppLocale = (typeof LOCALE_PROJECTS)[number]["appLocale"];
export type TextDirection = (typeof LOCALE_PROJECTS)[number]["dir"];
