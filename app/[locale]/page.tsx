import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { AppNav } from "@/components/app-nav";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { currentSession } from "@/lib/server/current-session";
import { ClientMessages } from "@/lib/i18n/client-messages-provider";
import { DeviceKeeper } from "@/components/auth/device-keeper";
import { PasskeySignalKeeper } from "@/components/auth/passkey-signal-keeper";
import { isolate } from "@/lib/i18n/isolate";
import { Link } from "@/lib/i18n/navigation";
import { signOutAction } from "./actions";

export const dynamic = "force-dynamic";

export default async function HomePage({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  setRequestLocale(locale);
  const t = await getTranslations("home");
  const session = await currentSession();

  if (!session) {
    // next-intl's Link is a client component that reads the locale from the provider.
    return (
      <ClientMessages namespaces={[]}>
        <Card title={t("guestTitle")}>
          <p className="text-gray-700">{t("guestIntro")}</p>
          <Link
            href="/sign-in"
            className="inline-flex min-h-11 items-center rounded-md bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800"
          >
            {t("guestCta")}
          </Link>
        </Card>
      </ClientMessages>
    );
  }

  const format = await getFormatter();
  const tMethods = await getTranslations("methods");
  const tDevices = await getTranslations("devices");
  const latest = session.methods.at(-1);
  const [deviceClass, browser] = splitDevice(session.device);
  const when = (date: Date) => format.dateTime(date, { dateStyle: "medium", timeStyle: "short" });
  const countryName = session.country
    ? (new Intl.DisplayNames([locale], { type: "region" }).of(session.country) ?? session.country)
    : t("countryUnknown");

  // The navigation translates in the browser, and next-intl's Link reads the locale from the provider.
  return (
    <ClientMessages namespaces={["nav"]}>
      {/* The first page after a sign-in: where the session gets bound to this browser's device key, and the passkey providers hear how things stand. */}
      <DeviceKeeper />
      <PasskeySignalKeeper />
      <div className="space-y-6">
        <AppNav />
        <Card title={t("title")}>
          <p className="text-gray-700">{t("signedInAs", { email: isolate(session.user.email) })}</p>
          <section aria-labelledby="session-heading" className="space-y-2">
            <h2 id="session-heading" className="text-lg font-medium">
              {t("sessionTitle")}
            </h2>
            <dl className="grid grid-cols-1 gap-x-4 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
              <dt className="font-medium text-gray-600">{t("method")}</dt>
              <dd>{latest ? tMethods(latest.method) : "—"}</dd>
              <dt className="font-medium text-gray-600">{t("signedInAt")}</dt>
              <dd>{latest ? when(new Date(latest.at)) : "—"}</dd>
              <dt className="font-medium text-gray-600">{t("device")}</dt>
              <dd>
                {tDevices(deviceClass)}
                {browser ? (
                  <>
                    {" "}
                    <bdi>({browser})</bdi>
                  </>
                ) : null}
              </dd>
              <dt className="font-medium text-gray-600">{t("country")}</dt>
              <dd>{countryName}</dd>
              <dt className="font-medium text-gray-600">{t("level")}</dt>
              <dd>{t("levelValue", { level: session.aal })}</dd>
              <dt className="font-medium text-gray-600">{t("expires")}</dt>
              <dd>{when(session.expires)}</dd>
            </dl>
          </section>
          <p>
            <Link href="/settings/security" className="text-blue-700 underline underline-offset-4">
              {t("securityLink")}
            </Link>
          </p>
          <form action={signOutAction}>
            <input type="hidden" name="locale" value={locale} />
            <Button type="submit" variant="secondary">
              {t("signOut")}
            </Button>
          </form>
        </Card>
      </div>
    </ClientMessages>
  );
}

type DeviceClass = "desktop" | "mobile" | "tablet" | "bot" | "unknown";

/** "mobile: Chrome · Android" → ["mobile", "Chrome · Android"] */
function splitDevice(stored: string): [DeviceClass, string | null] {
  const [kind, browser] = stored.split(": ");
  const known: DeviceClass[] = ["desktop", "mobile", "tablet", "bot"];
  const deviceClass = known.includes(kind as DeviceClass) ? (kind as DeviceClass) : "unknown";
  return [deviceClass, browser && browser !== "unknown" ? browser : null];
}
