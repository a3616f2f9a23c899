import { readFileSync } from "node:fs";
import { IntlMessageFormat } from "intl-messageformat";
import { describe, expect, it } from "vitest";
import { errorCodes } from "../auth/core/errors";
// The product registers its own codes with the core; the messages must cover them too.
import { PRODUCT_ERROR_STATUS } from "../product/errors";
import { DEFAULT_LOCALE, LOCALES, type Locale } from "./locales";

/**
 * Guards the message catalogues: every locale has exactly English's keys,
 * every message is valid ICU with English's arguments, translations are not
 * English copies, and every error code can be shown.
 *
 * The files are read from disk (not imported) so a locale added to LOCALES
 * without its file fails here with a clear message.
 */

type Tree = { [key: string]: string | Tree };
type Element = ReturnType<IntlMessageFormat["getAst"]>[number];

/**
 * Strings that may legitimately stay identical to English. Keyed by path so
 * an entry never excuses anything else. Only strings longer than
 * COPY_MIN_LENGTH are checked at all, so short ones ("Trustladder",
 * "AAL{level}") need no entry.
 */
const SAME_AS_ENGLISH_ALLOWED: Partial<Record<Locale, readonly string[]>> = {};
const COPY_MIN_LENGTH = 12;

/** Plural arguments are checked against every whole number up to this. */
const PLURAL_CHECK_UP_TO = 1000;

function load(locale: Locale): Tree {
  const url = new URL(`./messages/${locale}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8")) as Tree;
}

const catalogues = Object.fromEntries(LOCALES.map((locale) => [locale, load(locale)])) as Record<Locale, Tree>;
const others = LOCALES.filter((locale) => locale !== DEFAULT_LOCALE);

/** "a.b.c" → leaf value; anything that is not a plain object is a leaf. */
function flatten(tree: Tree, prefix = ""): Map<string, unknown> {
  const leaves = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [leafPath, leaf] of flatten(value, path)) leaves.set(leafPath, leaf);
    } else {
      leaves.set(path, value);
    }
  }
  return leaves;
}

const flat = Object.fromEntries(LOCALES.map((locale) => [locale, flatten(catalogues[locale])])) as Record<
  Locale,
  Map<string, unknown>
>;
const englishPaths = [...flat[DEFAULT_LOCALE].keys()];

/** Argument names used anywhere in a message (including inside plural/select branches and tags). */
function argumentNames(elements: Element[], names = new Set<string>()): Set<string> {
  for (const element of elements) {
    if ("options" in element) {
      names.add(element.value);
      for (const option of Object.values(element.options)) argumentNames(option.value, names);
    } else if ("children" in element) {
      names.add(element.value);
      argumentNames(element.children, names);
    } else if (element.type !== 0 && element.type !== 7 && typeof element.value === "string") {
      // Every other element but literals (0) and `#` (7) names an argument.
      names.add(element.value);
    }
  }
  return names;
}

interface PluralArgument {
  name: string;
  ordinal: boolean;
  keys: string[];
}

function pluralArguments(elements: Element[], found: PluralArgument[] = []): PluralArgument[] {
  for (const element of elements) {
    if ("options" in element) {
      if ("pluralType" in element) {
        found.push({ name: element.value, ordinal: element.pluralType === "ordinal", keys: Object.keys(element.options) });
      }
      for (const option of Object.values(element.options)) pluralArguments(option.value, found);
    } else if ("children" in element) {
      pluralArguments(element.children, found);
    }
  }
  return found;
}

function parse(locale: Locale, path: string): IntlMessageFormat {
  const message = flat[locale].get(path);
  if (typeof message !== "string") throw new Error(`${locale}: ${path} is not a string`);
  try {
    return new IntlMessageFormat(message, locale);
  } catch (error) {
    throw new Error(`${locale}: ${path} is not valid ICU MessageFormat: ${(error as Error).message}`);
  }
}

