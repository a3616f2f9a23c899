import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { safeRedirectPath } from "@/lib/auth/core/safe-redirect";
import { DeviceCheck } from "./device-check";

export const metadata: Metadata = { robots: { index: false, follow: false } };

/**
 * Where a signed-in page sends a session bound to this device whose proof
 * fell due while no page was open to make it (a tab closed for a while):
 * the browser proves its key here, without a prompt, and goes back. A
 * browser without the key (a copied cookie) cannot, and is told to sign in.
 */
export default async function DeviceCheckPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<{ callbackUrl?: string | string[] }>;
}) {
  const { locale } = await params;
  setRequestLocale(locale);
  const { callbackUrl } = await searchParams;
  const next = safeRedirectPath(Array.isArray(callbackUrl) ? callbackUrl[0] : callbackUrl);
  const t = await getTranslations("deviceCheck");
  return (
    <Card title={t("title")}>
      <DeviceCheck
        next={next}
        signInHref={`/${locale}/sign-in?callbackUrl=${encodeURIComponent(next)}`}
        text={{ working: t("working"), failed: t("failed"), signIn: t("signIn") }}
      />
    </Card>
  );
}
