"use client";

import { useLocale } from "next-intl";
import { useSearchParams } from "next/navigation";
import { LOCALES, languageNames } from "@/lib/i18n/locales";
import { Link, usePathname } from "@/lib/i18n/navigation";

/**
 * Links (not a select that navigates on change) so the switcher works with
 * a keyboard, a screen reader and without JavaScript. The query string is
 * kept, so switching language on a magic-link page keeps the link working.
 */
export function LocaleSwitcher({ label }: { label: string }) {
  const current = useLocale();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const query = Object.fromEntries(searchParams.entries());
  return (
    <nav aria-label={label}>
      <ul className="flex gap-3 text-sm">
        {LOCALES.map((locale) => (
          <li key={locale}>
            <Link
              href={{ pathname, query }}
              locale={locale}
              lang={locale}
              hrefLang={locale}
              aria-current={locale === current ? "true" : undefined}
              className={locale === current ? "font-semibold text-gray-900" : "text-blue-700 underline"}
            >
              {languageNames[locale]}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
