import { isIP } from "node:net";
import { LRUCache } from "lru-cache";
import { UAParser } from "ua-parser-js";

/**
 * What a ceremony may know about the request that started it, derived once
 * from the headers. Nothing here is trusted for a security decision except
 * through rate limits; it feeds the audit log and the "was this you?" lines
 * of an email.
 */
export interface RequestContext {
  /** Full client IP, used only as a rate-limit key, never stored. */
  ip: string | null;
  /** IPv4 /24 or IPv6 /48: what the audit log keeps. */
  ipPrefix: string | null;
  /** ISO 3166 country from a trusted edge header, when one is configured. */
  country: string | null;
  /** "Firefox · Windows": shown in emails and session lists. */
  browserSummary: string;
  deviceClass: DeviceClass;
  /** The Origin header, checked against AUTH_URL for state changes. */
  origin: string | null;
  /** The Sec-Fetch-Site header, when the browser sends one. */
  fetchSite: string | null;
}

export type DeviceClass = "desktop" | "mobile" | "tablet" | "bot" | "unknown";

export interface ContextOptions {
  /** Reverse proxies in front of the app that append to X-Forwarded-For. */
  trustProxyHops: number;
  /** Lower-case name of a trusted header holding the client's country. */
  countryHeader?: string;
}

interface HeaderSource {
  get(name: string): string | null;
}

export function requestContextFrom(headers: HeaderSource, options: ContextOptions): RequestContext {
  const ip = clientIp(headers.get("x-forwarded-for"), options.trustProxyHops);
  const userAgent = headers.get("user-agent") ?? "";
  const country = options.countryHeader ? normalizeCountry(headers.get(options.countryHeader)) : null;
  return {
    ip,
    ipPrefix: ip ? ipPrefixOf(ip) : null,
    country,
    ...describeUserAgent(userAgent),
    origin: headers.get("origin"),
    fetchSite: headers.get("sec-fetch-site"),
  };
}

/**
 * Each trusted proxy appends the address it saw, so with N of them the
 * client's address is the N-th from the right; entries left of it were
 * written by the client and prove nothing. With no proxy, Next.js puts the
 * socket address there itself when the client sent no header.
 */
export function clientIp(forwardedFor: string | null, trustProxyHops: number): string | null {
  if (!forwardedFor) return null;
  const entries = forwardedFor.split(",").map((entry) => entry.trim()).filter(Boolean);
  const index = Math.max(entries.length - Math.max(trustProxyHops, 1), 0);
  const candidate = stripIpv4Mapping(entries[index] ?? "");
  return isIP(candidate) ? candidate : null;
}

function stripIpv4Mapping(ip: string): string {
  return ip.startsWith("::ffff:") && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

/** Truncates an IP for storage: IPv4 to its /24, IPv6 to its /48. */
export function ipPrefixOf(ip: string): string | null {
  const version = isIP(ip);
  if (version === 4) {
    return `${ip.split(".").slice(0, 3).join(".")}.0/24`;
  }
  if (version === 6) {
    return `${expandIpv6(ip).slice(0, 3).join(":")}::/48`;
  }
  return null;
}

function expandIpv6(ip: string): string[] {
  const [head, tail = ""] = ip.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const missing = ip.includes("::") ? 8 - left.length - right.length : 0;
  return [...left, ...Array<string>(missing).fill("0"), ...right].map((group) =>
    (parseInt(group, 16) || 0).toString(16),
  );
}

function normalizeCountry(value: string | null): string | null {
  const upper = value?.trim().toUpperCase() ?? "";
  // "XX" and "T1" are what edges send for unknown and Tor.
  return /^[A-Z]{2}$/.test(upper) && upper !== "XX" ? upper : null;
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
