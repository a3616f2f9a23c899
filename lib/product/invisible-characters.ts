/**
 * Characters that change how text displays without showing themselves:
 * controls (NUL, line breaks, escapes), bidi overrides and isolates
 * (`invoice\u202Etxt.exe` displays as "invoiceexe.txt"), zero-width spaces,
 * private-use and lone surrogates, line and paragraph separators.
 *
 * Kept: ZWNJ and ZWJ (U+200C, U+200D). Persian, Hindi and other scripts
 * need them to spell words, and emoji sequences (👩‍👩‍👧) are built with them.
 */
const PATTERN = String.raw`[\p{Cc}\p{Co}\p{Cs}\p{Zl}\p{Zp}]|(?![\u200C\u200D])\p{Cf}`;

export function stripInvisibleCharacters(text: string): string {
  return text.replace(new RegExp(PATTERN, "gu"), "");
}

export function hasInvisibleCharacters(text: string): boolean {
  return new RegExp(PATTERN, "u").test(text);
}
