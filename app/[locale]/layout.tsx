import type { Metadata } from "next";
import { NextIntlClientProvider, hasLocale } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { notFound } from "next/navigation";
import { Suspense, type ReactNode } from "react";
import { LocaleSwitcher } from "@/components/locale-switcher";
import { Link } from "@/lib/i18n/navigation";
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
        <NextIntlClientProvider>
          <a
            href="#main"
            className="sr-only focus:not-sr-only focus:absolute focus:start-2 focus:top-2 focus:rounded focus:bg-white focus:p-2"
          >
            {t("skipToContent")}
          </a>
          <header className="border-b border-gray-200 bg-white">
            <div className="mx-auto flex max-w-3xl flex-wrap items-center justify-between gap-2 px-4 py-3">
              <Link href="/" className="text-lg font-semibold text-gray-900">
                {t("brand")}
              </Link>
              <Suspense fallback={null}>
                <LocaleSwitcher label={t("language")} />
              </Suspense>
            </div>
          </header>
          <main id="main" className="mx-auto max-w-3xl px-4 py-8">
            {children}
          </main>
          <footer className="mx-auto max-w-3xl px-4 pb-8 text-sm text-gray-600">{t("footer")}</footer>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
