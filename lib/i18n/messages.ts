import ar from "./messages/ar.json";
import en from "./messages/en.json";
import es from "./messages/es.json";
import type { Locale } from "./locales";

export type Messages = typeof en;

/** Statically imported so server code outside a request (emails) can use them too. */
export const messagesByLocale: Record<Locale, Messages> = { en, es, ar };
