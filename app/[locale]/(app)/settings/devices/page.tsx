import { getFormatter, getTranslations } from "next-intl/server";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { DEVICE_NAME_MAX_LENGTH } from "@/lib/auth/devices/device-registry";
import { isErrorCode } from "@/lib/auth/core/errors";
import { isolate } from "@/lib/i18n/isolate";
import { devicesForPage, type DeviceListing } from "@/lib/server/devices-page";
import { openSignedInPage } from "@/lib/server/require-session";
import { renameDeviceAction, revokeDeviceAction } from "./actions";
import { DEVICES_DONE } from "./devices-done";

export const dynamic = "force-dynamic";

/**
 * Settings → Devices: the browsers that hold a device key of this account
 * (lib/auth/devices), this one marked. Rename one, or remove it: its key
 * is refused from then on and its sessions end at once. Plain forms, so it
 * works without JavaScript and from the keyboard.
 */
export default async function DevicesPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<{ done?: string; error?: string }>;
}) {
  const { locale, session } = await openSignedInPage((await params).locale, "/settings/devices");
  const query = await searchParams;
  const t = await getTranslations("devicesPage");
  const tErrors = await getTranslations("errors");
  const devices = await devicesForPage(session);
  const done = query.done === DEVICES_DONE.renamed ? t("doneRenamed") : query.done === DEVICES_DONE.revoked ? t("doneRevoked") : null;
  // Only codes the app knows are shown: the query string is anyone's to edit.
  const error = isErrorCode(query.error) ? tErrors(query.error, { minutes: 1 }) : null;

  return (
    <div className="space-y-6">
      <PageHeader title={t("title")} intro={t("intro")} />
      {done ? <FormMessage tone="success">{done}</FormMessage> : null}
      {error ? <FormMessage tone="error">{error}</FormMessage> : null}
      <Panel id="devices-heading" title={t("listTitle")}>
        {devices.length === 0 ? (
          <p className="text-sm text-gray-700">{t("none")}</p>
        ) : (
          <ul className="divide-y divide-gray-200">
            {devices.map((device) => (
              <li key={device.id} className="py-4 first:pt-0 last:pb-0">
                <DeviceEntry device={device} locale={locale} />
              </li>
            ))}
          </ul>
        )}
      </Panel>
    </div>
  );
}

async function DeviceEntry({ device, locale }: { device: DeviceListing; locale: string }) {
  const t = await getTranslations("devicesPage");
  const format = await getFormatter();
  const place = device.country ? new Intl.DisplayNames([locale], { type: "region" }).of(device.country) : null;
  const when = (date: Date) => format.dateTime(date, { dateStyle: "medium", timeStyle: "short" });
  const revoked = device.trust === "revoked";
  return (
    <article aria-label={device.name} className="space-y-3">
      <div className="min-w-0 space-y-1">
        <p className="flex flex-wrap items-center gap-2 font-medium text-gray-900">
          <span dir="auto">{device.name}</span>
          {device.current ? (
            <span className="rounded-full bg-blue-50 px-2 py-0.5 text-xs font-medium text-blue-800">{t("thisDevice")}</span>
          ) : null}
          <span className="rounded-full bg-gray-100 px-2 py-0.5 text-xs font-medium text-gray-800">{t(`trust.${device.trust}`)}</span>
        </p>
        <p className="text-sm text-gray-600">
          {place ? `${place} · ` : null}
          {t("lastSeen", { time: when(device.lastSeenAt) })}
        </p>
        <p className="text-sm text-gray-600">{t("added", { time: when(device.createdAt) })}</p>
      </div>
      {revoked ? null : (
        <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
          <form action={renameDeviceAction} className="flex min-w-0 flex-1 flex-col gap-2 sm:flex-row sm:items-end">
            <input type="hidden" name="locale" value={locale} />
            <input type="hidden" name="deviceId" value={device.id} />
            <div className="min-w-0 flex-1">
              <Field
                id={`device-name-${device.id}`}
                name="name"
                label={t("nameLabel")}
                defaultValue={device.name}
                required
                maxLength={DEVICE_NAME_MAX_LENGTH}
                dir="auto"
              />
            </div>
            <Button type="submit" variant="secondary" className="sm:w-auto">
              {t("rename")}
              <span className="sr-only"> {isolate(device.name)}</span>
            </Button>
          </form>
          <form action={revokeDeviceAction} className="shrink-0">
            <input type="hidden" name="locale" value={locale} />
            <input type="hidden" name="deviceId" value={device.id} />
            <Button type="submit" variant="danger" className="sm:w-auto">
              {t("revoke")}
              <span className="sr-only"> {isolate(device.name)}</span>
            </Button>
          </form>
        </div>
      )}
    </article>
  );
}
