import { useTranslations } from "next-intl";
import { FormMessage } from "@/components/ui/form-message";
import { reasonKey } from "./step-up-text";

/**
 * ACTION_DENIED, explained: what the policy saw and what to do next, never
 * a bare "forbidden". Each reason has its own sentence (`policy.reasons.<id>`).
 */
export function PolicyDenial({ reasons }: { reasons: readonly string[] }) {
  const t = useTranslations("policy");
  const keys = [...new Set((reasons.length > 0 ? reasons : ["other"]).map(reasonKey))];
  return (
    <FormMessage tone="error">
      <span className="block font-medium">{t("deniedTitle")}</span>
      {keys.map((key) => (
        <span key={key} className="mt-1 block">
          {t(`reasons.${key}`)}
        </span>
      ))}
    </FormMessage>
  );
}
