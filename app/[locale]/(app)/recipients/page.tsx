import { getTranslations } from "next-intl/server";
import { PasskeyUpgradePrompt } from "@/components/auth/passkey-upgrade-prompt";
import { RecipientForm } from "@/components/product/recipient-form";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { Panel } from "@/components/ui/panel";
import { PageHeader } from "@/components/ui/page-header";
import { isErrorCode } from "@/lib/product/errors";
import { openSignedInPage } from "@/lib/server/require-session";
import { isolate } from "@/lib/i18n/isolate";
import { Link } from "@/lib/i18n/navigation";
import { countryName, countryOptions } from "@/lib/product/countries";
import { DONE, doneMessageKey } from "@/lib/product/done-flags";
import { recipientsForPage } from "@/lib/product/page-data";
import { deleteRecipientAction } from "./actions";

export const dynamic = "force-dynamic";

const DONE_MESSAGES = {
  [DONE.recipientSaved]: "doneSaved",
  [DONE.recipientUpdated]: "doneUpdated",
  [DONE.recipientDeleted]: "doneDeleted",
} as const;

export default async function RecipientsPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<{ done?: string; error?: string }>;
}) {
  const { locale, session } = await openSignedInPage((await params).locale, "/recipients");
  const query = await searchParams;
  const t = await getTranslations("recipients");
  const tErrors = await getTranslations("errors");
  const recipients = await recipientsForPage(session.user.id);
  const doneKey = doneMessageKey(query.done, DONE_MESSAGES);

  return (
    <div className="space-y-6">
      <PageHeader title={t("title")} intro={t("intro")} />
      {doneKey ? <FormMessage tone="success">{t(doneKey)}</FormMessage> : null}
      {query.done === DONE.recipientSaved ? <PasskeyUpgradePrompt action="save_recipient" /> : null}
      {isErrorCode(query.error) ? <FormMessage tone="error">{tErrors(query.error, { minutes: 1 })}</FormMessage> : null}
      <Panel id="add-recipient-heading" title={t("addTitle")}>
        <RecipientForm countries={countryOptions(locale)} />
      </Panel>
      <Panel id="recipients-heading" title={t("listTitle")}>
        {recipients.length === 0 ? (
          <p className="text-gray-700">{t("empty")}</p>
        ) : (
          <ul className="divide-y divide-gray-200">
            {recipients.map((recipient) => (
              <li key={recipient.id} className="flex flex-wrap items-center justify-between gap-3 py-3 first:pt-0 last:pb-0">
                <div className="min-w-0">
                  <p className="break-words font-medium text-gray-900">
                    <bdi>{recipient.name}</bdi>
                  </p>
                  <p className="break-all text-sm text-gray-600" dir="ltr">
                    {recipient.email}
                  </p>
                  <p className="text-sm text-gray-600">{countryName(locale, recipient.country)}</p>
                </div>
                <div className="flex gap-2">
                  <Link
                    href={`/recipients/${recipient.id}`}
                    aria-label={t("editName", { name: isolate(recipient.name) })}
                    className="inline-flex min-h-11 items-center rounded-md border border-gray-300 bg-white px-4 font-medium text-gray-900 hover:bg-gray-50"
                  >
                    {t("edit")}
                  </Link>
                  <form action={deleteRecipientAction}>
                    <input type="hidden" name="locale" value={locale} />
                    <input type="hidden" name="recipientId" value={recipient.id} />
                    <Button type="submit" variant="secondary" aria-label={t("deleteName", { name: isolate(recipient.name) })} className="w-auto">
                      {t("delete")}
                    </Button>
                  </form>
                </div>
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </div>
  );
}
