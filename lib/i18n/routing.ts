import { defineRouting } from "next-intl/routing";
import { DEFAULT_LOCALE, LOCALES } from "./locales";

/**
 * Every page lives under a locale prefix (/en/sign-in). A request without
 * one is redirected to the best match for Accept-Language (or the locale
 * cookie of an earlier visit) by the next-intl proxy.
 */
export const routing = defineRouting({
  locales: LOCALES,
  defaultLocale: DEFAULT_LOCALE,
  localePrefix: "always",
});
