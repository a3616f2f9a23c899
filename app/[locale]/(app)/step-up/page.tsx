import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { PolicyDenial } from "@/components/auth/policy-denial";
import { PageHeader } from "@/components/ui/page-header";
import { safeRedirectPath } from "@/lib/auth/core/safe-redirect";
import { pageDecision } from "@/lib/server/page-policy";
import { openSignedInPage } from "@/lib/server/require-session";
import { StepUpScreen } from "./step-up-screen";

/**
 * The step-up screen a protected page sends a person to
 * (lib/server/page-policy.ts): why, then the methods the policy accepts;
 * back where they were once it is done. `returnTo` is a same-site path
 * only (safe-redirect.ts): this page is not an open redirect.
 */
export default async function StepUpPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<{ action?: string; returnTo?: string }>;
}) {
  const query = await searchParams;
  const action = typeof query.action === "string" ? query.action.slice(0, 64) : "";
  const returnTo = safeRedirectPath(query.returnTo);
  const { locale } = await openSignedInPage((await params).locale, `/step-up?action=${encodeURIComponent(action)}`);
  const t = await getTranslations("stepUp");
  const decision = await pageDecision(action);
  if (decision?.kind === "allow") redirect(returnTo);

  return (
    <div className="mx-auto w-full max-w-md space-y-6">
      <PageHeader title={t("pageTitle")} intro={t("pageIntro")} />
      {decision?.kind === "step_up" ? (
        <StepUpScreen
          demand={{ action, methods: [...decision.methods], maxAgeSeconds: decision.maxAgeSeconds, reasons: [...decision.reasons] }}
          returnTo={returnTo}
          locale={locale}
        />
      ) : (
        <PolicyDenial reasons={decision ? [...decision.reasons] : ["other"]} />
      )}
    </div>
  );
}
