"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { StepUpPanel } from "@/components/auth/step-up-panel";
import type { StepUpDemand } from "@/lib/auth/core/form-state";

/** The step-up page's panel: back to where the person was once the grant is stored. */
export function StepUpScreen({ demand, returnTo, locale }: { demand: StepUpDemand; returnTo: string; locale: string }) {
  const router = useRouter();
  const t = useTranslations("stepUp");
  return (
    <StepUpPanel
      demand={demand}
      heading={t("chooseMethod")}
      // A full load: `returnTo` may be a download route, not a page the router can render.
      onConfirmed={() => window.location.assign(returnTo)}
      onCancel={() => router.replace(`/${locale}`)}
    />
  );
}
