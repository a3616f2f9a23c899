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

  it("keeps mail in the outbox outside production and the mailbox open there", () => {
    const config = configure({ NODE_ENV: "development", AUTH_SECRET: SECRET })();
    expect(config.emailTransport).toBe("outbox");
    expect(config.devMailboxEnabled).toBe(true);
    expect(config.databaseProvider).toBe("sqlite");
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
});
