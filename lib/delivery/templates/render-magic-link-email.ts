import { render } from "@react-email/render";
import { createElement } from "react";
import { createTranslator } from "next-intl";
import { MAGIC_LINK_TTL_MINUTES } from "../../auth/core/email-challenge-lifetime";
import type { Locale } from "../../i18n/locales";
import { messagesByLocale } from "../../i18n/messages";
import { MagicLinkEmail } from "./magic-link-email";

export interface MagicLinkEmailValues {
  link: string;
  code: string;
  browser: string;
  /** ISO country code, when known. */
  country: string | null;
  requestedAt: Date;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/**
 * Rendering React to HTML costs more than the rest of a sign-in request, and
 * only five values change between two emails of one language. So each
 * language's email is rendered once with placeholders, and each request
 * fills them in (HTML-escaped: the browser name comes from the User-Agent,
 * which anyone can set).
 */
const PLACEHOLDERS = {
  link: "__TL_LINK__",
  code: "__TL_CODE__",
  browser: "__TL_BROWSER__",
  place: "__TL_PLACE__",
  time: "__TL_TIME__",
} as const;

/** A rendered email cut at its placeholders: text, then a value's name, then text, … */
type Template = { parts: string[]; slots: (keyof typeof PLACEHOLDERS)[] };
type Skeleton = { html: Template; text: Template };
const skeletons = new Map<string, Promise<Skeleton>>();

function skeletonFor(locale: Locale, withPlace: boolean): Promise<Skeleton> {
  const key = `${locale}:${withPlace}`;
  let skeleton = skeletons.get(key);
  if (!skeleton) {
    const element = createElement(MagicLinkEmail, {
      locale,
      link: PLACEHOLDERS.link,
      code: PLACEHOLDERS.code,
      browser: PLACEHOLDERS.browser,
      place: withPlace ? PLACEHOLDERS.place : null,
      time: PLACEHOLDERS.time,
      validForMinutes: MAGIC_LINK_TTL_MINUTES,
    });
    skeleton = Promise.all([render(element), render(element, { plainText: true })]).then(([html, text]) => ({
      html: cutAtPlaceholders(html),
      text: cutAtPlaceholders(text),
    }));
    // A failed render must not be cached forever.
    skeleton.catch(() => skeletons.delete(key));
    skeletons.set(key, skeleton);
  }
  return skeleton;
}

export async function renderMagicLinkEmail(locale: Locale, values: MagicLinkEmailValues): Promise<RenderedEmail> {
  const place = values.country ? countryName(locale, values.country) : null;
  const time = formatTime(locale, values.requestedAt);
  const skeleton = await skeletonFor(locale, place !== null);
  const filled: Record<keyof typeof PLACEHOLDERS, string> = {
    link: values.link,
    code: values.code,
    browser: values.browser,
    place: place ?? "",
    time,
  };
  return {
    subject: subjectFor(locale),
    html: fill(skeleton.html, filled, escapeHtml),
    text: fill(skeleton.text, filled, (value) => value),
  };
}

const PLACEHOLDER_PATTERN = new RegExp(Object.values(PLACEHOLDERS).join("|"), "g");
const SLOT_BY_PLACEHOLDER = new Map<string, keyof typeof PLACEHOLDERS>(
  Object.entries(PLACEHOLDERS).map(([name, placeholder]) => [placeholder, name as keyof typeof PLACEHOLDERS]),
);

/** Done once per language, so that each email is one pass over a few pieces rather than a search per value. */
function cutAtPlaceholders(rendered: string): Template {
  const parts: string[] = [];
  const slots: Template["slots"] = [];
  let from = 0;
  for (const match of rendered.matchAll(PLACEHOLDER_PATTERN)) {
    parts.push(rendered.slice(from, match.index));
    slots.push(SLOT_BY_PLACEHOLDER.get(match[0]) as keyof typeof PLACEHOLDERS);
    from = match.index + match[0].length;
  }
  parts.push(rendered.slice(from));
  return { parts, slots };
}

function fill(
  template: Template,
  values: Record<keyof typeof PLACEHOLDERS, string>,
  encode: (value: string) => string,
): string {
  let result = template.parts[0];
  for (let i = 0; i < template.slots.length; i++) {
    result += encode(values[template.slots[i]]) + template.parts[i + 1];
  }
  return result;
}

function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

// Intl objects and translators are costly to build and immutable once
// built, so each locale gets one of each for the life of the process.
const perLocale = new Map<Locale, { subject: string; regions: Intl.DisplayNames; time: Intl.DateTimeFormat }>();

function formattersFor(locale: Locale) {
  let formatters = perLocale.get(locale);
  if (!formatters) {
    const t = createTranslator({ locale, messages: messagesByLocale[locale], namespace: "email.magicLink" });
    formatters = {
      subject: t("subject"),
      regions: new Intl.DisplayNames([locale], { type: "region" }),
      time: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }),
    };
    perLocale.set(locale, formatters);
  }
  return formatters;
}

function subjectFor(locale: Locale): string {
  return formattersFor(locale).subject;
}

function countryName(locale: Locale, country: string): string {
  try {
    return formattersFor(locale).regions.of(country) ?? country;
  } catch {
    return country;
  }
}

function formatTime(locale: Locale, at: Date): string {
  return `${formattersFor(locale).time.format(at)} UTC`;
}
