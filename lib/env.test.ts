import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { env, resetEnvForTests } from "./env";

const SECRET = "s".repeat(43);

describe("configuration", () => {
  let saved: NodeJS.ProcessEnv;
  beforeEach(() => {
    saved = { ...process.env };
    for (const key of ["AUTH_SECRET", "EMAIL_TRANSPORT", "RESEND_API_KEY", "DEV_MAILBOX", "AUTH_URL", "DATABASE_URL"]) {
      delete process.env[key];
    }
    resetEnvForTests();
  });
  afterEach(() => {
    process.env = saved;
    resetEnvForTests();
  });

  function configure(values: Record<string, string>) {
    Object.assign(process.env, values);
    resetEnvForTests();
    return env;
  }

  it("refuses to start without a real AUTH_SECRET, saying how to make one", () => {
    expect(configure({ NODE_ENV: "production" })).toThrow(/AUTH_SECRET[\s\S]*openssl rand/);
    expect(configure({ NODE_ENV: "production", AUTH_SECRET: "short" })).toThrow(/AUTH_SECRET/);
    expect(configure({ NODE_ENV: "development", AUTH_SECRET: "" })).toThrow(/AUTH_SECRET/);
  });

  it("keeps mail in the outbox under `next dev` (NODE_ENV=development) and the mailbox open there", () => {
    const config = configure({ NODE_ENV: "development", AUTH_SECRET: SECRET })();
    expect(config.emailTransport).toBe("outbox");
    expect(config.devMailboxEnabled).toBe(true);
    expect(config.databaseProvider).toBe("sqlite");
  });

  // Issue 17 item 1: a production build started with NODE_ENV=test (or none)
  // used to open the mailbox to anyone who could reach it.
  it("never opens the mailbox or the outbox merely because NODE_ENV is not production", () => {
    for (const nodeEnv of ["test", undefined]) {
      // Next.js's types make NODE_ENV read-only; a process may still run without it.
      if (nodeEnv === undefined) Reflect.deleteProperty(process.env, "NODE_ENV");
      const config = configure({ ...(nodeEnv ? { NODE_ENV: nodeEnv } : {}), AUTH_SECRET: SECRET, RESEND_API_KEY: "re_x" })();
      expect(config.devMailboxEnabled, `NODE_ENV=${nodeEnv}`).toBe(false);
      expect(config.emailTransport, `NODE_ENV=${nodeEnv}`).toBe("resend");
      expect(configure({ EMAIL_TRANSPORT: "outbox" }), `NODE_ENV=${nodeEnv}`).toThrow(/EMAIL_TRANSPORT[\s\S]*DEV_MAILBOX=1/);
      delete process.env.EMAIL_TRANSPORT;
    }
    const demo = configure({ NODE_ENV: "test", AUTH_SECRET: SECRET, DEV_MAILBOX: "1" })();
    expect(demo.devMailboxEnabled).toBe(true);
    expect(demo.emailTransport).toBe("outbox");
  });

  it("never serves the mailbox in production unless DEV_MAILBOX=1 says so", () => {
    const real = configure({ NODE_ENV: "production", AUTH_SECRET: SECRET, RESEND_API_KEY: "re_x" })();
    expect(real.emailTransport).toBe("resend");
    expect(real.devMailboxEnabled).toBe(false);
    const demo = configure({ NODE_ENV: "production", AUTH_SECRET: SECRET, DEV_MAILBOX: "1" })();
    expect(demo.emailTransport).toBe("outbox");
    expect(demo.devMailboxEnabled).toBe(true);
  });

  it("refuses the outbox transport in a real production deployment", () => {
    expect(configure({ NODE_ENV: "production", AUTH_SECRET: SECRET, EMAIL_TRANSPORT: "outbox" })).toThrow(/EMAIL_TRANSPORT/);
    delete process.env.EMAIL_TRANSPORT;
    expect(configure({ NODE_ENV: "production", AUTH_SECRET: SECRET })).toThrow(/RESEND_API_KEY/);
    delete process.env.RESEND_API_KEY;
    expect(configure({ NODE_ENV: "production", AUTH_SECRET: SECRET, DEV_MAILBOX: "0", EMAIL_TRANSPORT: "outbox" })).toThrow(/EMAIL_TRANSPORT/);
  });

  it("takes links and the allowed origin from AUTH_URL, with secure cookies over HTTPS", () => {
    const config = configure({ NODE_ENV: "development", AUTH_SECRET: SECRET, AUTH_URL: "https://auth.example.com/" })();
    expect(config.appBaseUrl).toBe("https://auth.example.com");
    expect(config.appOrigin).toBe("https://auth.example.com");
    expect(config.secureCookies).toBe(true);
  });

  it("switches to PostgreSQL by the URL's scheme", () => {
    const config = configure({ NODE_ENV: "development", AUTH_SECRET: SECRET, DATABASE_URL: "postgresql://u@h/db" })();
    expect(config.databaseProvider).toBe("postgresql");
  });

  it("refuses a blocked-network list with a bad entry, naming it, and takes a good one", () => {
    expect(configure({ NODE_ENV: "development", AUTH_SECRET: SECRET, RISK_BLOCKED_CIDRS: "203.0.113.0/24, 10.0.0/8" })).toThrow(
      /RISK_BLOCKED_CIDRS[\s\S]*10\.0\.0\/8/,
    );
    const config = configure({ NODE_ENV: "development", AUTH_SECRET: SECRET, RISK_BLOCKED_CIDRS: "203.0.113.0/24 2001:db8::/32" })();
    expect(config.RISK_BLOCKED_CIDRS).toBe("203.0.113.0/24 2001:db8::/32");
  });

  it("resolves the risk databases' paths, and wants both position headers or neither", () => {
    const config = configure({ NODE_ENV: "development", AUTH_SECRET: SECRET })();
    expect(config.countryDbPath).toMatch(/^\/.*iptoasn-country\.mmdb$/);
    expect(config.cityDbPath).toBeUndefined();
    expect(configure({ NODE_ENV: "development", AUTH_SECRET: SECRET, LATITUDE_HEADER: "cf-iplatitude" })).toThrow(/LONGITUDE_HEADER/);
    expect(
      configure({ NODE_ENV: "development", AUTH_SECRET: SECRET, LATITUDE_HEADER: "CF-IPLatitude", LONGITUDE_HEADER: "cf-iplongitude" })()
        .LATITUDE_HEADER,
    ).toBe("cf-iplatitude");
  });

  it("takes a TOTP key only as base64url of 32 bytes", () => {
    expect(configure({ NODE_ENV: "development", AUTH_SECRET: SECRET, TOTP_ENCRYPTION_KEY: "too-short" })).toThrow(/TOTP_ENCRYPTION_KEY/);
    expect(configure({ NODE_ENV: "development", AUTH_SECRET: SECRET, TOTP_ENCRYPTION_KEY: "A".repeat(43) })().TOTP_ENCRYPTION_KEY).toBe("A".repeat(43));
  });
});
