import { describe, expect, it } from "vitest";
import { UNKNOWN_IP_KEY, clientIp, ipLimitKeyOf, ipPrefixOf, parseAddress, requestContextFrom } from "./request-context";

/**
 * Reading the client's IP from X-Forwarded-For (issue 17 item 2). Every
 * per-IP rate limit counts under what this returns, so a forged or garbled
 * header must never yield "no key": it falls into one shared bucket.
 */

const headers = (values: Record<string, string>) => new Headers(values);

describe("parseAddress: the ways proxies write one entry", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7"],
    ["203.0.113.7:51234", "203.0.113.7"],
    ["2001:db8::1", "2001:db8::1"],
    ["2001:DB8::1", "2001:db8::1"],
    ["[2001:db8::1]:443", "2001:db8::1"],
    ["[2001:db8::1]", "2001:db8::1"],
    ["::ffff:203.0.113.7", "203.0.113.7"],
    ["::FFFF:203.0.113.7", "203.0.113.7"],
    ["::ffff:cb00:7107", "203.0.113.7"],
    ["[::ffff:203.0.113.7]:8080", "203.0.113.7"],
    ["fe80::1%eth0", "fe80::1"],
  ])("%s → %s", (entry, address) => {
    expect(parseAddress(entry)).toBe(address);
  });

  it.each([
    "unknown",
    "",
    "1.2.3",
    "1.2.3.4.5",
    "01.2.3.4",
    "256.1.1.1",
    "::ffff:garbage",
    "[203.0.113.7]",
    "[2001:db8::1",
    "203.0.113.7:",
    "203.0.113.7:port",
    "localhost",
    "_hidden",
    "2001:db8::1]:443",
  ])("%j cannot be read", (entry) => {
    expect(parseAddress(entry)).toBeNull();
  });
});

describe("clientIp: trusting only the proxies that are there", () => {
  it("with 0 or 1 hops takes the last entry, what Next.js or the one proxy wrote", () => {
    for (const hops of [0, 1]) {
      expect(clientIp("198.51.100.9", hops)).toBe("198.51.100.9");
      // The client's own entries, left of the proxy's, are ignored.
      expect(clientIp("10.0.0.1, 6.6.6.6, 198.51.100.9", hops)).toBe("198.51.100.9");
      expect(clientIp("unknown, 198.51.100.9:40000", hops)).toBe("198.51.100.9");
    }
  });

  it("with 2 hops takes the second from the right, whatever the client forged on the left", () => {
    expect(clientIp("198.51.100.9, 10.0.0.2", 2)).toBe("198.51.100.9");
    expect(clientIp("1.1.1.1, 2.2.2.2, 198.51.100.9, 10.0.0.2", 2)).toBe("198.51.100.9");
    expect(clientIp("[2001:db8::1], 198.51.100.9, 10.0.0.2", 2)).toBe("198.51.100.9");
    expect(clientIp("1.1.1.1, [2001:db8::7]:443, 10.0.0.2", 2)).toBe("2001:db8::7");
  });

  it("cannot read it when fewer entries came than proxies are trusted (the request went around them)", () => {
    expect(clientIp("6.6.6.6", 2)).toBeNull();
    expect(clientIp("6.6.6.6, 10.0.0.2", 3)).toBeNull();
  });

  it("cannot read a missing header, or an entry that is not an address where the client's should be", () => {
    expect(clientIp(null, 0)).toBeNull();
    expect(clientIp("", 0)).toBeNull();
    expect(clientIp("unknown", 0)).toBeNull();
    expect(clientIp("198.51.100.9, unknown", 1)).toBeNull();
    expect(clientIp("198.51.100.9, ", 0)).toBeNull();
    expect(clientIp("1.2.3", 0)).toBeNull();
    expect(clientIp("::ffff:garbage", 0)).toBeNull();
    // A forged good address on the left does not rescue a bad one in the trusted place.
    expect(clientIp("198.51.100.9, unknown, 10.0.0.2", 2)).toBeNull();
  });
});

