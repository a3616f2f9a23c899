import { getFormatter, getTranslations } from "next-intl/server";
import { Panel } from "@/components/ui/panel";
import { serverDeps } from "@/lib/auth/core/server-deps";
import { TOTP_ENROLLMENT_TTL_SECONDS } from "@/lib/auth/totp/totp-enrollment";
import { listTotpFactors } from "@/lib/auth/totp/totp-management";
import { AddTotp } from "./add-totp";
import { FactorList, type TotpItem } from "./factor-list";

/**
 * The authenticator apps beside the passkeys: the list, read while
 * rendering (the same read as AUTH.TOTP.LIST, scoped to the signed-in
 * user; a page GET runs no command), and the way to add one.
 */
export async function TotpPanels({ userId }: { userId: string }) {
  const t = await getTranslations("totp");
  const format = await getFormatter();
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });
  // Dates and the default name are rendered here, in the reader's locale, so the client shows what the server did.
  const apps: TotpItem[] = (await listTotpFactors(serverDeps(), userId)).map((app) => ({
    id: app.id,
    name: app.name || t("defaultName"),
    created: t("created", { date: when(app.createdAt) }),
    lastUsed: app.lastUsedAt ? t("lastUsed", { date: when(app.lastUsedAt) }) : t("neverUsed"),
  }));

  return (
    <>
      <Panel id="totp-heading" title={t("title")}>
        <p className="text-gray-700">{t("intro")}</p>
        <FactorList kind="totp" items={apps} />
      </Panel>
      <Panel id="add-totp-heading" title={t("addTitle")}>
        <AddTotp ttlMinutes={Math.floor(TOTP_ENROLLMENT_TTL_SECONDS / 60)} />
      </Panel>
    </>
  );
}
