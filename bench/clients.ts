import { stringInJson } from "./json-body";
import { BENCH_ORIGIN } from "./server";

/**
 * Simulated API clients: each request gets its own address (through the
 * one trusted X-Forwarded-For hop) and, where it asks for a link, its own
 * mailbox, so per-IP and per-address limits never see the same key twice.
 */

/** A desktop browser's User-Agent: the parser on the hot path sees what most real traffic sends. */
export const BENCH_USER_AGENT =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36";
/** Concurrent requests while issuing and collecting links outside the measured runs. */
const SETUP_CONCURRENCY = 8;
const TOKEN_IN_EMAIL = /magic-link\?token=([A-Za-z0-9_-]+)/;

let clientCounter = 0;
const runId = Date.now().toString(36);

/** A fresh client: a unique IPv4 address in 10.0.0.0/8 and a unique mailbox. */
export function nextClient(): { ip: string; email: string } {
  clientCounter += 1;
  const n = clientCounter;
  const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  return { ip, email: `bench-${runId}-${n}@bench.example.com` };
}

/** A client's headers on a bodiless request. */
export function clientHeaders(ip: string, extra: Record<string, string> = {}): Record<string, string> {
  return { "user-agent": BENCH_USER_AGENT, "x-forwarded-for": ip, ...extra };
}

/** A client's headers on a JSON command. */
export function commandHeaders(ip: string, extra: Record<string, string> = {}): Record<string, string> {
  return { "content-type": "application/json", ...clientHeaders(ip, extra) };
}

export function commandBody(command: string, params: Record<string, unknown>): string {
  return JSON.stringify({ command, params });
}

export interface IssuedLink {
  email: string;
  binding: string;
}

export interface RedeemableLink extends IssuedLink {
  token: string;
}

/** Asks for `count` links through the API, outside any measurement. */
export async function issueLinks(count: number): Promise<IssuedLink[]> {
  return inParallel(count, async () => {
    const { ip, email } = nextClient();
    const response = await fetch(`${BENCH_ORIGIN}/api/v1/execute`, {
      method: "POST",
      headers: commandHeaders(ip),
      body: commandBody("AUTH.MAGIC_LINK.REQUEST", { email }),
    });
    const body = await response.text();
    const binding = stringInJson(body, "data", "binding");
    if (!response.ok || !binding) {
      throw new Error(`issuing a link failed: ${response.status} ${stringInJson(body, "error", "code") ?? "no binding"}`);
    }
    return { email, binding };
  });
}

/** Reads each link's token from the development mailbox, as a person would from their email. */
export async function collectTokens(links: readonly IssuedLink[]): Promise<RedeemableLink[]> {
  let next = 0;
  return inParallel(links.length, async () => {
    const link = links[next++];
    const response = await fetch(`${BENCH_ORIGIN}/api/dev/mailbox?to=${encodeURIComponent(link.email)}`);
    // Newest first: the first message's text carries the link.
    const token = stringInJson(await response.text(), "0", "text")?.match(TOKEN_IN_EMAIL)?.[1];
    if (!token) throw new Error(`no sign-in link in the mailbox of ${link.email}`);
    return { ...link, token };
  });
}

async function inParallel<T>(count: number, task: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let started = 0;
  async function worker(): Promise<void> {
    while (started < count) {
      started += 1;
      results.push(await task());
    }
  }
  await Promise.all(Array.from({ length: Math.min(SETUP_CONCURRENCY, count) }, worker));
  return results;
}

/** One command through the real API, outside a measured run; throws unless it succeeded. */
export async function callCommand<T = unknown>(command: string, params: Record<string, unknown>, bearer?: string): Promise<T> {
  const headers = commandHeaders(nextClient().ip, bearer ? { authorization: `Bearer ${bearer}` } : {});
  const response = await fetch(`${BENCH_ORIGIN}/api/v1/execute`, { method: "POST", headers, body: commandBody(command, params) });
  const envelope = (await response.json()) as { ok: boolean; data: T; error?: { code: string } };
  if (!envelope.ok) throw new Error(`${command} failed: ${response.status} ${envelope.error?.code ?? ""}`);
  return envelope.data;
}
