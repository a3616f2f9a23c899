"use client";

import { useLocale, useTranslations } from "next-intl";
import { useActionState } from "react";
import { saveRecipientAction, type RecipientFormState } from "@/app/[locale]/(app)/recipients/actions";
import { useErrorText, type FieldOfError } from "@/components/auth/error-text";
import { useRetryWhen } from "@/components/product/retry-when";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SelectField } from "@/components/ui/select-field";
import { Link } from "@/lib/i18n/navigation";
import type { CountryOption } from "@/lib/product/countries";
import { RECIPIENTS_CREATED_PER_USER_PER_DAY } from "@/lib/product/limit-rules";

const initial: RecipientFormState = { status: "idle" };

export interface RecipientFormProps {
  /** Named in the page's language by Intl.DisplayNames, sorted by its collation. */
  countries: CountryOption[];
  /** Present when editing. */
  recipient?: { id: string; name: string; email: string; country: string };
  /** The address cannot change once files were sent to it (lib/product/recipients.ts). */
  emailLocked?: boolean;
}

/** Add or edit a recipient. Each problem is shown beside its field; what was typed stays. */
/** A saved address, or one in use, is about the email field. */
const RECIPIENT_FIELD_OF_ERROR: FieldOfError = { RECIPIENT_EXISTS: "email", RECIPIENT_IN_USE: "email" };

export function RecipientForm({ countries, recipient, emailLocked = false }: RecipientFormProps) {
  const t = useTranslations("recipients");
  const locale = useLocale();
  const errors = useErrorText(RECIPIENT_FIELD_OF_ERROR);
  const [state, save, saving] = useActionState(saveRecipientAction, initial);
  const values = state.values ?? recipient ?? { name: "", email: "", country: "" };
  const retryWhen = useRetryWhen();
  const formError =
    state.status === "error" && state.error === "RATE_LIMITED"
      ? t("createLimited", { max: RECIPIENTS_CREATED_PER_USER_PER_DAY, when: retryWhen(state.retryAfterSeconds) })
      : errors.formError(state);
  return (
    <form action={save} className="space-y-4" noValidate>
      {formError ? <FormMessage tone="error">{formError}</FormMessage> : null}
      <input type="hidden" name="locale" value={locale} />
      <input type="hidden" name="recipientId" value={recipient?.id ?? ""} />
      <Field
        id="recipient-name"
        name="name"
        label={t("nameLabel")}
        defaultValue={values.name}
        error={errors.fieldError(state, "name")}
        autoComplete="name"
        required
      />
      <Field
        id="recipient-email"
        name="email"
        type="email"
        label={t("emailLabel")}
        defaultValue={values.email}
        error={errors.fieldError(state, "email")}
        hint={emailLocked ? t("emailLockedHint") : undefined}
        readOnly={emailLocked}
        autoComplete="email"
        dir="ltr"
        required
      />
      <SelectField
        id="recipient-country"
        name="country"
        label={t("countryLabel")}
        placeholder={t("countryPlaceholder")}
        options={countries.map((country) => ({ value: country.code, label: country.name }))}
        defaultValue={values.country}
        error={errors.fieldError(state, "country")}
        autoComplete="country"
        required
      />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
        <Button type="submit" disabled={saving} className="sm:w-auto">
          {saving ? t("saving") : recipient ? t("saveChanges") : t("save")}
        </Button>
        {recipient ? (
          <Link href="/recipients" className="inline-flex min-h-11 items-center justify-center text-blue-700 underline">
            {t("cancel")}
          </Link>
        ) : null}
      </div>
    </form>
  );
}
