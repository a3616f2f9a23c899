/**
 * The client addresses the journeys' browsers claim. Every browser reaches
 * the e2e server from one socket address, and the sign-in rate limits count
 * per IP (lib/auth/core/rate-limits.ts): together the journeys would use up
 * one address's budget, and the suite would fail as it grows. The server
 * trusts one proxy hop (TRUST_PROXY_HOPS=1), so each browser context plays
 * that proxy and names an address of its own in X-Forwarded-For
 * (e2e/fixtures.ts).
 *
 * 198.18.0.0/15 (RFC 2544, benchmarking): like the loopback address the
 * journeys had before, no IP database places it (lib/auth/risk/geo.ts), so
 * a journey's country is still only what it sends as the edge's country
 * header; and it is apart from E2E_BLOCKED_NETWORK (support/server.ts) and
 * from the documentation addresses in the anonymizer list the e2e server
 * reads (lib/auth/risk/anonymizers.example.txt).
 */

/** This test's addresses: one per browser context the fixtures open. */
export interface ClientAddresses {
  /** `page`'s, and that of any context a spec opens itself with browser.newContext(). */
  page: string;
  /** `otherBrowser`'s: another browser is usually another client, too. */
  otherBrowser: string;
}

/** Addresses per test: ClientAddresses' two. */
const ADDRESSES_PER_TEST = 2;
/** Tests a worker numbers before the next worker's range begins. */
const TESTS_PER_WORKER = 1024;
/** The /15's 2^17 addresses, counted from 198.18.0.0. */
const NETWORK_SIZE = 2 ** 17;

/**
 * The addresses of a worker's `testOrdinal`-th test. A worker that replaces
 * a failed one gets the next workerIndex, so addresses repeat only after 64
 * workers; two tests sharing one then share a few requests of a budget
 * meant for dozens, not the whole suite's.
 */
export function clientAddresses(workerIndex: number, testOrdinal: number): ClientAddresses {
  const first = (workerIndex * TESTS_PER_WORKER + testOrdinal) * ADDRESSES_PER_TEST;
  return { page: addressAt(first), otherBrowser: addressAt(first + 1) };
}

function addressAt(index: number): string {
  const offset = index % NETWORK_SIZE;
  return [198, 18 + (offset >> 16), (offset >> 8) & 255, offset & 255].join(".");
}
