import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { executeHttp, type HttpOptions } from "./api-execute";
import { RATE_LIMITS } from "./rate-limits";
import { PROVIDERS, TEST_BASE_URL, createHarness, latestEmail, type Harness } from "../testing/harness";

/**
 * Issue 17 item 2, as an attacker tried it: with the default
 * TRUST_PROXY_HOPS=0 an `X-Forwarded-For: unknown` made the client IP
 * unreadable and every per-IP limit was skipped (130 link requests in a row
 * all accepted). An unreadable IP now counts against one shared bucket with
 * the normal limit; `ip:port` counts against the address it names; IPv6
 * counts per /64. Through the real HTTP face, on every provider.
 */

const API_URL = `${TEST_BASE_URL}/api/v1/execute`;
/** The default configuration: no proxy trusted, the last entry read. */
const HTTP: HttpOptions = { secureCookies: false, trustProxyHops: 0 };
const REQUEST = "AUTH.MAGIC_LINK.REQUEST";
const REDEEM = "AUTH.MAGIC_LINK.REDEEM";
const PER_IP = RATE_LIMITS.requestPerIp.points;

interface Answer {
  status: number;
  code: string | null;
  retryAfter: string | null;
}

let emailCounter = 0;
/** A new address each time, so the per-address limits never fire first. */
const freshEmail = () => `ip-limits${++emailCounter}-${Date.now()}@example.com`;

async function call(h: Harness, forwardedFor: string, command: string, params: Record<string, unknown>): Promise<Answer> {
  const request = new Request(API_URL, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
    body: JSON.stringify({ command, params }),
  });
  const response = await executeHttp(h.deps, request, HTTP);
  const envelope = (await response.json()) as { ok: boolean; error?: { code: string } };
  return { status: response.status, code: envelope.ok ? null : (envelope.error?.code ?? null), retryAfter: response.headers.get("retry-after") };
}

const requestLink = (h: Harness, forwardedFor: string) => call(h, forwardedFor, REQUEST, { email: freshEmail() });

/** Sends PER_IP link requests, the i-th from forwardedFor(i), each of which must be accepted. */
async function useUpPerIpLimit(h: Harness, forwardedFor: (i: number) => string): Promise<void> {
  for (let i = 0; i < PER_IP; i++) {
    const answer = await requestLink(h, forwardedFor(i));
    expect(answer, `request ${i + 1} from ${forwardedFor(i)}`).toMatchObject({ status: 200, code: null });
  }
}

function expectLimited(answer: Answer): void {
  expect(answer).toMatchObject({ status: 429, code: "RATE_LIMITED" });
  expect(Number(answer.retryAfter)).toBeGreaterThan(0);
}

describe.each(PROVIDERS)("per-IP limits with an unreadable or unusual client IP on %s", (provider) => {
  let h: Harness;

  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  it("counts every request whose IP cannot be read against one shared bucket with the normal limit", async () => {
    await useUpPerIpLimit(h, () => "unknown");
    expectLimited(await requestLink(h, "unknown"));
    // Other garbage lands in the same bucket: changing the forgery gains nothing.
    for (const garbage of ["", "1.2.3", "::ffff:garbage", "forged, unknown"]) {
      expectLimited(await requestLink(h, garbage));
    }
    // A client whose IP can be read keeps its own limit.
    expect(await requestLink(h, "203.0.113.50")).toMatchObject({ status: 200 });
  });

  it("limits redemptions from an unreadable IP the same way", async () => {
    const email = freshEmail();
    expect(await call(h, "203.0.113.60", REQUEST, { email })).toMatchObject({ status: 200 });
    const { token } = await latestEmail(h.db, email);
    const wrongToken = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
    for (let i = 0; i < RATE_LIMITS.verifyPerIp.points; i++) {
      expect(await call(h, "unknown", REDEEM, { token: wrongToken }), `redemption ${i + 1}`).toMatchObject({ code: "TOKEN_INVALID" });
    }
    expectLimited(await call(h, "unknown", REDEEM, { token: wrongToken }));
  });

  it("counts `ip:port` against the address it names, whatever the port", async () => {
    await useUpPerIpLimit(h, (i) => `203.0.113.7:${40000 + i}`);
    expectLimited(await requestLink(h, "203.0.113.7"));
    expectLimited(await requestLink(h, "::ffff:203.0.113.7"));
    expect(await requestLink(h, "203.0.113.8:40000")).toMatchObject({ status: 200 });
  });

  it("counts IPv6 per /64, so rotating addresses inside one network gains nothing", async () => {
    await useUpPerIpLimit(h, (i) => `[2001:db8:1:2::${(i + 1).toString(16)}]:443`);
    expectLimited(await requestLink(h, "2001:db8:1:2:ffff:ffff:ffff:ffff"));
    expect(await requestLink(h, "2001:db8:1:3::1")).toMatchObject({ status: 200 });
  });
});
