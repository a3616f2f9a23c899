import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { Reader, type CityResponse } from "maxmind";
import { RiskConfigurationError, fileErrorReason } from "./configuration-error";
import {
  DEFAULT_COUNTRY_DB_PATH,
  type GeoLocation,
  UNKNOWN_LOCATION,
  locationFromRecord,
} from "./geo-record";

export { DEFAULT_COUNTRY_DB_PATH, type GeoLocation } from "./geo-record";

/**
 * Where a request comes from: what a trusted edge said (its headers, read
 * once by lib/auth/core/request-context.ts when the operator names them:
 * the edge saw the client), else offline MMDB databases. Nothing is
 * fetched over the network per request.
 */

export interface GeoLocatorOptions {
  /** An MMDB with countries. Default: DEFAULT_COUNTRY_DB_PATH. */
  countryDbPath?: string;
  /** An MMDB with positions (GeoLite2-City, DB-IP City Lite); its countries are used first. Default: none. */
  cityDbPath?: string;
}

export interface GeoLocator {
  /**
   * Country and position of a canonical IP (request-context's parseAddress),
   * each from `edge` when the edge gave it. Throws RiskConfigurationError
   * when a database it needs cannot be loaded.
   */
  locate(ip: string | null, edge?: GeoLocation): GeoLocation;
  /** Loads the databases now instead of at first use, so a server start can fail on a bad path. */
  load(): void;
}

/** The databases are read once, at first use (a few ms for 5 MB), and kept in memory. */
export function createGeoLocator(options: GeoLocatorOptions = {}): GeoLocator {
  const countryDb = lazyDatabase(options.countryDbPath ?? DEFAULT_COUNTRY_DB_PATH, "country");
  const cityDb = options.cityDbPath ? lazyDatabase(options.cityDbPath, "city") : null;

  return {
    load() {
      countryDb();
      cityDb?.();
    },
    locate(ip, fromHeaders = UNKNOWN_LOCATION) {
      // Each field from the edge when it sent one; a database only for what is still missing. The
      // edge's word counts even for a private address: the edge saw the client, the app only its proxy.
      const positionMissing = !fromHeaders.position && cityDb !== null;
      if (fromHeaders.country && !positionMissing) return fromHeaders;
      const address = publicAddress(ip);
      if (!address) return fromHeaders;
      const fromCity = cityDb ? lookUp(cityDb(), address) : UNKNOWN_LOCATION;
      const country = fromHeaders.country ?? fromCity.country ?? lookUp(countryDb(), address).country;
      return { country, position: fromHeaders.position ?? fromCity.position };
    },
  };
}

type Database = Reader<CityResponse>;

/**
 * A private, loopback, link-local or documentation address has no place in
 * any database; an IPv4-mapped one is looked up as IPv4, the only way the
 * databases hold it.
 */
function publicAddress(ip: string | null): string | null {
  if (!ip || isIP(ip) === 0) return null;
  let address = ipaddr.parse(ip);
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress()) address = address.toIPv4Address();
  return address.range() === "unicast" ? address.toString() : null;
}

function lookUp(database: Database, address: string): GeoLocation {
  // An IPv4-only database would walk an IPv6 address's bits as if they were IPv4.
  if (database.metadata.ipVersion === 4 && address.includes(":")) return UNKNOWN_LOCATION;
  // Typed as GeoLite2's by the library; read as unknown, since the shape depends on the file.
  const record: unknown = database.get(address);
  return locationFromRecord(record);
}

/** A database loaded at its first use and kept; a failure is kept too, so every request reports it. */
function lazyDatabase(path: string, kind: "country" | "city"): () => Database {
  let loaded: { database: Database } | { error: RiskConfigurationError } | undefined;
  return () => {
    loaded ??= openDatabase(path, kind);
    if ("error" in loaded) throw loaded.error;
    return loaded.database;
  };
}

const GZIP_MAGIC = [0x1f, 0x8b];

function openDatabase(path: string, kind: string): { database: Database } | { error: RiskConfigurationError } {
  const problem = (reason: string) => ({ error: new RiskConfigurationError(`The ${kind} database ${path} ${reason}`) });
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return problem(`cannot be read (${fileErrorReason(error)}).`);
  }
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) {
    return problem("is gzip-compressed: extract the .mmdb file from it first.");
  }
  try {
    // From a Buffer, not maxmind.open(): nothing watches the file; a new one is read at the next start.
    return { database: new Reader<CityResponse>(bytes) };
  } catch (error) {
    return problem(`is not a MaxMind DB (.mmdb) file (${error instanceof Error ? error.message : "unreadable"}).`);
  }
}
