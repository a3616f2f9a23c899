import { isIP } from "node:net";
import { LRUCache } from "lru-cache";
import { UAParser } from "ua-parser-js";
import { countryCodeOf, positionFromHeaders } from "../risk/geo-record";
import type { GeoPosition } from "../risk/signals";

/**
 * What a ceremony may know about the request that started it, derived once
 * from the headers. Nothing here is trusted for a security decision except
 * through rate limits; it feeds the audit log and the "was this you?" lines
 * of an email.
 */
export interface RequestContext {
  /** The client's IP (see clientIp), null when it cannot be read. Never stored. */
  ip: string | null;
  /**
   * What every per-IP rate limit counts under, never null (ipLimitKeyOf): an
   * unreadable IP shares one bucket instead of escaping the limit.
   */
  ipLimitKey: string;
  /**
   * The client's network as a rate-limit key, never null
   * (networkLimitKeyOf): an IPv4 /24, an IPv6 /64, or the shared unknown bucket.
   */
  networkLimitKey: string;
  /** IPv4 /24 or IPv6 /48: what the audit log keeps. */
  ipPrefix: string | null;
  /** ISO 3166 country from a trusted edge header, when one is configured. */
  country: string | null;
  /** The client's position from a trusted edge's headers, when they are configured (LATITUDE_HEADER). */
  edgePosition: GeoPosition | null;
  /** "Firefox · Windows": shown in emails and session lists. */
  browserSummary: string;
  deviceClass: DeviceClass;
  /** The Origin header, checked against AUTH_URL for state changes. */
  origin: string | null;
  /** The Sec-Fetch-Site header, when the browser sends one. */
  fetchSite: string | null;
}

/** "desktop: Firefox · Windows": what a session row keeps about its browser, and what sign-ins are compared by. */
export function userAgentClassOf(request: Pick<RequestContext, "deviceClass" | "browserSummary">): string {
  return `${request.deviceClass}: ${request.browserSummary}`.slice(0, 120);
}

export type DeviceClass = "desktop" | "mobile" | "tablet" | "bot" | "unknown";

export interface ContextOptions {
  /** Reverse proxies in front of the app that append to X-Forwarded-For. */
  trustProxyHops: number;
  /** Lower-case name of a trusted header holding the client's country. */
  countryHeader?: string;
  /** Lower-case names of trusted headers holding the client's position (both or neither). */
  latitudeHeader?: string;
  longitudeHeader?: string;
}

interface HeaderSource {
  get(name: string): string | null;
}

export function requestContextFrom(headers: HeaderSource, options: ContextOptions): RequestContext {
  const ip = clientIp(headers.get("x-forwarded-for"), options.trustProxyHops);
  const userAgent = headers.get("user-agent") ?? "";
  // The edge's headers are read here and nowhere else; lib/auth/risk/geo.ts fills in what they leave out.
  const country = options.countryHeader ? countryCodeOf(headers.get(options.countryHeader)) : null;
  const edgePosition =
    options.latitudeHeader && options.longitudeHeader
      ? positionFromHeaders(headers.get(options.latitudeHeader), headers.get(options.longitudeHeader))
      : null;
  return {
    ip,
    ipLimitKey: ipLimitKeyOf(ip),
    networkLimitKey: networkLimitKeyOf(ip),
    ipPrefix: ip ? ipPrefixOf(ip) : null,
    country,
    edgePosition,
    ...describeUserAgent(userAgent),
    origin: headers.get("origin"),
    fetchSite: headers.get("sec-fetch-site"),
  };
}

/**
 * Each trusted proxy appends the address it saw, so with N of them the
 * client's address is the N-th entry from the right; entries left of it were
 * written by the client and prove nothing. With 0, the last entry is used:
 * Next.js writes the socket's address there itself, but only when the
 * client sent no X-Forwarded-For, so a server that anyone reaches directly
 * cannot know the client's IP (lib/server-start.ts warns in production).
 *
 * Null when it cannot be read: no header, fewer entries than trusted
 * proxies (the request did not come through them), or an entry that is not
 * an address ("unknown", "1.2.3", a name). Proxies' ways of writing one are
 * accepted: `1.2.3.4:5678`, `[2001:db8::1]:443`, `[2001:db8::1]`, and
 * IPv4-mapped IPv6 (`::ffff:1.2.3.4`, what a dual-stack socket reports),
 * which becomes the IPv4 address.
 */
export function clientIp(forwardedFor: string | null, trustProxyHops: number): string | null {
  if (!forwardedFor) return null;
  const entries = forwardedFor.split(",").map((entry) => entry.trim());
  const fromRight = Math.max(trustProxyHops, 1);
  if (entries.length < fromRight) return null;
  return parseAddress(entries[entries.length - fromRight]);
}

