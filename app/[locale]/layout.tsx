import type { Metadata } from "next";
import { hasLocale } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { notFound } from "next/navigation";
import { Suspense, type ReactNode } from "react";
import { LocaleSwitcher } from "@/components/locale-switcher";
import { directionOf } from "@/lib/i18n/locales";
import { routing } from "@/lib/i18n/routing";
import "../globals.css";

export function generateStaticParams() {
  return routing.locales.map((locale) => ({ locale }));
}

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale, namespace: "meta" });
  return { title: t("title"), description: t("description") };
}

export default async function LocaleLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ locale: string }>;
}) {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  const t = await getTranslations({ locale, namespace: "layout" });

  return (
    <html lang={locale} dir={directionOf(locale)}>
      <body className="min-h-dvh bg-gray-50 font-sans text-gray-900 antialiased">
        {/* No NextIntlClientProvider here: pages and layouts whose client
            components translate wrap them in <ClientMessages> (lib/i18n/client-messages-provider.tsx),
            so a page like sign-in loads no translation runtime (docs/performance.md). */}
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:start-2 focus:top-2 focus:rounded focus:bg-white focus:p-2"
        >
          {t("skipToContent")}
        </a>
        <header className="border-b border-gray-200 bg-white">
          <div className="mx-auto flex max-w-3xl flex-wrap items-center justify-between gap-2 px-4 py-3">
            {/* A plain link: next-intl's Link would bring its client runtime to every page. */}
            <a href={`/${locale}`} className="text-lg font-semibold text-gray-900">
              {t("brand")}
            </a>
            <Suspense fallback={null}>
              <LocaleSwitcher label={t("language")} current={locale} />
            </Suspense>
          </div>
        </header>
        <main id="main" className="mx-auto max-w-3xl px-4 py-8">
          {children}
        </main>
        <footer className="mx-auto max-w-3xl px-4 pb-8 text-sm text-gray-600">{t("footer")}</footer>
      </body>
    </html>
  );
}
