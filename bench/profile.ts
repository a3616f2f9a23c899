/**
 * `npx tsx bench/profile.ts`: where a command's time goes, without Next.js.
 * Runs the three hot commands through `executeHttp` (the same code the
 * route calls) against a fresh SQLite database, one request at a time, and
 * times every Prisma call by model and operation. Sequential on purpose: it
 * shows the cost of each piece, not the throughput (that is bench/run.ts).
 *
 *   PROFILE_REQUESTS=500   requests per command (after 100 unmeasured)
 */
import { systemClock } from "../lib/clock";
import type { Db } from "../lib/db/client";
import { listMailbox } from "../lib/delivery/mailbox";
import { executeHttp, type HttpOptions } from "../lib/auth/api-execute";
import { batchedAuditLog } from "../lib/auth/audit";
import type { ExecuteDeps } from "../lib/auth/execute";
import { databaseRateLimits } from "../lib/auth/rate-limits";
import { createHarness } from "../lib/auth/testing/harness";
import { BENCH_USER_AGENT, commandBody, nextClient } from "./clients";

const REQUESTS = Number(process.env.PROFILE_REQUESTS ?? 500);
const WARMUP_REQUESTS = 100;
const OPTIONS: HttpOptions = { secureCookies: false, trustProxyHops: 1 };
const TOKEN_IN_EMAIL = /magic-link\?token=([A-Za-z0-9_-]+)/;

interface Timing {
  calls: number;
  ms: number;
}

const timings = new Map<string, Timing>();
let recording = false;

function timed(db: Db): Db {
  return db.$extends({
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const started = performance.now();
          try {
            return await query(args);
          } finally {
            if (recording) {
              const key = `${model}.${operation}`;
              const timing = timings.get(key) ?? { calls: 0, ms: 0 };
              timing.calls += 1;
              timing.ms += performance.now() - started;
              timings.set(key, timing);
            }
          }
        },
      },
    },
  }) as unknown as Db;
}

async function call(deps: ExecuteDeps, ip: string, body: string, bearer?: string): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": BENCH_USER_AGENT, "x-forwarded-for": ip };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const response = await executeHttp(deps, new Request("http://127.0.0.1/api/v1/execute", { method: "POST", headers, body }), OPTIONS);
  const envelope = (await response.json()) as { ok: boolean; data: Record<string, unknown>; error: { code: string } | null };
  if (!envelope.ok) throw new Error(`${response.status} ${envelope.error?.code}`);
  return envelope.data;
}

async function phase<T>(name: string, count: number, each: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < WARMUP_REQUESTS; i++) results.push(await each(i));
  timings.clear();
  recording = true;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < count; i++) results.push(await each(WARMUP_REQUESTS + i));
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  recording = false;
  print(name, count, wallMs, (cpu.user + cpu.system) / 1000);
  return results;
}

function print(name: string, count: number, wallMs: number, cpuMs: number): void {
  const rows = [...timings.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const dbMs = rows.reduce((sum, [, t]) => sum + t.ms, 0);
  console.log(`\n${name}: ${count} requests, ${(wallMs / count).toFixed(3)} ms wall and ${(cpuMs / count).toFixed(3)} ms CPU per request`);
  console.log(`  in Prisma calls: ${(dbMs / count).toFixed(3)} ms per request; everything else: ${((wallMs - dbMs) / count).toFixed(3)} ms`);
  for (const [key, t] of rows) {
    console.log(`  ${key.padEnd(40)} ${(t.calls / count).toFixed(2).padStart(5)} calls/req  ${(t.ms / t.calls).toFixed(3).padStart(7)} ms/call  ${(t.ms / count).toFixed(3).padStart(7)} ms/req`);
  }
}

async function main(): Promise<void> {
  // The integration tests' wiring (so new dependencies arrive here too),
  // with the timed client, the real clock and the audit log on that client.
  const harness = await createHarness("sqlite");
  const db = timed(harness.db);
  const audit = batchedAuditLog(db);
  const deps: ExecuteDeps = { ...harness.deps, db, clock: systemClock, limits: databaseRateLimits(db), audit };
  const total = WARMUP_REQUESTS + REQUESTS;

  const links = await phase("AUTH.MAGIC_LINK.REQUEST", REQUESTS, async () => {
    const { ip, email } = nextClient();
    const data = await call(deps, ip, commandBody("AUTH.MAGIC_LINK.REQUEST", { email }));
    return { email, binding: data.binding as string };
  });
  const tokens = await Promise.all(
    links.slice(0, total).map(async (link) => {
      const [mail] = await listMailbox(harness.db, link.email);
      return { ...link, token: mail.text.match(TOKEN_IN_EMAIL)?.[1] as string };
    }),
  );
  const sessions = await phase("AUTH.MAGIC_LINK.REDEEM", REQUESTS, async (i) => {
    const data = await call(deps, nextClient().ip, commandBody("AUTH.MAGIC_LINK.REDEEM", { token: tokens[i].token, binding: tokens[i].binding }));
    return data.sessionToken as string;
  });
  const body = commandBody("AUTH.SESSION.GET", {});
  await phase("AUTH.SESSION.GET", REQUESTS, (i) => call(deps, nextClient().ip, body, sessions[i % sessions.length]));

  await audit.flush();
  await harness.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
