import { getLocale, getTimeZone } from "next-intl/server";
import { pickMessages, type ClientIntl, type Namespace } from "./client-messages";
import { DEFAULT_LOCALE, isLocale } from "./locales";
import { messagesByLocale } from "./messages";

/**
 * The request's locale and time zone, with only `namespaces` of its
 * messages. Server only. Apart from ClientMessages (client-messages-provider.tsx)
 * on purpose: a page that imports a module rendering next-intl's client
 * provider gets the provider's code in its bundle, rendered or not.
 */
export async function clientIntl(namespaces: readonly Namespace[]): Promise<ClientIntl> {
  const [requested, timeZone] = await Promise.all([getLocale(), getTimeZone()]);
  const locale = isLocale(requested) ? requested : DEFAULT_LOCALE;
  return { locale, timeZone, messages: pickMessages(messagesByLocale[locale], namespaces) };
}
