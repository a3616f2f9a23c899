"use client";

import { Field } from "@/components/ui/field";

/**
 * The 6-digit code field: one input (not six boxes), so paste, autofill from
 * the mail app (`one-time-code`) and screen readers all work as expected.
 */
export function OtpInput({
  label,
  hint,
  error,
  autoFocus,
  name = "code",
}: {
  label: string;
  hint: string;
  error?: string;
  /** For a step that appears in place of another, where typing the code is the only task. */
  autoFocus?: boolean;
  /** The field's name and id: "code" (the email's, an app's in a step-up), or "totpCode" beside an email code. */
  name?: string;
}) {
  return (
    <Field
      id={name}
      name={name}
      label={label}
      hint={hint}
      error={error}
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]{6}"
      maxLength={6}
      required
      dir="ltr"
      className="text-center text-2xl tracking-[0.5em]"
      autoFocus={autoFocus}
    />
  );
}
