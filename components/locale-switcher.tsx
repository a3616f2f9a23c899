"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { LOCALES, languageNames, type Locale } from "@/lib/i18n/locales";

/**
 * Links (not a select that navigates on change) so the switcher works with
 * a keyboard, a screen reader and without JavaScript. The query string is
 * kept, so switching language on a magic-link page keeps the link working.
 *
 * Plain links to the same path under the other locale's prefix (every path
 * has one, lib/i18n/routing.ts): a language change reloads the page, whose
 * <html lang dir> changes anyway, and the proxy records the choice in the
 * locale cookie. Nothing of next-intl is loaded for it: it is on every page,
 * sign-in included (docs/performance.md).
 */
export function LocaleSwitcher({ label, current }: { label: string; current: Locale }) {
  const pathname = usePathname();
  const query = useSearchParams().toString();
  // "/en/sign-in" → "sign-in": what follows the locale prefix.
  const rest = pathname.split("/").slice(2).join("/");
  const hrefOf = (locale: Locale) => `/${locale}${rest ? `/${rest}` : ""}${query ? `?${query}` : ""}`;
  return (
    <nav aria-label={label}>
      <ul className="flex gap-3 text-sm">
        {LOCALES.map((locale) => (
          <li key={locale}>
            <a
              href={hrefOf(locale)}
              lang={locale}
              hrefLang={locale}
              aria-current={locale === current ? "true" : undefined}
              className={locale === current ? "font-semibold text-gray-900" : "text-blue-700 underline"}
            >
              {languageNames[locale]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
