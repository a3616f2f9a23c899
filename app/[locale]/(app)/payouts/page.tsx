import { getTranslations } from "next-intl/server";
import { PayoutForm } from "@/components/product/payout-form";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { countryName, countryOptions } from "@/lib/product/countries";
import { payoutForPage } from "@/lib/product/page-data";
import { openSignedInPage } from "@/lib/server/require-session";

export const dynamic = "force-dynamic";

/** Where the account's payouts go: shown masked; changing them needs a fresh passkey proof (payout.change). */
export default async function PayoutsPage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale, session } = await openSignedInPage((await params).locale, "/payouts");
  const t = await getTranslations("payouts");
  const payout = await payoutForPage(session.user.id);

  return (
    <div className="space-y-6">
      <PageHeader title={t("title")} intro={t("intro")} />
      <Panel id="payout-current" title={t("currentTitle")}>
        {payout ? (
          <dl className="grid grid-cols-1 gap-2 text-sm sm:grid-cols-[max-content_1fr] sm:gap-x-6">
            <dt className="font-medium text-gray-700">{t("holderLabel")}</dt>
            <dd>{payout.holderName}</dd>
            <dt className="font-medium text-gray-700">{t("ibanLabel")}</dt>
            <dd dir="ltr" className="text-start font-mono">
              {payout.ibanMasked}
            </dd>
            <dt className="font-medium text-gray-700">{t("countryLabel")}</dt>
            <dd>{countryName(locale, payout.country)}</dd>
          </dl>
        ) : (
          <p className="text-gray-700">{t("none")}</p>
        )}
      </Panel>
      <Panel id="payout-change" title={t("changeTitle")}>
        <PayoutForm countries={countryOptions(locale)} current={payout ? { holderName: payout.holderName, country: payout.country } : null} />
      </Panel>
    </div>
  );
}
