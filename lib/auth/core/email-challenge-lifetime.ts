/**
 * How long an emailed sign-in link or code works. A module of its own, free
 * of server imports, because pages and client components state the lifetime
 * too ("expires in 10 minutes"): a fork that changes it here changes every
 * message that tells people about it, in every language.
 */

/** B4 §3.1.3.2 and ASVS 6.5.5: out-of-band secrets expire within 10 minutes. */
export const MAGIC_LINK_TTL_SECONDS = 10 * 60;

/** The lifetime as messages state it, their `{minutes}` argument (a plural). */
export const MAGIC_LINK_TTL_MINUTES = Math.ceil(MAGIC_LINK_TTL_SECONDS / 60);
