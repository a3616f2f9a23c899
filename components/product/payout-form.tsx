"use client";

import { useLocale, useTranslations } from "next-intl";
import { useActionState } from "react";
import { savePayoutAction, type PayoutFormState } from "@/app/[locale]/(app)/payouts/actions";
import { useErrorText } from "@/components/auth/error-text";
import { PolicyDenial } from "@/components/auth/policy-denial";
import { useStepUp } from "@/components/auth/use-step-up";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SelectField } from "@/components/ui/select-field";
import type { CountryOption } from "@/lib/product/countries";

const initial: PayoutFormState = { status: "idle" };

/**
 * Change the payout details. Saving is `payout.change`: the policy wants a
 * trusted device and a confirmation minutes old (the passkey, or this
 * trusted device), so a save may open the step-up dialog; once confirmed,
 * the same submission is sent again with what was typed, and nothing is
 * lost. Without a device key it is refused, and the reason says why.
 */
export function PayoutForm({ countries, current }: { countries: CountryOption[]; current: { holderName: string; country: string } | null }) {
  const t = useTranslations("payouts");
  const locale = useLocale();
  const errors = useErrorText({ IBAN_INVALID: "iban", IBAN_COUNTRY_MISMATCH: "iban", HOLDER_NAME_INVALID: "holderName" });
  const { withStepUp, dialog } = useStepUp();
  const [state, save, saving] = useActionState(
    (previous: PayoutFormState, form: FormData) => withStepUp(() => savePayoutAction(previous, form)),
    initial,
  );
  const values = state.values ?? { holderName: current?.holderName ?? "", iban: "", country: current?.country ?? "" };
  const denied = state.status === "error" && state.error === "ACTION_DENIED";
  const formError = denied || state.stepUp ? undefined : errors.formError(state);

  return (
    <form action={save} className="space-y-4" noValidate>
      {state.status === "done" && state.saved ? (
        <FormMessage tone="success">{t("saved", { iban: state.saved.ibanMasked })}</FormMessage>
      ) : null}
      {denied ? <PolicyDenial reasons={state.deniedReasons ?? []} /> : null}
      {state.stepUp ? <FormMessage tone="error">{t("notConfirmed")}</FormMessage> : null}
      {formError ? <FormMessage tone="error">{formError}</FormMessage> : null}
      {dialog}
      <input type="hidden" name="locale" value={locale} />
      <Field
        id="payout-holder"
        name="holderName"
        label={t("holderLabel")}
        defaultValue={values.holderName}
        error={errors.fieldError(state, "holderName")}
        autoComplete="name"
        required
      />
      <Field
        id="payout-iban"
        name="iban"
        label={t("ibanLabel")}
        hint={t("ibanHint")}
        defaultValue={values.iban}
        error={errors.fieldError(state, "iban")}
        autoComplete="off"
        spellCheck={false}
        dir="ltr"
        required
      />
      <SelectField
        id="payout-country"
        name="country"
        label={t("countryLabel")}
        placeholder={t("countryPlaceholder")}
        options={countries.map((country) => ({ value: country.code, label: country.name }))}
        defaultValue={values.country}
        error={errors.fieldError(state, "country")}
        autoComplete="country"
        required
      />
      <Button type="submit" disabled={saving} className="sm:w-auto">
        {saving ? t("saving") : t("save")}
      </Button>
    </form>
  );
}
