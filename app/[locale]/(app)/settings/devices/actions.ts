"use server";

import { redirect } from "next/navigation";
import { localeFrom } from "@/lib/i18n/paths";
import { runBrowserCommand } from "@/lib/server/browser-command";
import { formText, pathAfter } from "../../action-helpers";
import { DEVICES_DONE } from "./devices-done";

const PAGE = "/settings/devices";

/** "Save" beside a device's name (AUTH.DEVICE.RENAME). */
export async function renameDeviceAction(form: FormData): Promise<void> {
  const { locale: rawLocale, deviceId, name } = formText(form, ["locale", "deviceId", "name"]);
  const locale = localeFrom(rawLocale);
  const execution = await runBrowserCommand("AUTH.DEVICE.RENAME", { deviceId, name }, locale);
  redirect(pathAfter(locale, PAGE, execution, DEVICES_DONE.renamed));
}

/** "Remove": the device's key is refused from now on and its sessions end (AUTH.DEVICE.REVOKE). */
export async function revokeDeviceAction(form: FormData): Promise<void> {
  const { locale: rawLocale, deviceId } = formText(form, ["locale", "deviceId"]);
  const locale = localeFrom(rawLocale);
  const execution = await runBrowserCommand("AUTH.DEVICE.REVOKE", { deviceId }, locale);
  redirect(pathAfter(locale, PAGE, execution, DEVICES_DONE.revoked));
}
