import { describe, expect, it } from "vitest";
import { IBAN_FORMATS, maskIban, normalizeIban, parseIban } from "./iban";

/** Published examples (the SWIFT IBAN Registry's and the banks' own), one per country. */
const VALID = [
  ["GB82 WEST 1234 5698 7654 32", "GB"],
  ["DE89 3704 0044 0532 0130 00", "DE"],
  ["FR14 2004 1010 0505 0001 3M02 606", "FR"],
  ["ES91 2100 0418 4502 0005 1332", "ES"],
  ["NL91 ABNA 0417 1643 00", "NL"],
  ["BE68 5390 0754 7034", "BE"],
  ["NO93 8601 1117 947", "NO"],
  ["CH93 0076 2011 6238 5295 7", "CH"],
  ["IT60 X054 2811 1010 0000 0123 456", "IT"],
  ["MT84 MALT 0110 0001 2345 MTLC AST0 01S", "MT"],
  ["SA03 8000 0000 6080 1016 7519", "SA"],
  ["AE07 0331 2345 6789 0123 456", "AE"],
] as const;

describe("IBANs", () => {
  it.each(VALID)("accepts %s", (printed, country) => {
    expect(parseIban(printed)).toEqual({ ok: true, iban: printed.replaceAll(" ", ""), country });
  });

  it("normalizes the printed form: spaces (also non-breaking), lower case, the IBAN label", () => {
    expect(normalizeIban(" gb82 west\u00A01234 5698\t7654 32 ")).toBe("GB82WEST12345698765432");
    expect(parseIban("gb82west12345698765432")).toMatchObject({ ok: true, iban: "GB82WEST12345698765432" });
    expect(parseIban("IBAN GB82 WEST 1234 5698 7654 32")).toMatchObject({ ok: true, iban: "GB82WEST12345698765432" });
  });

  it("refuses a wrong checksum: a changed digit, swapped digits, wrong check digits", () => {
    for (const wrong of [
      "GB82 WEST 1234 5698 7654 33",
      "GB82 WEST 1234 5698 7654 23",
      "GB83 WEST 1234 5698 7654 32",
      "DE00 3704 0044 0532 0130 00",
    ]) {
      expect(parseIban(wrong), wrong).toEqual({ ok: false, problem: "IBAN_CHECKSUM_INVALID" });
    }
  });

  it("refuses the wrong length for the country, even one that is right for another", () => {
    expect(parseIban("GB82 WEST 1234 5698 7654 3")).toEqual({ ok: false, problem: "IBAN_LENGTH_INVALID" });
    expect(parseIban("DE89 3704 0044 0532 0130 0000")).toEqual({ ok: false, problem: "IBAN_LENGTH_INVALID" });
    // Norway's 15 characters are Belgium's 16 minus one: the country's own length decides.
    expect(parseIban("BE93 8601 1117 947")).toEqual({ ok: false, problem: "IBAN_LENGTH_INVALID" });
  });

  it("refuses a country that issues no IBANs", () => {
    expect(parseIban("US12 3456 7890 1234 5678 90")).toEqual({ ok: false, problem: "IBAN_COUNTRY_UNSUPPORTED" });
    expect(parseIban("ZZ82 WEST 1234 5698 7654 32")).toEqual({ ok: false, problem: "IBAN_COUNTRY_UNSUPPORTED" });
  });

  it("refuses letters and symbols where they cannot be", () => {
    for (const misplaced of [
      "GBAB WEST 1234 5698 7654 32", // check digits must be digits
      "1282 WEST 1234 5698 7654 32", // the country must be letters
      "GB82-WEST-1234-5698-7654-32",
      "GB82 WEST 1234 5698 7654 3Ä",
    ]) {
      expect(parseIban(misplaced), misplaced).toEqual({ ok: false, problem: "IBAN_INVALID" });
    }
    // The letter O typed for a zero where Germany's BBAN has only digits; digits where the UK's bank code has letters.
    expect(parseIban("DE89 3704 0044 0532 0130 0O")).toEqual({ ok: false, problem: "IBAN_FORMAT_INVALID" });
    expect(parseIban("GB82 1234 1234 5698 7654 32")).toEqual({ ok: false, problem: "IBAN_FORMAT_INVALID" });
    expect(parseIban("  ")).toEqual({ ok: false, problem: "IBAN_REQUIRED" });
  });

  it("masks to country, check digits and the last four", () => {
    expect(maskIban("GB82WEST12345698765432")).toBe("GB82 •••• 5432");
    expect(maskIban("no93 8601 1117 947")).toBe("NO93 •••• 7947");
  });

  it("has, for every country, a BBAN structure that adds up to its length", () => {
    for (const [country, [length, structure]] of Object.entries(IBAN_FORMATS)) {
      const bban = [...structure.matchAll(/(\d+)[nac]/g)].reduce((sum, [, count]) => sum + Number(count), 0);
      expect(4 + bban, country).toBe(length);
    }
  });
});
