import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_BUILD, PHASE_PRODUCTION_SERVER } from "next/constants";
import { afterEach, describe, expect, it, vi } from "vitest";

/**
 * The security headers of next.config.mjs follow Next.js's phase, not
 * NODE_ENV: `next build` keeps whatever NODE_ENV it is given (Vitest runs
 * with `test`, as many CI machines do), and the headers it writes into the
 * build are the ones `next start` serves. e2e/security-headers.spec.ts checks
 * them on a running production build.
 */

const HSTS = "strict-transport-security";

async function headersFor(phase: string, nodeEnv: string): Promise<Map<string, string>> {
  vi.resetModules();
  vi.stubEnv("NODE_ENV", nodeEnv);
  const { default: config } = await import("./next.config.mjs");
  const rules = (await (await config(phase)).headers?.()) ?? [];
  const everyPath = rules.find((rule) => rule.source === "/(.*)");
  return new Map((everyPath?.headers ?? []).map(({ key, value }) => [key.toLowerCase(), value]));
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the security headers", () => {
  for (const phase of [PHASE_PRODUCTION_BUILD, PHASE_PRODUCTION_SERVER]) {
    for (const nodeEnv of ["production", "test", "development"]) {
      it(`are the production ones in ${phase} whatever NODE_ENV says (${nodeEnv})`, async () => {
        const headers = await headersFor(phase, nodeEnv);
        expect(headers.get("content-security-policy")).toContain("script-src 'self' 'unsafe-inline';");
        expect(headers.get("content-security-policy")).not.toContain("unsafe-eval");
        expect(headers.get(HSTS)).toBe("max-age=31536000; includeSubDomains");
      });
    }
  }

  it("let only the dev server eval, and leave HSTS out of it", async () => {
    const headers = await headersFor(PHASE_DEVELOPMENT_SERVER, "development");
    expect(headers.get("content-security-policy")).toContain("script-src 'self' 'unsafe-inline' 'unsafe-eval';");
    expect(headers.has(HSTS)).toBe(false);
  });
});
