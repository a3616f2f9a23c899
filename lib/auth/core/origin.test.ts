import { describe, expect, it } from "vitest";
import { originAllowed } from "./origin";

const BASE = "https://app.example.com";

describe("originAllowed", () => {
  it.each([
    // [origin, Sec-Fetch-Site, rides on cookies, allowed]
    ["https://app.example.com", "same-origin", true, true],
    ["https://app.example.com", null, true, true],
    ["https://evil.example", "cross-site", true, false],
    ["https://evil.example", null, true, false],
    ["https://app.example.com.evil.test", "same-origin", true, false],
    ["http://app.example.com", "same-origin", true, false],
    ["https://app.example.com", "same-site", true, false],
    ["https://app.example.com", "cross-site", true, false],
    // A form navigation from a no-referrer page: the browser vouches with Fetch Metadata.
    ["null", "same-origin", true, true],
    ["null", null, true, false],
    ["null", "none", true, false],
    ["null", "cross-site", true, false],
    ["null", "same-origin", false, true],
    // No Origin at all: a client that sends no cookies (curl, an app) passes,
    [null, null, true, false],
    [null, null, false, true],
    // and so does our own page's GET, which browsers send without Origin but vouch for.
    [null, "same-origin", true, true],
    [null, "none", true, false],
    [null, "same-site", true, false],
    [null, "cross-site", true, false],
  ] as const)("Origin %s, Sec-Fetch-Site %s, cookies %s → %s", (origin, fetchSite, ridesOnCookies, allowed) => {
    expect(originAllowed(BASE, { origin, fetchSite }, ridesOnCookies)).toBe(allowed);
  });

  it("compares with the base URL it is given each time, not the first one it saw", () => {
    const request = { origin: "https://other.example.com", fetchSite: "same-origin" } as const;
    expect(originAllowed(BASE, request, true)).toBe(false);
    expect(originAllowed("https://other.example.com", request, true)).toBe(true);
    expect(originAllowed(BASE, request, true)).toBe(false);
  });
});
