/**
 * IBANs (ISO 13616-1): read what a person typed or pasted, check it the way
 * a bank would before money moves, and show it back without giving it away.
 *
 * An IBAN is a country code, two check digits and the country's BBAN (its
 * domestic account number). Three checks, cheapest first:
 * 1. the country is one that issues IBANs, and the IBAN has that country's
 *    exact length;
 * 2. the BBAN has the country's structure (digits where digits go: a letter
 *    typed for a zero is refused here, not left to the checksum's luck);
 * 3. ISO 7064 MOD 97-10 over the rearranged IBAN leaves 1 (ISO 13616-1 §6).
 * Nothing here calls out to a bank or a directory: a valid IBAN may still
 * name an account that does not exist.
 */

/**
 * Each IBAN country's total length and BBAN structure, from the SWIFT IBAN
 * Registry (swift.com/standards/data-standards/iban; SWIFT is the ISO 13616
 * registration authority), releases up to 2025. Only the registry's own
 * entries: the "experimental" IBANs some other countries publish are not
 * ISO 13616 IBANs, and a country registered later is refused
 * (IBAN_COUNTRY_UNSUPPORTED) until it is added here (iban.test.ts checks that
 * every structure adds up to its length, so a typo in either shows).
 *
 * Structure, in the registry's notation without the fixed-length marks:
 * `n` digits, `a` upper-case letters, `c` upper-case letters or digits;
 * `4a6n8n` is four letters, then six digits, then eight digits.
 *
 * SEPA countries (EPC409-09) are all here; so are the non-SEPA ones, since
 * a payout may go to any IBAN account.
 */
export const IBAN_FORMATS: Readonly<Record<string, readonly [length: number, bban: string]>> = {
  AD: [24, "4n4n12c"],
  AE: [23, "3n16n"],
  AL: [28, "8n16c"],
  AT: [20, "5n11n"],
  AZ: [28, "4a20c"],
  BA: [20, "3n3n8n2n"],
  BE: [16, "3n7n2n"],
  BG: [22, "4a4n2n8c"],
  BH: [22, "4a14c"],
  BI: [27, "5n5n11n2n"],
  BR: [29, "8n5n10n1a1c"],
  BY: [28, "4c4n16c"],
  CH: [21, "5n12c"],
  CR: [22, "4n14n"],
  CY: [28, "3n5n16c"],
  CZ: [24, "4n6n10n"],
  DE: [22, "8n10n"],
  DJ: [27, "5n5n11n2n"],
  DK: [18, "4n9n1n"],
  DO: [28, "4c20n"],
  EE: [20, "2n2n11n1n"],
  EG: [29, "4n4n17n"],
  ES: [24, "4n4n1n1n10n"],
  FI: [18, "3n11n"],
  FK: [18, "2a12n"],
  FO: [18, "4n9n1n"],
  FR: [27, "5n5n11c2n"],
  GB: [22, "4a6n8n"],
  GE: [22, "2a16n"],
  GI: [23, "4a15c"],
  GL: [18, "4n9n1n"],
  GR: [27, "3n4n16c"],
  GT: [28, "4c20c"],
  HN: [28, "4a20n"],
  HR: [21, "7n10n"],
  HU: [28, "3n4n1n15n1n"],
  IE: [22, "4a6n8n"],
  IL: [23, "3n3n13n"],
  IQ: [23, "4a3n12n"],
  IS: [26, "4n2n6n10n"],
  IT: [27, "1a5n5n12c"],
  JO: [30, "4a4n18c"],
  KW: [30, "4a22c"],
  KZ: [20, "3n13c"],
  LB: [28, "4n20c"],
  LC: [32, "4a24c"],
  LI: [21, "5n12c"],
  LT: [20, "5n11n"],
  LU: [20, "3n13c"],
  LV: [21, "4a13c"],
  LY: [25, "3n3n15n"],
  MC: [27, "5n5n11c2n"],
  MD: [24, "2c18c"],
  ME: [22, "3n13n2n"],
  MK: [19, "3n10c2n"],
  MN: [20, "4n12n"],
  MR: [27, "5n5n11n2n"],
  MT: [31, "4a5n18c"],
  MU: [30, "4a2n2n12n3n3a"],
  NI: [28, "4a20n"],
  NL: [18, "4a10n"],
  NO: [15, "4n6n1n"],
  OM: [23, "3n16c"],
  PK: [24, "4a16c"],
  PL: [28, "8n16n"],
  PS: [29, "4a21c"],
  PT: [25, "4n4n11n2n"],
  QA: [29, "4a21c"],
  RO: [24, "4a16c"],
  RS: [22, "3n13n2n"],
  RU: [33, "9n5n15c"],
  SA: [24, "2n18c"],
  SC: [31, "4a2n2n16n3a"],
  SD: [18, "2n12n"],
  SE: [24, "3n16n1n"],
  SI: [19, "5n8n2n"],
  SK: [24, "4n6n10n"],
  SM: [27, "1a5n5n12c"],
  SO: [23, "4n3n12n"],
  ST: [25, "4n4n11n2n"],
  SV: [28, "4a20n"],
  TL: [23, "3n14n2n"],
  TN: [24, "2n3n13n2n"],
  TR: [26, "5n1n16c"],
  UA: [29, "6n19c"],
  VA: [22, "3n15n"],
  VG: [24, "4a16n"],
  // Kosovo: in the registry under XK, a code ISO 3166-1 has not assigned.
  XK: [20, "4n10n2n"],
};

