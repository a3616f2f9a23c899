import { describe, expect, it } from "vitest";
import { RiskConfigurationError } from "./configuration-error";
import { networkListProblems, parseNetworkEntry, parseNetworkList, splitNetworkList } from "./network-list";

/** Documentation ranges only (RFC 5737, RFC 3849), so no test names a real network. */

describe("parseNetworkList: matching", () => {
  it("matches IPv4 inside a range, up to both boundaries, and nothing outside", () => {
    const list = parseNetworkList("203.0.113.0/24", "TEST");
    for (const ip of ["203.0.113.0", "203.0.113.1", "203.0.113.255"]) expect(list.matches(ip)).toBe(true);
    for (const ip of ["203.0.112.255", "203.0.114.0", "198.51.100.1"]) expect(list.matches(ip)).toBe(false);
  });

  it("matches IPv6 inside a range, up to both boundaries, and nothing outside", () => {
    const list = parseNetworkList("2001:db8::/32", "TEST");
    for (const ip of ["2001:db8::", "2001:db8::1", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"]) {
      expect(list.matches(ip)).toBe(true);
    }
    for (const ip of ["2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::", "2001:4860::1"]) {
      expect(list.matches(ip)).toBe(false);
    }
  });

  it("treats /32 and /128 as one host, and a bare address the same way", () => {
    const list = parseNetworkList("192.0.2.7/32, 2001:db8::7/128, 192.0.2.9, 2001:db8::9", "TEST");
    expect(["192.0.2.7", "2001:db8::7", "192.0.2.9", "2001:db8::9"].map((ip) => list.matches(ip))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(["192.0.2.8", "2001:db8::8", "2001:db8::7:0"].some((ip) => list.matches(ip))).toBe(false);
    // The same host written another way is still that host.
    expect(list.matches("2001:0db8:0000:0000:0000:0000:0000:0007")).toBe(true);
  });

  it("/0 covers its own family only", () => {
    const ipv4 = parseNetworkList("0.0.0.0/0", "TEST");
    expect(ipv4.matches("198.51.100.1")).toBe(true);
    expect(ipv4.matches("2001:db8::1")).toBe(false);
    const ipv6 = parseNetworkList("::/0", "TEST");
    expect(ipv6.matches("2001:db8::1")).toBe(true);
    expect(ipv6.matches("198.51.100.1")).toBe(false);
  });

  it("never matches one family against the other, even where the bits coincide", () => {
    // 203.0.113.0 is cb00:7100; an IPv6 range starting with those bits holds no IPv4 address.
    expect(parseNetworkList("cb00:7100::/24", "TEST").matches("203.0.113.1")).toBe(false);
    expect(parseNetworkList("203.0.113.0/24", "TEST").matches("cb00:7100::1")).toBe(false);
  });

  it("reads an IPv4-mapped IPv6 address as its IPv4 address", () => {
    const list = parseNetworkList("203.0.113.0/24", "TEST");
    expect(list.matches("::ffff:203.0.113.9")).toBe(true);
    expect(list.matches("::ffff:cb00:7109")).toBe(true);
    expect(list.matches("::ffff:198.51.100.9")).toBe(false);
  });

  it("an unreadable address never matches, not even /0", () => {
    const list = parseNetworkList("0.0.0.0/0, ::/0", "TEST");
    for (const ip of [null, "", "unknown", "1.2.3", "010.0.0.1", "256.0.0.1", "2001:db8::g"]) {
      expect(list.matches(ip)).toBe(false);
    }
  });

  it("an empty list matches nothing", () => {
    for (const text of ["", "  ", " , ,"]) {
      const list = parseNetworkList(text, "TEST");
      expect(list.size).toBe(0);
      expect(list.matches("203.0.113.1")).toBe(false);
    }
  });

  it("splits on commas and whitespace", () => {
    expect(splitNetworkList(" 203.0.113.0/24,2001:db8::/32 \n 192.0.2.1 ")).toEqual([
      "203.0.113.0/24",
      "2001:db8::/32",
      "192.0.2.1",
    ]);
  });
});

describe("parseNetworkList: a malformed entry stops the start", () => {
  it.each([
    ["203.0.113.0/33", "prefix length"],
    ["2001:db8::/129", "prefix length"],
    ["203.0.113.0/", "prefix length"],
    ["203.0.113.0/024", "prefix length"],
    ["203.0.113.0/-1", "prefix length"],
    ["203.0.113.0/24/8", "more than one"],
    ["203.0.113/24", "not an IPv4 or IPv6 address"],
    ["010.0.0.0/8", "not an IPv4 or IPv6 address"],
    ["0x0a.0.0.0/8", "not an IPv4 or IPv6 address"],
    ["example.com", "not an IPv4 or IPv6 address"],
    ["fe80::/10%eth0", "prefix length"],
    ["fe80::1%eth0", "not an IPv4 or IPv6 address"],
    ["203.0.113.7/24", "did you mean 203.0.113.0/24?"],
    ["2001:db8::1/32", "did you mean 2001:db8::/32?"],
    ["::ffff:203.0.113.0/120", "IPv4-mapped"],
  ])("%s: %s", (entry, reason) => {
    expect(parseNetworkEntry(entry)).toMatchObject({ ok: false, reason: expect.stringContaining(reason) });
  });

  it("throws one readable error naming the setting and every bad entry", () => {
    const attempt = () => parseNetworkList("203.0.113.0/24, 10.0.0.0/33, 2001:db8::/32, nonsense", "RISK_BLOCKED_CIDRS");
    expect(attempt).toThrow(RiskConfigurationError);
    expect(attempt).toThrow(/^RISK_BLOCKED_CIDRS is invalid:\n {2}entry 2 "10\.0\.0\.0\/33": .+\n {2}entry 4 "nonsense": /);
  });

  it("networkListProblems gives the same problems as values, for the environment schema", () => {
    expect(networkListProblems("203.0.113.0/24, 2001:db8::/32")).toEqual([]);
    expect(networkListProblems("203.0.113.1/24")).toEqual([
      'entry 1 "203.0.113.1/24": host bits are set; did you mean 203.0.113.0/24?',
    ]);
  });
});
