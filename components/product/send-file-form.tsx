"use client";

import { useLocale, useTranslations } from "next-intl";
import { useActionState } from "react";
import { sendFileAction, type SendFileState } from "@/app/[locale]/(app)/files/actions";
import { useErrorText } from "@/components/auth/error-text";
import { useRetryWhen } from "@/components/product/retry-when";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SelectField } from "@/components/ui/select-field";
import { isolate } from "@/lib/i18n/isolate";
import { SENDS_PER_RECIPIENT_ADDRESS_PER_DAY, SENDS_PER_SENDER_PER_DAY, SENDS_PER_SENDER_PER_HOUR } from "@/lib/product/limit-rules";
import { MAX_SEND_NOTE_LENGTH } from "@/lib/product/send-note";

const initial: SendFileState = { status: "idle" };

export interface RecipientChoice {
  id: string;
  /** "Ada Admin (admin@trustladder.test)" */
  label: string;
}

/**
 * One file's "send to" picker, with an optional short note that the email
 * quotes as the sender's. Success leaves the page (`?done=sent`); failures
 * stay here, with what was chosen and typed.
 */
export function SendFileForm({ fileId, fileName, recipients }: { fileId: string; fileName: string; recipients: RecipientChoice[] }) {
  const t = useTranslations("files");
  const locale = useLocale();
  const errors = useErrorText();
  const [state, send, sending] = useActionState(sendFileAction, initial);
  const retryWhen = useRetryWhen();
  const formError =
    state.status === "error" && state.error === "RATE_LIMITED"
      ? t("sendLimited", {
          perHour: SENDS_PER_SENDER_PER_HOUR,
          perDay: SENDS_PER_SENDER_PER_DAY,
          perAddress: SENDS_PER_RECIPIENT_ADDRESS_PER_DAY,
          when: retryWhen(state.retryAfterSeconds),
        })
      : errors.formError(state);
  const fieldId = `send-${fileId}`;
  return (
    <form action={send} className="space-y-2" noValidate>
      {formError ? <FormMessage tone="error">{formError}</FormMessage> : null}
      <input type="hidden" name="locale" value={locale} />
      <input type="hidden" name="fileId" value={fileId} />
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <div className="sm:flex-1">
          <SelectField
            id={fieldId}
            name="recipientId"
            // Every file has this picker: the hidden part says which file it sends.
            label={
              <>
                {t("sendTo")}
                <span className="sr-only"> {isolate(fileName)}</span>
              </>
            }
            placeholder={t("choose")}
            options={recipients.map((recipient) => ({ value: recipient.id, label: recipient.label }))}
            defaultValue={state.recipientId ?? ""}
            error={errors.fieldError(state, "recipientId")}
            required
          />
        </div>
      </div>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <div className="sm:flex-1">
          <Field
            id={`${fieldId}-note`}
            name="note"
            label={t("noteLabel")}
            hint={t("noteHint", { max: MAX_SEND_NOTE_LENGTH })}
            // The server refuses longer notes (PRODUCT.FILE.SEND's schema); the browser stops typing at the same length.
            maxLength={MAX_SEND_NOTE_LENGTH}
            defaultValue={state.note ?? ""}
            error={errors.fieldError(state, "note")}
            autoComplete="off"
          />
        </div>
        <Button type="submit" variant="secondary" disabled={sending} className="sm:w-auto">
          {sending ? t("sending") : t("send")}
        </Button>
      </div>
    </form>
  );
}
