import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { MAGIC_LINK_TTL_MINUTES } from "@/lib/auth/core/email-challenge-lifetime";
import { describeMagicLinkForPage } from "@/lib/server/magic-link-page";
import { isolate } from "@/lib/i18n/isolate";
import { Link } from "@/lib/i18n/navigation";
import { CodeForm, ContinueForm, FreshLinkForm } from "./link-forms";

// The token is in this page's URL: no search engine, no cache, no Referer.
export const metadata: Metadata = { robots: { index: false, follow: false }, referrer: "no-referrer" };
export const dynamic = "force-dynamic";

/**
 * Opening a sign-in link lands here. This GET only reads: a mail scanner
 * that fetches the link (GET or HEAD) leaves it valid. Only the POST of the
 * form below (origin-checked) redeems it.
 */
export default async function MagicLinkPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<{ token?: string | string[] }>;
}) {
  const { locale } = await params;
  setRequestLocale(locale);
  const { token: raw } = await searchParams;
  const token = (Array.isArray(raw) ? raw[0] : raw) ?? "";
  const t = await getTranslations("magicLink");
  const link = await describeMagicLinkForPage(token);

  if (link.state === "ready" && link.boundToThisBrowser) {
    return (
      <Card title={t("title")}>
        <p className="text-gray-700">{t("continueHint")}</p>
        <ContinueForm token={token} label={t("continueAs", { email: isolate(link.maskedEmail) })} />
      </Card>
    );
  }
  if (link.state === "ready" && !link.codeLocked) {
    return (
      <Card title={t("otherBrowserTitle")}>
        <p className="text-gray-700">{t("otherBrowser")}</p>
        <CodeForm token={token} />
        <h2 className="pt-2 text-base font-medium">{t("orNewLink")}</h2>
        <FreshLinkForm token={token} label={t("newLink")} />
      </Card>
    );
  }
  if (link.state === "invalid") {
    return (
      <Card title={t("invalidTitle")}>
        <p className="text-gray-700">{t("invalid")}</p>
        <Link href="/sign-in" className="inline-block text-blue-700 underline">
          {t("requestFresh")}
        </Link>
      </Card>
    );
  }
  const key = link.state === "ready" ? "locked" : link.state;
  const lockout = await getTranslations("lockout");
  return (
    <Card title={t(`${key}Title`)}>
      <p className="text-gray-700">{t(key, { minutes: MAGIC_LINK_TTL_MINUTES })}</p>
      <FreshLinkForm token={token} label={t("requestFresh")} />
      {key === "locked" ? (
        // Someone else's wrong codes must not leave this person without a way in.
        <Link href="/sign-in" className="inline-block text-blue-700 underline">
          {lockout("usePasskey")}
        </Link>
      ) : null}
    </Card>
  );
}
