import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { RiskConfigurationError } from "./configuration-error";
import { DEFAULT_COUNTRY_DB_PATH, createGeoLocator, type GeoLocation } from "./geo";
import { countryCodeOf, positionFromHeaders } from "./geo-record";
import { tinyMmdb } from "./testing/tiny-mmdb";

const noHeaders: GeoLocation = { country: null, position: null };
/** What lib/auth/core/request-context.ts reads from an edge's headers (Cloudflare's names here). */
const headersOf = (values: Record<string, string>): GeoLocation => ({
  country: countryCodeOf(values["cf-ipcountry"] ?? null),
  position: positionFromHeaders(values["cf-iplatitude"] ?? null, values["cf-iplongitude"] ?? null),
});

const workDir = mkdtempSync(path.join(tmpdir(), "geo-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/**
 * A city database in GeoLite2's shape, with two networks: 81.2.69.0/24, which
 * MaxMind's own test databases place in London, and 8.8.8.0/24 as a country
 * centre. (Documentation ranges would not do: the locator never looks them up.)
 */
const cityDbPath = path.join(workDir, "tiny-city.mmdb");
writeFileSync(
  cityDbPath,
  tinyMmdb({
    "81.2.69.0/24": {
      country: { iso_code: "GB" },
      location: { latitude: 51.5074, longitude: -0.1278, accuracy_radius: 10 },
    },
    "8.8.8.0/24": { country: { iso_code: "US" }, location: { latitude: 37.751, longitude: -97.822, accuracy_radius: 1000 } },
  }),
);

const PARIS = { latitude: 48.8566, longitude: 2.3522 };
const LONDON = { latitude: 51.5074, longitude: -0.1278 };

describe("createGeoLocator with the shipped country database", () => {
  const locator = createGeoLocator();

  it.each([
    ["8.8.8.8", "US"],
    ["193.0.6.139", "NL"],
    ["2001:4860:4860::8888", "US"],
    ["::ffff:8.8.8.8", "US"],
  ])("%s → %s, without a position", (ip, country) => {
    expect(locator.locate(ip, noHeaders)).toEqual({ country, position: null });
  });

  it.each([null, "unknown", "10.0.0.1", "192.168.1.1", "127.0.0.1", "100.64.0.1", "::1", "fe80::1", "fc00::1", "203.0.113.9"])(
    "%s (unreadable, private or reserved) is unknown",
    (ip) => {
      expect(locator.locate(ip, noHeaders)).toEqual({ country: null, position: null });
    },
  );

  it("uses the default path relative to the working directory", () => {
    expect(DEFAULT_COUNTRY_DB_PATH).toMatch(/iptoasn-country\.mmdb$/);
    expect(() => locator.load()).not.toThrow();
  });
});

describe("createGeoLocator: what the edge said", () => {
  const locator = createGeoLocator();
  const edge = { "cf-ipcountry": "fr", "cf-iplatitude": "48.8566", "cf-iplongitude": "2.3522" };

  it("win over the database", () => {
    expect(locator.locate("8.8.8.8", headersOf(edge))).toEqual({ country: "FR", position: PARIS });
  });

  it("apply to an address the database cannot place: the edge saw the client", () => {
    expect(locator.locate("10.0.0.1", headersOf(edge))).toEqual({ country: "FR", position: PARIS });
  });

  it("malformed values are ignored and the database answers instead", () => {
    const garbled = { "cf-ipcountry": "XX", "cf-iplatitude": "48.8566", "cf-iplongitude": "east" };
    expect(locator.locate("8.8.8.8", headersOf(garbled))).toEqual({ country: "US", position: null });
    expect(locator.locate("8.8.8.8", headersOf({ "cf-ipcountry": "T1" }))).toEqual({ country: "US", position: null });
  });
});

describe("createGeoLocator with a city database", () => {
  it("takes country and position from it, and the country database where it has none", () => {
    const locator = createGeoLocator({ cityDbPath });
    expect(locator.locate("81.2.69.142", noHeaders)).toEqual({ country: "GB", position: LONDON });
    // Its record for 8.8.8.0/24 is a country centre (1,000 km radius): no position.
    expect(locator.locate("8.8.8.8", noHeaders)).toEqual({ country: "US", position: null });
    expect(locator.locate("193.0.6.139", noHeaders)).toEqual({ country: "NL", position: null });
    expect(locator.locate("2001:4860:4860::8888", noHeaders)).toEqual({ country: "US", position: null });
  });

  it("still fills a missing position when the edge only sends the country", () => {
    const locator = createGeoLocator({ cityDbPath });
    expect(locator.locate("81.2.69.142", headersOf({ "cf-ipcountry": "BE" }))).toEqual({ country: "BE", position: LONDON });
  });
});

describe("createGeoLocator: a database that cannot be used is a configuration error", () => {
  const notMmdb = path.join(workDir, "not.mmdb");
  writeFileSync(notMmdb, "hello, this is not a database");
  const gzipped = path.join(workDir, "city.mmdb.gz");
  writeFileSync(gzipped, gzipSync(tinyMmdb({ "81.2.69.0/24": { country_code: "GB" } })));
  const missing = path.join(workDir, "missing.mmdb");

  it.each([
    [{ countryDbPath: missing }, `The country database ${missing} cannot be read (ENOENT).`],
    [{ cityDbPath: workDir }, `The city database ${workDir} cannot be read (EISDIR).`],
    [{ countryDbPath: notMmdb }, `The country database ${notMmdb} is not a MaxMind DB (.mmdb) file`],
    [{ cityDbPath: gzipped }, `The city database ${gzipped} is gzip-compressed`],
  ])("%j", (options, message) => {
    const locator = createGeoLocator(options);
    expect(() => locator.load()).toThrow(RiskConfigurationError);
    expect(() => locator.locate("81.2.69.142", noHeaders)).toThrow(message);
  });

  it("at first use, not when the locator is created, and not for a lookup that does not need it", () => {
    const locator = createGeoLocator({ countryDbPath: missing });
    expect(locator.locate("10.0.0.1", noHeaders)).toEqual({ country: null, position: null });
    expect(locator.locate("8.8.8.8", headersOf({ "cf-ipcountry": "FR" }))).toEqual({ country: "FR", position: null });
    expect(() => locator.locate("8.8.8.8", noHeaders)).toThrow(RiskConfigurationError);
  });
});
