import { getTranslations, setRequestLocale } from "next-intl/server";
import { Card } from "@/components/ui/card";
import { passkeyUsedOnThisBrowser } from "@/lib/auth/core/cookies";
import { safeRedirectPath } from "@/lib/auth/core/safe-redirect";
import { clientIntl } from "@/lib/i18n/client-intl";
import { SIGN_IN_CLIENT_NAMESPACES } from "@/lib/i18n/client-messages";
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
  const tPasskey = await getTranslations("passkeySignIn");
  // Checked here and again by the command: only same-origin paths survive.
  const callbackUrl = safeRedirectPath(first(query.callbackUrl));
  // A hint cookie, not a credential: it only decides which option comes first.
  const passkeyFirst = await passkeyUsedOnThisBrowser();
  return (
    <Card title={t("title")}>
      {/* Strings translated here, so the page's client code needs no
          translation runtime until something goes wrong (docs/performance.md). */}
      <SignInForm
        locale={locale}
        callbackUrl={callbackUrl}
        defaultEmail={first(query.email)?.slice(0, 320) ?? ""}
        passkeyFirst={passkeyFirst}
        text={{
          intro: t("intro"),
          emailLabel: t("emailLabel"),
          emailHint: t("emailHint"),
          submit: t("submit"),
          submitting: t("submitting"),
          or: tPasskey("or"),
          passkey: {
            button: tPasskey("button"),
            working: tPasskey("working"),
            signingIn: tPasskey("signingIn"),
            hint: tPasskey("hint"),
          },
        }}
        intl={await clientIntl(SIGN_IN_CLIENT_NAMESPACES)}
      />
    </Card>
  );
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
