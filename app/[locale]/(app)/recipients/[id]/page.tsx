import { getTranslations } from "next-intl/server";
import { notFound } from "next/navigation";
import { RecipientForm } from "@/components/product/recipient-form";
import { Panel } from "@/components/ui/panel";
import { openSignedInPage } from "@/lib/server/require-session";
import { countryOptions } from "@/lib/product/countries";
import { recipientPageData } from "@/lib/product/page-data";

export const dynamic = "force-dynamic";

/** Edit one of your recipients; anyone else's id is a 404, like an id that does not exist. */
export default async function EditRecipientPage({ params }: { params: Promise<{ locale: string; id: string }> }) {
  const { locale: routeLocale, id } = await params;
  const { locale, session } = await openSignedInPage(routeLocale, `/recipients/${encodeURIComponent(id)}`);
  const { recipient, hasTransfers: locked } = await recipientPageData(session.user.id, id);
  if (!recipient) notFound();
  const t = await getTranslations("recipients");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold text-gray-900">{t("editTitle")}</h1>
      <Panel id="edit-recipient-heading" title={recipient.name}>
        <RecipientForm
          countries={countryOptions(locale)}
          recipient={{ id: recipient.id, name: recipient.name, email: recipient.email, country: recipient.country }}
          emailLocked={locked}
        />
      </Panel>
    </div>
  );
}