describe("message catalogues", () => {
  it("English is a tree of strings", () => {
    const notStrings = englishPaths.filter((path) => typeof flat[DEFAULT_LOCALE].get(path) !== "string");
    expect(notStrings).toEqual([]);
    expect(englishPaths.length).toBeGreaterThan(0);
  });

  describe.each(others)("%s", (locale) => {
    it("has exactly the same keys as English", () => {
      const paths = new Set(flat[locale].keys());
      const missing = englishPaths.filter((path) => !paths.has(path));
      const extra = [...paths].filter((path) => !flat[DEFAULT_LOCALE].has(path));
      expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    });

    it("has only string messages", () => {
      const notStrings = [...flat[locale]].filter(([, value]) => typeof value !== "string").map(([path]) => path);
      expect(notStrings).toEqual([]);
    });

    it("translates every message longer than a few words", () => {
      const allowed = new Set(SAME_AS_ENGLISH_ALLOWED[locale] ?? []);
      const copies = englishPaths.filter((path) => {
        const source = flat[DEFAULT_LOCALE].get(path);
        return (
          typeof source === "string" &&
          source.length > COPY_MIN_LENGTH &&
          flat[locale].get(path) === source &&
          !allowed.has(path)
        );
      });
      expect(copies, "identical to English (translate, or allowlist with a reason)").toEqual([]);
    });
  });

  describe.each(LOCALES)("%s ICU", (locale) => {
    const shared = englishPaths.filter((path) => typeof flat[locale].get(path) === "string");

    it("parses every message as ICU MessageFormat", () => {
      const problems: string[] = [];
      for (const path of flat[locale].keys()) {
        try {
          parse(locale, path);
        } catch (error) {
          problems.push((error as Error).message);
        }
      }
      expect(problems).toEqual([]);
    });

    it("uses the same arguments as English in every message", () => {
      const mismatches: string[] = [];
      for (const path of shared) {
        let ours: string[];
        let theirs: string[];
        try {
          ours = [...argumentNames(parse(locale, path).getAst())].sort();
          theirs = [...argumentNames(parse(DEFAULT_LOCALE, path).getAst())].sort();
        } catch {
          continue; // Reported by the parse test.
        }
        if (ours.join() !== theirs.join()) {
          mismatches.push(`${path}: {${ours.join("}, {")}} but English has {${theirs.join("}, {")}}`);
        }
      }
      expect(mismatches).toEqual([]);
    });

    it("gives every plural a branch for each of the locale's plural forms, and no others", () => {
      const cardinal = new Intl.PluralRules(locale, { type: "cardinal" });
      const ordinal = new Intl.PluralRules(locale, { type: "ordinal" });
      const problems: string[] = [];
      for (const path of shared) {
        let plurals: PluralArgument[];
        try {
          plurals = pluralArguments(parse(locale, path).getAst());
        } catch {
          continue; // Reported by the parse test.
        }
        for (const { name, ordinal: isOrdinal, keys } of plurals) {
          const rules = isOrdinal ? ordinal : cardinal;
          const categories = new Set<string>(rules.resolvedOptions().pluralCategories);
          const unknown = keys.filter((key) => !key.startsWith("=") && !categories.has(key));
          if (unknown.length > 0) problems.push(`${path} {${name}}: ${unknown.join(", ")} not a ${locale} plural form`);
          const uncovered = new Set<string>();
          for (let n = 0; n <= PLURAL_CHECK_UP_TO; n++) {
            const category = rules.select(n);
            if (!keys.includes(`=${n}`) && !keys.includes(category)) uncovered.add(category);
          }
          if (uncovered.size > 0) problems.push(`${path} {${name}}: no branch for ${[...uncovered].join(", ")}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it("formats every message with sample values", () => {
      const problems: string[] = [];
      for (const path of shared) {
        try {
          const format = parse(locale, path);
          const plurals = new Set(pluralArguments(format.getAst()).map((plural) => plural.name));
          const values = Object.fromEntries(
            [...argumentNames(format.getAst())].map((name) => [name, plurals.has(name) ? 3 : `[${name}]`]),
          );
          const out = format.format(values);
          if (typeof out !== "string" || out.length === 0) problems.push(`${path}: formatted to nothing`);
        } catch (error) {
          problems.push(`${path}: ${(error as Error).message}`);
        }
      }
      expect(problems).toEqual([]);
    });

    it("has a message for every error code", () => {
      expect(errorCodes()).toEqual(expect.arrayContaining(Object.keys(PRODUCT_ERROR_STATUS)));
      const missing = errorCodes().filter((code) => typeof flat[locale].get(`errors.${code}`) !== "string");
      expect(missing).toEqual([]);
    });
  });
});
