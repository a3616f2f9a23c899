import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { RiskConfigurationError } from "./configuration-error";

/**
 * Networks an operator lists (RISK_BLOCKED_CIDRS, the anonymizer file),
 * parsed once into a matcher. Parsing is strict because a typo must stop the
 * start, not quietly block the wrong people or nobody: ipaddr.js alone would
 * read `010.0.0.0/8` as 8.0.0.0/8 (octal) and `10.1/8` as 10.0.0.1/8.
 */
export interface NetworkList {
  /** Whether a canonical IP (request-context's parseAddress) is in one of the networks; null never is. */
  matches(ip: string | null): boolean;
  /** How many entries were listed, for a start-up log line. */
  readonly size: number;
}

type Address = ipaddr.IPv4 | ipaddr.IPv6;
export type Network = { address: Address; prefixLength: number };
export type ParsedEntry = { ok: true; network: Network } | { ok: false; reason: string };
/** One listed entry and where it was written, for the error message ("entry 2", "line 14"). */
export type ListedEntry = { text: string; where: string };

const MAX_PREFIX = { ipv4: 32, ipv6: 128 } as const;

/** `203.0.113.0/24`, `2001:db8::/32`, or a bare address (one host: /32 or /128). */
export function parseNetworkEntry(entry: string): ParsedEntry {
  const [host, prefixText, extra] = entry.split("/");
  if (extra !== undefined) return { ok: false, reason: "more than one '/'" };
  // node's isIP refuses what ipaddr.js would guess at (leading zeros, `10.1`); a zone
  // (`fe80::1%eth0`) names an interface of this server, not a network.
  if (isIP(host) === 0 || host.includes("%")) return { ok: false, reason: "not an IPv4 or IPv6 address" };
  const address = ipaddr.parse(host);
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress()) {
    return { ok: false, reason: "an IPv4-mapped IPv6 address; write the IPv4 form (e.g. 192.0.2.0/24)" };
  }
  const max = MAX_PREFIX[address.kind()];
  if (prefixText === undefined) return { ok: true, network: { address, prefixLength: max } };
  if (!/^(0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > max) {
    return { ok: false, reason: `the prefix length must be a whole number from 0 to ${max}` };
  }
  const prefixLength = Number(prefixText);
  const network = networkAddressOf(address, prefixLength);
  // 203.0.113.7/24 is either a typo for one host or for the /24: make the operator say which.
  if (keyOf(network) !== keyOf(address)) {
    return { ok: false, reason: `host bits are set; did you mean ${network.toString()}/${prefixLength}?` };
  }
  return { ok: true, network: { address, prefixLength } };
}

/** Entries, or every problem found (all of them, so one restart fixes the list). */
export function compileNetworkList(
  entries: readonly ListedEntry[],
): { ok: true; list: NetworkList } | { ok: false; problems: string[] } {
  const networks: Network[] = [];
  const problems: string[] = [];
  for (const { text, where } of entries) {
    const parsed = parseNetworkEntry(text);
    if (parsed.ok) networks.push(parsed.network);
    else problems.push(`${where} "${text}": ${parsed.reason}`);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, list: networkListOf(networks) };
}

/** Splits `"203.0.113.0/24, 2001:db8::/32"` (commas and/or whitespace) into its entries. */
export function splitNetworkList(text: string): string[] {
  return text.split(/[\s,]+/).filter((entry) => entry !== "");
}

/** The problems of a comma-separated list, for the environment schema; empty when it is valid. */
export function networkListProblems(text: string): string[] {
  const compiled = compileNetworkList(listed(text));
  return compiled.ok ? [] : compiled.problems;
}

/** A comma-separated list as a matcher; throws RiskConfigurationError naming `source` and each bad entry. */
export function parseNetworkList(text: string, source: string): NetworkList {
  const compiled = compileNetworkList(listed(text));
  if (!compiled.ok) throw new RiskConfigurationError(`${source} is invalid:\n  ${compiled.problems.join("\n  ")}`);
  return compiled.list;
}

function listed(text: string): ListedEntry[] {
  return splitNetworkList(text).map((entry, index) => ({ text: entry, where: `entry ${index + 1}` }));
}

/**
 * Single hosts (most of an exit-node list) go in a set, looked up in O(1);
 * ranges are few and scanned.
 */
export function networkListOf(networks: readonly Network[]): NetworkList {
  const hosts = new Set<string>();
  const ranges: Network[] = [];
  for (const network of networks) {
    if (network.prefixLength === MAX_PREFIX[network.address.kind()]) hosts.add(keyOf(network.address));
    else ranges.push(network);
  }
  return {
    size: networks.length,
    matches(ip) {
      const address = ip === null ? null : readAddress(ip);
      if (!address) return false;
      if (hosts.has(keyOf(address))) return true;
      // ipaddr.js throws when the families differ; they simply never match.
      return ranges.some(
        (range) => range.address.kind() === address.kind() && address.match(range.address, range.prefixLength),
      );
    },
  };
}

function keyOf(address: Address): string {
  return address.toNormalizedString();
}

/** The address with every bit after the prefix cleared. */
function networkAddressOf(address: Address, prefixLength: number): Address {
  const bytes = address.toByteArray().map((byte, index) => {
    const kept = Math.min(Math.max(prefixLength - index * 8, 0), 8);
    return byte & (0xff << (8 - kept)) & 0xff;
  });
  return ipaddr.fromByteArray(bytes);
}

/** A request's address; `::ffff:1.2.3.4` counts as 1.2.3.4, so IPv4 entries match it. */
function readAddress(ip: string): Address | null {
  const withoutZone = ip.split("%")[0];
  if (isIP(withoutZone) === 0) return null;
  const address = ipaddr.parse(withoutZone);
  return address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress() ? address.toIPv4Address() : address;
}