/** One X-Forwarded-For entry as a canonical address (lower-case IPv6, mapped IPv4 unwrapped), or null. */
export function parseAddress(entry: string): string | null {
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(entry);
  const ipv4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(entry);
  const candidate = bracketed?.[1] ?? ipv4WithPort?.[1] ?? entry;
  const version = isIP(candidate);
  // Brackets hold IPv6 only; IPv4 takes a port without them.
  if (version === 4 && !bracketed) return candidate;
  if (version !== 6) return null;
  // A zone (fe80::1%eth0) names the server's own interface, not the client.
  const address = candidate.split("%")[0].toLowerCase();
  const groups = ipv6Groups(address);
  const mappedIpv4 = groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff;
  return mappedIpv4 ? [groups[6] >> 8, groups[6] & 255, groups[7] >> 8, groups[7] & 255].join(".") : address;
}

/** Shared by every request whose IP cannot be read. */
export const UNKNOWN_IP_KEY = "unknown";

/**
 * The per-IP rate-limit key: an IPv4 address as it is; an IPv6 address's
 * /64, since one subscriber is usually given a whole /64 and could otherwise
 * take a fresh address, and a fresh limit, for every request; and one
 * shared bucket, with the normal limit, for an IP that cannot be read. That
 * bucket fails closed (ASVS 16.5.3): a forged or unparseable
 * X-Forwarded-For must not switch the per-IP limits off (issue 17 item 2).
 */
export function ipLimitKeyOf(ip: string | null): string {
  const version = ip ? isIP(ip) : 0;
  if (ip && version === 4) return ip;
  if (ip && version === 6) return `${hexGroups(ipv6Groups(ip).slice(0, 4))}::/64`;
  return UNKNOWN_IP_KEY;
}

/**
 * The network a request came from, as a rate-limit key: an IPv4 address's
 * /24, an IPv6 address's /64 (what one subscriber is usually given), and the
 * same shared bucket as ipLimitKeyOf when the address cannot be read.
 */
export function networkLimitKeyOf(ip: string | null): string {
  const version = ip ? isIP(ip) : 0;
  if (ip && version === 4) return `${ip.split(".").slice(0, 3).join(".")}.0/24`;
  return ipLimitKeyOf(ip);
}

/** Truncates an IP for storage: IPv4 to its /24, IPv6 to its /48. */
export function ipPrefixOf(ip: string): string | null {
  const version = isIP(ip);
  if (version === 4) {
    return `${ip.split(".").slice(0, 3).join(".")}.0/24`;
  }
  if (version === 6) {
    return `${hexGroups(ipv6Groups(ip).slice(0, 3))}::/48`;
  }
  return null;
}

/** A valid IPv6 address (isIP said so) as its eight 16-bit groups; a trailing dotted IPv4 counts as two. */
function ipv6Groups(ip: string): number[] {
  const parts = (text: string) =>
    text === ""
      ? []
      : text.split(":").flatMap((part) => {
          if (!part.includes(".")) return [parseInt(part, 16)];
          const [a, b, c, d] = part.split(".").map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head, tail] = ip.split("%")[0].split("::");
  const left = parts(head);
  const right = tail === undefined ? [] : parts(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function hexGroups(groups: number[]): string {
  return groups.map((group) => group.toString(16)).join(":");
}

type UserAgentFacts = { browserSummary: string; deviceClass: DeviceClass };

/**
 * A few hundred User-Agent strings make up almost all of any site's traffic,
 * and parsing one runs dozens of regular expressions; so answers are kept
 * (lru-cache, ISC). Overlong strings are neither parsed whole nor kept.
 */
const MAX_USER_AGENT_LENGTH = 512;
const parsedUserAgents = new LRUCache<string, UserAgentFacts>({ max: 1000 });

/** One parse of the User-Agent (ua-parser-js 1.x, MIT) for both facts a request needs. */
export function describeUserAgent(userAgent: string): UserAgentFacts {
  if (!userAgent) return { browserSummary: "unknown", deviceClass: "unknown" };
  const key = userAgent.slice(0, MAX_USER_AGENT_LENGTH);
  let facts = parsedUserAgents.get(key);
  if (!facts) {
    facts = parseUserAgent(key);
    parsedUserAgents.set(key, facts);
  }
  return facts;
}

function parseUserAgent(userAgent: string): UserAgentFacts {
  const parsed = new UAParser(userAgent).getResult();
  const browser = parsed.browser.name;
  const os = parsed.os.name;
  const browserSummary = browser && os ? `${browser} · ${os}` : (browser ?? os ?? "unknown");
  return { browserSummary, deviceClass: deviceClassOf(userAgent, parsed.device.type) };
}

function deviceClassOf(userAgent: string, deviceType: string | undefined): DeviceClass {
  if (/bot|crawler|spider|preview|scanner/i.test(userAgent)) return "bot";
  if (deviceType === "mobile" || deviceType === "wearable") return "mobile";
  if (deviceType === "tablet") return "tablet";
  return "desktop";
}
