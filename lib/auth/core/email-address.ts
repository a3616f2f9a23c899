import { domainToASCII } from "node:url";

/**
 * Strict parsing of the one email address a person types to sign in.
 *
 * The canonical form returned here is the only form used for lookup,
 * rate limiting and delivery, so two spellings of one mailbox can never
 * become two accounts, and a spelling that one component reads as another
 * domain (`"e@attacker.com"@victim.com`) never reaches the mail provider.
 *
 * Accepted: a dot-atom local part (RFC 5322 atext, plus Unicode letters and
 * digits for internationalised addresses, RFC 6531) and a domain of at least
 * two labels, IDN converted to its ASCII (punycode) form.
 * Refused: lists, display names, comments, quoted local parts, IP literals,
 * full-width or lookalike at-signs, control or invisible characters.
 */

export type EmailParseError =
  | "EMAIL_REQUIRED"
  | "EMAIL_TOO_LONG"
  | "EMAIL_INVALID";

export type EmailParseResult =
  | { ok: true; email: string }
  | { ok: false; error: EmailParseError };

/** RFC 5321 §4.5.3.1: 64 octets local part, 254 for the whole path. */
const MAX_LOCAL_OCTETS = 64;
const MAX_ADDRESS_OCTETS = 254;

// Characters that render like "@" but are not it; their presence means
// someone is trying to make the address read differently to a human.
const LOOKALIKE_AT = /[\uFF20\uFE6B\u0040\u24D0\u{1F130}]/u;
// Separators, brackets, quotes and comment syntax never occur in an address
// we accept: their presence means a list, a display name or a quoted part.
const STRUCTURAL = /[\s,;:<>()[\]"\\]/u;
// Control, format (zero-width, bidi overrides) and private-use characters.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/u;
const LOCAL_ATOM = /^[\p{L}\p{N}\p{M}!#$%&'*+/=?^_`{|}~-]+$/u;
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function parseEmailAddress(input: unknown): EmailParseResult {
  if (typeof input !== "string") return { ok: false, error: "EMAIL_INVALID" };
  // Surrounding whitespace is a paste artefact, not an attack; inner
  // whitespace is refused below.
  const trimmed = input.trim();
  if (trimmed === "") return { ok: false, error: "EMAIL_REQUIRED" };
  if (Buffer.byteLength(trimmed, "utf8") > MAX_ADDRESS_OCTETS) {
    return { ok: false, error: "EMAIL_TOO_LONG" };
  }
  if (STRUCTURAL.test(trimmed) || INVISIBLE.test(trimmed)) {
    return { ok: false, error: "EMAIL_INVALID" };
  }

  const at = trimmed.indexOf("@");
  if (at <= 0 || at !== trimmed.lastIndexOf("@")) {
    return { ok: false, error: "EMAIL_INVALID" };
  }
  const localPart = trimmed.slice(0, at).normalize("NFC");
  const domainPart = trimmed.slice(at + 1);

  // Any other at-sign lookalike anywhere is refused outright (the real one
  // was sliced out above, so what remains must not contain one).
  if (LOOKALIKE_AT.test(localPart) || LOOKALIKE_AT.test(domainPart)) {
    return { ok: false, error: "EMAIL_INVALID" };
  }

  if (!isDotAtom(localPart)) return { ok: false, error: "EMAIL_INVALID" };
  if (Buffer.byteLength(localPart, "utf8") > MAX_LOCAL_OCTETS) {
    return { ok: false, error: "EMAIL_TOO_LONG" };
  }

  const domain = canonicalDomain(domainPart);
  if (domain === null) return { ok: false, error: "EMAIL_INVALID" };

  // Local parts are case-sensitive in theory and case-insensitive at every
  // provider that matters; one account per mailbox wins.
  const email = `${localPart.toLowerCase()}@${domain}`;
  if (Buffer.byteLength(email, "utf8") > MAX_ADDRESS_OCTETS) {
    return { ok: false, error: "EMAIL_TOO_LONG" };
  }
  return { ok: true, email };
}

function isDotAtom(localPart: string): boolean {
  return localPart.split(".").every((atom) => LOCAL_ATOM.test(atom));
}

/** Lower-case ASCII (punycode) form of a DNS domain, or null. */
function canonicalDomain(input: string): string | null {
  if (input === "" || input.startsWith("[")) return null; // no IP literals
  // domainToASCII applies UTS #46 mapping (full-width letters, case) and
  // returns "" for anything that is not a valid domain name.
  const ascii = domainToASCII(input.normalize("NFC")).toLowerCase();
  if (ascii === "" || ascii.endsWith(".")) return null;
  const labels = ascii.split(".");
  if (labels.length < 2) return null;
  if (!labels.every((label) => DOMAIN_LABEL.test(label))) return null;
  // A top-level domain is never all digits: refuses dotted IPv4 addresses.
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return null;
  return ascii;
}

/** `alice@example.com` → `a•••@example.com`, for pages a link opens. */
export function maskEmailAddress(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "•••";
  const first = Array.from(email.slice(0, at))[0];
  return `${first}•••${email.slice(at)}`;
}
