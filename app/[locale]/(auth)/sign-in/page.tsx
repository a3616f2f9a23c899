import { getTranslations, setRequestLocale } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { passkeyUsedOnThisBrowser } from "@/lib/auth/cookies";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { SignInForm } from "./sign-in-form";

export default async function SignInPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<{ callbackUrl?: string | string[]; email?: string | string[] }>;
}) {
  const { locale } = await params;
  setRequestLocale(locale);
  const query = await searchParams;
  const t = await getTranslations("signIn");
  // Checked here and again by the command: only same-origin paths survive.
  const callbackUrl = safeRedirectPath(first(query.callbackUrl));
  // A hint cookie, not a credential: it only decides which option comes first.
  const passkeyFirst = await passkeyUsedOnThisBrowser();
  return (
    <Card title={t("title")}>
      <SignInForm
        callbackUrl={callbackUrl}
        defaultEmail={first(query.email)?.slice(0, 320) ?? ""}
        passkeyFirst={passkeyFirst}
      />
    </Card>
  );
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
