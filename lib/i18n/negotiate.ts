import { DEFAULT_LOCALE, LOCALES, isLocale, type Locale } from "./locales";

/**
 * Picks a supported locale from an explicit value or an Accept-Language
 * header ("es-MX,es;q=0.9,en;q=0.8" → "es"). Pages get theirs from the URL;
 * this serves the JSON API and emails.
 */
export function negotiateLocale(value: string | null | undefined): Locale {
  if (!value) return DEFAULT_LOCALE;
  if (isLocale(value)) return value;
  const ranked = value
    .split(",")
    .map((part) => {
      const [tag, ...rest] = part.trim().split(";");
      const q = rest.find((p) => p.trim().startsWith("q="));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const base = tag.split("-")[0];
    const match = LOCALES.find((locale) => locale === tag || locale === base);
    if (match) return match;
  }
  return DEFAULT_LOCALE;
}
