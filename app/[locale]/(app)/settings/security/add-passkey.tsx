"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { usePasskeyRegistration } from "@/components/auth/use-passkey-registration";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { useFactorChanged } from "./factor-changes";

/**
 * "Add a passkey", with an optional name. Asks for the proof the policy
 * wants first (a step-up with the account's strongest factor; for a first
 * one after an old sign-in, an emailed code), and after adding offers to
 * sign out every other session.
 */
export function AddPasskey() {
  const t = useTranslations("security");
  const router = useRouter();
  const [name, setName] = useState("");
  const factorChanged = useFactorChanged();
  const registration = usePasskeyRegistration((outcome) => {
    if (outcome !== "registered") return;
    setName("");
    factorChanged();
    // The list is rendered by the server: fetch it again with the new passkey.
    router.refresh();
  });

  return (
    <div className="space-y-4">
      <div aria-live="polite">
        {registration.error ? <FormMessage tone="error">{registration.error}</FormMessage> : null}
        {registration.registered ? <FormMessage tone="success">{t("added")}</FormMessage> : null}
      </div>
      {registration.asking ? (
        registration.dialog
      ) : (
        <form
          className="space-y-4"
          onSubmit={(event) => {
            // WebAuthn runs in this page, so the form never posts; Enter in the name field still adds.
            event.preventDefault();
            void registration.register(name);
          }}
        >
          <Field
            id="passkey-name"
            name="name"
            label={t("addNameLabel")}
            hint={t("addNameHint")}
            value={name}
            onChange={(event) => setName(event.target.value)}
            maxLength={64}
            autoComplete="off"
            // A name may be in any script: it takes the direction of its first letters.
            dir="auto"
          />
          <Button type="submit" disabled={registration.working}>
            {registration.working ? t("adding") : t("add")}
          </Button>
        </form>
      )}
    </div>
  );
}
