import { getTranslations } from "next-intl/server";
import { PasskeyUpgradePrompt } from "@/components/auth/passkey-upgrade-prompt";
import { FormMessage } from "@/components/ui/form-message";
import { Panel } from "@/components/ui/panel";
import { PageHeader } from "@/components/ui/page-header";
import { isErrorCode } from "@/lib/product/errors";
import { openSignedInPage } from "@/lib/server/require-session";
import { isolate } from "@/lib/i18n/isolate";
import { DONE, doneMessageKey } from "@/lib/product/done-flags";
import { requestsPageData } from "@/lib/product/page-data";
import { IncomingRequestEntry, SharedFileEntry } from "./request-entries";

export const dynamic = "force-dynamic";

const DONE_MESSAGES = {
  [DONE.requested]: "doneRequested",
  [DONE.approved]: "doneApproved",
  [DONE.declined]: "doneDeclined",
} as const;

export default async function RequestsPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<{ done?: string; error?: string }>;
}) {
  const { locale, session } = await openSignedInPage((await params).locale, "/requests");
  const query = await searchParams;
  const t = await getTranslations("requests");
  const tErrors = await getTranslations("errors");
  const { shared, incoming } = await requestsPageData(session.user);
  const doneKey = doneMessageKey(query.done, DONE_MESSAGES);
  const email = isolate(session.user.email);

  return (
    <div className="space-y-6">
      <PageHeader title={t("title")} intro={t("intro")} />
      {doneKey ? <FormMessage tone="success">{t(doneKey)}</FormMessage> : null}
      {query.done === DONE.approved ? <PasskeyUpgradePrompt action="approve_request" /> : null}
      {isErrorCode(query.error) ? <FormMessage tone="error">{tErrors(query.error, { minutes: 1 })}</FormMessage> : null}
      <Panel id="shared-heading" title={t("sharedTitle")}>
        {shared.length === 0 ? (
          <p className="text-gray-700">{t("sharedEmpty", { email })}</p>
        ) : (
          <>
            <p className="text-gray-700">{t("sharedIntro", { email })}</p>
            <ul className="divide-y divide-gray-200">
              {shared.map((item) => (
                <li key={item.fileId} className="py-4 first:pt-0 last:pb-0">
                  <SharedFileEntry item={item} locale={locale} />
                </li>
              ))}
            </ul>
          </>
        )}
      </Panel>
      <Panel id="incoming-heading" title={t("incomingTitle")}>
        {incoming.length === 0 ? (
          <p className="text-gray-700">{t("incomingEmpty")}</p>
        ) : (
          <ul className="divide-y divide-gray-200">
            {incoming.map((request) => (
              <li key={request.id} className="py-4 first:pt-0 last:pb-0">
                <IncomingRequestEntry request={request} locale={locale} />
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </div>
  );
}
