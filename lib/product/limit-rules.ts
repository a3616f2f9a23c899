/**
 * The numbers behind the product's rate limits (lib/product/product-limits.ts).
 * Plain constants with no server imports, so the forms can say them too.
 */

export const HOUR_SECONDS = 60 * 60;
export const DAY_SECONDS = 24 * HOUR_SECONDS;

/** Files one account may send in an hour, and in a day. */
export const SENDS_PER_SENDER_PER_HOUR = 20;
export const SENDS_PER_SENDER_PER_DAY = 100;
/** Emails about sent files one address may receive in a day, from all senders together. */
export const SENDS_PER_RECIPIENT_ADDRESS_PER_DAY = 10;
/** Recipients one account may save in a day (each is an address it can then email). */
export const RECIPIENTS_CREATED_PER_USER_PER_DAY = 50;
/** Upload requests one account may make in an hour (each may write 10 MB to disk). */
export const UPLOADS_PER_USER_PER_HOUR = 30;

