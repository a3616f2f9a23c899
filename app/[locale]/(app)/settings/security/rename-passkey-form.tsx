"use client";

import { useLocale, useTranslations } from "next-intl";
import { useActionState } from "react";
import { useErrorText } from "@/components/auth/error-text";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { idleFormState, type FormState } from "@/lib/auth/core/form-state";
import { renamePasskeyAction } from "./actions";
import type { PasskeyItem } from "./factor-list";

/** Must match MAX_PASSKEY_NAME_LENGTH in lib/auth/passkeys/passkey-rules.ts; the server trims to it either way. */
const NAME_MAX_LENGTH = 64;

/** The inline rename form: a plain form post, so it works the way every other form does. */
export function RenamePasskeyForm({
  passkey,
  onDone,
  onCancel,
}: {
  passkey: PasskeyItem;
  onDone: () => void;
  onCancel: () => void;
}) {
  const t = useTranslations("security");
  const locale = useLocale();
  const errors = useErrorText();
  const [state, rename, renaming] = useActionState(async (previous: FormState, form: FormData) => {
    const next = await renamePasskeyAction(previous, form);
    if (next.status === "done") onDone();
    return next;
  }, idleFormState);
  const formError = errors.formError(state);
  const fieldId = `passkey-name-${passkey.id}`;

  return (
    <form action={rename} className="space-y-3" noValidate>
      {formError ? <FormMessage tone="error">{formError}</FormMessage> : null}
      <input type="hidden" name="locale" value={locale} />
      <input type="hidden" name="id" value={passkey.id} />
      <Field
        id={fieldId}
        name="name"
        label={t("nameLabel")}
        defaultValue={passkey.name}
        error={errors.fieldError(state, "name")}
        maxLength={NAME_MAX_LENGTH}
        required
        autoComplete="off"
        // A name may be in any script: it takes the direction of its first letters.
        dir="auto"
        autoFocus
      />
      <div className="grid grid-cols-2 gap-2">
        <Button type="submit" disabled={renaming}>
          {renaming ? t("saving") : t("save")}
        </Button>
        <Button type="button" variant="secondary" onClick={onCancel}>
          {t("cancel")}
        </Button>
      </div>
    </form>
  );
}
