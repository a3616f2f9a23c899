import { describe, expect, it } from "vitest";
import { startupWarnings } from "./server-start";

describe("startupWarnings", () => {
  it("warns a production start that trusts no proxy that the client IP cannot be trusted, and what to set", () => {
    const [warning, ...others] = startupWarnings({ production: true, DEV_MAILBOX: false, TRUST_PROXY_HOPS: 0 });
    expect(others).toEqual([]);
    expect(warning).toMatch(/TRUST_PROXY_HOPS=0: the client IP cannot be trusted/);
    expect(warning).toMatch(/set\s+(! )?TRUST_PROXY_HOPS to how many such proxies/);
  });

  it("says nothing about the IP once a proxy is trusted, nor outside production", () => {
    expect(startupWarnings({ production: true, DEV_MAILBOX: false, TRUST_PROXY_HOPS: 1 })).toEqual([]);
    expect(startupWarnings({ production: false, DEV_MAILBOX: false, TRUST_PROXY_HOPS: 0 })).toEqual([]);
  });

  it("still shouts about an open development mailbox in a production build", () => {
    const warnings = startupWarnings({ production: true, DEV_MAILBOX: true, TRUST_PROXY_HOPS: 1 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/DEV_MAILBOX=1 in a production build[\s\S]*OPEN/);
  });
});
