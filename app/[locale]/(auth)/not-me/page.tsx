import type { Metadata } from "next";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { ClientMessages } from "@/lib/i18n/client-messages-provider";
import { NotMeForm, type NotMeText } from "./not-me-form";

/** The token is a capability: no index, no referrer to the next page. */
export const metadata: Metadata = { robots: { index: false, follow: false }, referrer: "no-referrer" };

/**
 * Where the new-sign-in email's "This wasn't me" leads: it asks before it
 * ends anything (a mail scanner that opens the link ends nothing), then
 * ends the session the email was about (lib/auth/core/session-disowning.ts)
 * and says what to do next. Nobody needs to be signed in to use it.
 */
export default async function NotMePage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<{ token?: string | string[] }>;
}) {
  const { locale } = await params;
  setRequestLocale(locale);
  const { token } = await searchParams;
  const t = await getTranslations("notMe");
  const keys = ["confirm", "working", "ended", "alreadyEnded", "invalid", "expired", "nextTitle", "nextEmail", "nextReview", "signIn"] as const;
  const text = Object.fromEntries(keys.map((key) => [key, t(key)])) as NotMeText;
  return (
    <Card title={t("title")}>
      <p className="text-gray-700">{t("intro")}</p>
      {/* The form's own sentences come translated from here; only a refusal's general text is looked up in the browser. */}
      <ClientMessages namespaces={["errors"]}>
        <NotMeForm token={(Array.isArray(token) ? token[0] : token) ?? ""} signInHref={`/${locale}/sign-in`} text={text} />
      </ClientMessages>
    </Card>
  );
}
