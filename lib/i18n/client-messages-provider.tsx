import { NextIntlClientProvider } from "next-intl";
import type { ReactNode } from "react";
import { clientIntl } from "./client-intl";
import { CLIENT_NAMESPACES, type Namespace } from "./client-messages";

/**
 * next-intl's client provider with only the client components' messages.
 * Not in the root layout: a page without client translations (sign-in)
 * then loads no translation runtime at all (docs/performance.md). Wrap the
 * part of a page whose client components call `useTranslations`, or that
 * renders lib/i18n/navigation's Link (a client component reading the
 * provider's locale).
 */
export async function ClientMessages({
  namespaces = CLIENT_NAMESPACES,
  children,
}: {
  namespaces?: readonly Namespace[];
  children: ReactNode;
}) {
  const intl = await clientIntl(namespaces);
  return (
    <NextIntlClientProvider locale={intl.locale} timeZone={intl.timeZone} messages={intl.messages}>
      {children}
    </NextIntlClientProvider>
  );
}
