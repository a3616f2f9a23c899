import { registerErrorCodes } from "../auth/core/errors";

/**
 * The demo product's expected failures, registered with the auth core's
 * catalogue from here (lib/auth/core/errors.ts says how): the type checker learns
 * the codes from the augmentation below, `execute` and the file routes their
 * statuses from `registerErrorCodes`. Each has a message per locale
 * (`errors.<CODE>`), like the core's.
 */
export const PRODUCT_ERROR_STATUS = {
  FILE_TOO_LARGE: 413,
  /** The upload would take its owner past their storage quota (lib/product/file-rules.ts). */
  QUOTA_EXCEEDED: 413,
  FILE_TYPE_NOT_ALLOWED: 415,
  RECIPIENT_EXISTS: 409,
  RECIPIENT_IN_USE: 409,
  // Field errors of the payout details (lib/product/payout/payout.ts), inside VALIDATION_FAILED.
  IBAN_INVALID: 400,
  /** A valid IBAN of another country than the one chosen. */
  IBAN_COUNTRY_MISMATCH: 400,
  HOLDER_NAME_INVALID: 400,
} as const;

type ProductErrorCatalogue = typeof PRODUCT_ERROR_STATUS;

declare module "../auth/core/errors" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- augments the core's catalogue
  interface ErrorCatalogue extends ProductErrorCatalogue {}
}

registerErrorCodes(PRODUCT_ERROR_STATUS);

/** The product's codes are registered once this module is loaded: import this rather than lib/auth/core/errors' own. */
export { isErrorCode } from "../auth/core/errors";
