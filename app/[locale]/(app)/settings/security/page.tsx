import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";
import { Panel } from "@/components/ui/panel";
import { PageHeader } from "@/components/ui/page-header";
import { passkeysForPage } from "@/lib/server/passkey-page";
import { openSignedInPage } from "@/lib/server/require-session";
import { AddPasskey } from "./add-passkey";
import { FactorChanges } from "./factor-changes";
import { FactorList, type PasskeyItem } from "./factor-list";
import { TotpPanels } from "./totp-panels";

export const metadata: Metadata = { robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

/** Settings → Security: the signed-in person's passkeys (to add, rename and remove) and authenticator apps (to add and remove). */
export default async function SecurityPage({ params }: { params: Promise<{ locale: string }> }) {
  const { session } = await openSignedInPage((await params).locale, "/settings/security");

  const t = await getTranslations("security");
  const format = await getFormatter();
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });
  // Dates are formatted here, in the reader's locale and the app's time zone,
  // so the client list renders exactly what the server did.
  const passkeys: PasskeyItem[] = (await passkeysForPage(session.user.id)).map((passkey) => ({
    id: passkey.id,
    name: passkey.name,
    synced: passkey.synced,
    created: t("created", { date: when(passkey.createdAt) }),
    lastUsed: passkey.lastUsedAt ? t("lastUsed", { date: when(passkey.lastUsedAt) }) : t("neverUsed"),
  }));

  return (
    <div className="space-y-6">
      <PageHeader title={t("title")} intro={t("passkeysIntro")} />
      <FactorChanges>
        <Panel id="passkeys-heading" title={t("passkeysTitle")}>
          <FactorList kind="passkey" items={passkeys} />
        </Panel>
        <Panel id="add-passkey-heading" title={t("addTitle")}>
          <AddPasskey />
        </Panel>
        <TotpPanels userId={session.user.id} />
      </FactorChanges>
    </div>
  );
}