describe("ipLimitKeyOf: what the per-IP limits count under", () => {
  it("keys IPv4 by address", () => {
    expect(ipLimitKeyOf("203.0.113.7")).toBe("203.0.113.7");
    expect(ipLimitKeyOf("203.0.113.8")).not.toBe(ipLimitKeyOf("203.0.113.7"));
  });

  it("keys IPv6 by its /64: one subscriber's addresses share a key, other networks do not", () => {
    const key = ipLimitKeyOf("2001:db8:1:2::1");
    expect(key).toBe("2001:db8:1:2::/64");
    expect(ipLimitKeyOf("2001:db8:1:2:ffff:eeee:dddd:cccc")).toBe(key);
    expect(ipLimitKeyOf("2001:0db8:0001:0002:0:0:0:9")).toBe(key);
    expect(ipLimitKeyOf("2001:db8:1:3::1")).not.toBe(key);
    expect(ipLimitKeyOf("2001:db8:2:2::1")).not.toBe(key);
    expect(ipLimitKeyOf("::1")).toBe("0:0:0:0::/64");
  });

  it("puts every unreadable IP in one shared bucket, never none", () => {
    expect(ipLimitKeyOf(null)).toBe(UNKNOWN_IP_KEY);
    expect(ipLimitKeyOf("garbage")).toBe(UNKNOWN_IP_KEY);
  });
});

describe("requestContextFrom", () => {

  it("gives a request with an unreadable X-Forwarded-For the shared key, not a null one", () => {
    for (const forwarded of ["unknown", "", "1.2.3", "::ffff:garbage", "not, an, address"]) {
      const context = requestContextFrom(headers({ "x-forwarded-for": forwarded }), { trustProxyHops: 0 });
      expect(context.ip, forwarded).toBeNull();
      expect(context.ipLimitKey, forwarded).toBe(UNKNOWN_IP_KEY);
      expect(context.ipPrefix, forwarded).toBeNull();
    }
    expect(requestContextFrom(headers({}), { trustProxyHops: 0 }).ipLimitKey).toBe(UNKNOWN_IP_KEY);
  });

  it("reads a proxy's ip:port and a dual-stack socket's mapped address", () => {
    const behindProxy = requestContextFrom(headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.7:51234" }), { trustProxyHops: 1 });
    expect(behindProxy).toMatchObject({ ip: "203.0.113.7", ipLimitKey: "203.0.113.7", networkLimitKey: "203.0.113.0/24", ipPrefix: "203.0.113.0/24" });
    const direct = requestContextFrom(headers({ "x-forwarded-for": "::ffff:203.0.113.7" }), { trustProxyHops: 0 });
    expect(direct).toMatchObject({ ip: "203.0.113.7", ipLimitKey: "203.0.113.7" });
    const ipv6 = requestContextFrom(headers({ "x-forwarded-for": "[2001:db8:1:2::99]:443" }), { trustProxyHops: 1 });
    expect(ipv6).toMatchObject({ ip: "2001:db8:1:2::99", ipLimitKey: "2001:db8:1:2::/64", networkLimitKey: "2001:db8:1:2::/64", ipPrefix: "2001:db8:1::/48" });
  });
});

describe("requestContextFrom: a trusted edge's country and position", () => {
  const edge = { "cf-ipcountry": "fr", "cf-iplatitude": "48.8566", "cf-iplongitude": "2.3522" };
  const named = { trustProxyHops: 1, countryHeader: "cf-ipcountry", latitudeHeader: "cf-iplatitude", longitudeHeader: "cf-iplongitude" };

  it("are read when the operator names the headers", () => {
    const context = requestContextFrom(headers(edge), named);
    expect(context).toMatchObject({ country: "FR", edgePosition: { latitude: 48.8566, longitude: 2.3522 } });
  });

  it("are not read unless named: anyone can send these headers to a server without that edge", () => {
    expect(requestContextFrom(headers(edge), { trustProxyHops: 1 })).toMatchObject({ country: null, edgePosition: null });
  });

  it.each([
    [{ "cf-ipcountry": "XX" }, null],
    [{ "cf-ipcountry": "T1" }, null],
    [{ "cf-ipcountry": "FRA" }, null],
  ])("an edge's word for unknown or Tor is no country: %j", (values, country) => {
    expect(requestContextFrom(headers(values), named).country).toBe(country);
  });

  it.each([
    ["48.8566", "east"],
    ["91", "0"],
    ["0", "0"],
    ["4.8e1", "2"],
    ["48.8566", ""],
  ])("a malformed position (%s, %s) is no position", (latitude, longitude) => {
    const values = { "cf-iplatitude": latitude, "cf-iplongitude": longitude };
    expect(requestContextFrom(headers(values), named).edgePosition).toBeNull();
  });
});

describe("ipPrefixOf: what the audit log keeps", () => {
  it("truncates IPv4 to its /24 and IPv6 to its /48, embedded IPv4 included", () => {
    expect(ipPrefixOf("203.0.113.7")).toBe("203.0.113.0/24");
    expect(ipPrefixOf("2001:db8:1:2::1")).toBe("2001:db8:1::/48");
    expect(ipPrefixOf("64:ff9b::203.0.113.7")).toBe("64:ff9b:0::/48");
    expect(ipPrefixOf("nonsense")).toBeNull();
  });
});