/**
 * Why a text is not an IBAN we accept, one per thing the person can fix.
 * The payout form answers each as IBAN_INVALID beside the field
 * (lib/product/payout/payout.ts); these say which check failed, for tests and logs.
 */
export type IbanProblem =
  | "IBAN_REQUIRED"
  /** Not even shaped like one: characters other than letters and digits, or far too short. */
  | "IBAN_INVALID"
  | "IBAN_COUNTRY_UNSUPPORTED"
  | "IBAN_LENGTH_INVALID"
  /** Letters where the country's BBAN has digits, or the other way round. */
  | "IBAN_FORMAT_INVALID"
  | "IBAN_CHECKSUM_INVALID";

export type ParsedIban = { ok: true; iban: string; country: string } | { ok: false; problem: IbanProblem };

/** The longest IBAN any country may issue (ISO 13616-1 §5.1). */
export const MAX_IBAN_LENGTH = 34;

/**
 * The electronic format: no spaces (people paste the paper format, in groups
 * of four, or with non-breaking spaces), upper case, and without the
 * `IBAN` label the paper format may start with (no country's code is "IB").
 */
export function normalizeIban(raw: string): string {
  return raw
    .replace(/\s+/g, "")
    .toUpperCase()
    .replace(/^IBAN:?(?=[A-Z]{2})/, "");
}

/** Checks `raw` as typed; the IBAN comes back normalized, with its country. */
export function parseIban(raw: string): ParsedIban {
  const iban = normalizeIban(raw);
  if (iban === "") return invalid("IBAN_REQUIRED");
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]+$/.test(iban) || iban.length > MAX_IBAN_LENGTH) return invalid("IBAN_INVALID");
  const country = iban.slice(0, 2);
  const format = Object.hasOwn(IBAN_FORMATS, country) ? IBAN_FORMATS[country] : undefined;
  if (!format) return invalid("IBAN_COUNTRY_UNSUPPORTED");
  const [length, structure] = format;
  if (iban.length !== length) return invalid("IBAN_LENGTH_INVALID");
  if (!bbanPattern(structure).test(iban.slice(4))) return invalid("IBAN_FORMAT_INVALID");
  if (!checksumHolds(iban)) return invalid("IBAN_CHECKSUM_INVALID");
  return { ok: true, iban, country };
}

/**
 * What a page or an email shows of a saved IBAN: its country and check
 * digits, then only the last four characters (`DE89 •••• 3000`). Enough
 * for the owner to recognise their account, too little to use it.
 */
export function maskIban(iban: string): string {
  const normalized = normalizeIban(iban);
  return `${normalized.slice(0, 4)} •••• ${normalized.slice(-4)}`;
}

/**
 * ISO 7064 MOD 97-10 as ISO 13616-1 applies it: move the first four
 * characters to the end, read letters as numbers (A = 10 ... Z = 35) and
 * the whole as one decimal number, which must leave 1 when divided by 97.
 * Check digits 00, 01 and 99 are never issued (the computation gives
 * 02–98), so they are refused even if the remainder works out.
 */
function checksumHolds(iban: string): boolean {
  const checkDigits = Number(iban.slice(2, 4));
  if (checkDigits < 2 || checkDigits > 98) return false;
  return mod97(`${iban.slice(4)}${iban.slice(0, 4)}`) === 1;
}

/** The remainder digit by digit, so no number ever exceeds 97 × 100 (no BigInt needed). */
function mod97(text: string): number {
  let remainder = 0;
  for (const char of text) {
    const code = char.charCodeAt(0);
    remainder = code <= 57 ? (remainder * 10 + (code - 48)) % 97 : (remainder * 100 + (code - 55)) % 97;
  }
  return remainder;
}

const patterns = new Map<string, RegExp>();

/** `4a6n8n` → /^[A-Z]{4}[0-9]{6}[0-9]{8}$/, built once per structure. */
function bbanPattern(structure: string): RegExp {
  let pattern = patterns.get(structure);
  if (!pattern) {
    const classes: Record<string, string> = { n: "[0-9]", a: "[A-Z]", c: "[A-Z0-9]" };
    const body = [...structure.matchAll(/(\d+)([nac])/g)].map(([, count, kind]) => `${classes[kind]}{${count}}`).join("");
    pattern = new RegExp(`^${body}$`);
    patterns.set(structure, pattern);
  }
  return pattern;
}

function invalid(problem: IbanProblem): ParsedIban {
  return { ok: false, problem };
}
