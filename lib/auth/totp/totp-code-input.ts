/**
 * A code as a person types or pastes it: authenticator apps show "123 456",
 * and a paste may bring a space or a line break along. Whitespace anywhere
 * is dropped; what is left must be exactly six ASCII digits (full-width or
 * Arabic-Indic digits are refused, not converted: the comparison is of
 * ASCII bytes, totp-code.ts).
 */
const CODE_PATTERN = /^[0-9]{6}$/;

/** The six digits of `input`, or null when it is not a 6-digit code once whitespace is removed. */
export function normalizeTotpCode(input: string): string | null {
  if (typeof input !== "string") return null;
  const code = input.replace(/\s/g, "");
  return CODE_PATTERN.test(code) ? code : null;
}
