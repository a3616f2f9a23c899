/**
 * `npm run bench`: builds the app, starts `next start` on 127.0.0.1:3200
 * with a fresh SQLite database, and measures the sign-in hot paths against
 * the framework's own baseline in the same run (docs/performance.md).
 *
 * Settings (environment):
 *   BENCH_SKIP_BUILD=1       reuse the existing .next build
 *   BENCH_ROUNDS=3           how many times the sequence of scenarios runs
 *   BENCH_SECONDS=5          measured seconds per scenario and round
 *   BENCH_WARMUP_SECONDS=2   unmeasured seconds before each
 *   BENCH_PORT=3200          the server's port (on 127.0.0.1 only)
 *
 * Its build sets TRUSTLADDER_BENCH=1, the only build that includes the
 * baseline route (next.config.mjs).
 */
import { measureClientJs, type ClientJs } from "./client-js";
import { measureDecide } from "./decide-micro";
import { bindSessionsToDevices, boundSessionCheck, deviceProof } from "./device-scenarios";
import { stopLoad, type Measurement } from "./load";
import { guardedRead } from "./guarded-read-scenario";
import { passkeySignIn } from "./passkey-scenario";
import { startMemorySampler, snapshotTree } from "./process-tree";
import { buildReport, formatReport, writeReport } from "./report";
import { baseline, redeem, requestLink, sessionCheck, type BenchSettings } from "./scenarios";
import {
  BENCH_BROWSER_ORIGIN,
  alive,
  buildApp,
  buildIdentity,
  commitOf,
  foreignBuildRunning,
  prepareDatabase,
  startServer,
  waitUntilReady,
  type RunningServer,
} from "./server";

const settings: BenchSettings = {
  rounds: Math.round(positiveNumber("BENCH_ROUNDS", 3)),
  seconds: positiveNumber("BENCH_SECONDS", 5),
  warmupSeconds: positiveNumber("BENCH_WARMUP_SECONDS", 2),
  connections: 10,
  redeemConnections: 8,
};

let server: RunningServer | null = null;
/** The build the server started from, to tell a failure caused by someone else's rebuild. */
let build: string | null = null;

async function main(): Promise<number> {
  const startedAt = new Date();
  if (process.env.BENCH_SKIP_BUILD === "1") console.log("bench: BENCH_SKIP_BUILD=1, using the existing .next build");
  else await buildApp();

  // Before the server starts, so that nothing else competes for the core.
  console.log("bench: decide() micro-benchmark…");
  const decide = measureDecide();

  prepareDatabase();
  server = await startServer();
  const pid = server.pid;
  await waitUntilReady(server);
  console.log(
    `bench: server ready (pid ${pid}); ${settings.rounds} rounds, ${settings.seconds} s per scenario after ${settings.warmupSeconds} s of warm-up`,
  );

  build = buildIdentity();
  const memory = startMemorySampler(pid);
  const measurements: Measurement[] = [];
  const warnings: string[] = [];
  const step = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
    if (foreignBuildRunning()) warnings.push(`a \`next build\` was running during ${label}: it competes for CPU and may replace .next`);
    console.log(`bench: ${label}…`);
    const result = await run();
    if (!alive(pid)) throw new Error(`the server died during ${label}`);
    if (buildIdentity() !== build) throw new Error(`.next was rebuilt by another process during ${label}; run again`);
    return result;
  };

  // A baseline between every two scenarios: each is compared with the
  // framework as fast as it was just before and just after (bench/report.ts).
  // The whole sequence runs several rounds, and each scenario's figure is the
  // median of its rounds: this machine's speed wanders over minutes, and one
  // long run of a scenario would take whatever moment it fell on.
  measurements.push(await step("baseline", () => baseline(settings, pid, true)));
  for (let round = 1; round <= settings.rounds; round++) {
    const of = (label: string) => `${label} (round ${round}/${settings.rounds})`;
    const requested = await step(of("request-link"), () => requestLink(settings, pid));
    measurements.push(requested.measurement);
    measurements.push(await step(of("baseline"), () => baseline(settings, pid)));
    const redeemed = await step(of("redeem"), () => redeem(settings, pid, requested.issued));
    measurements.push(redeemed.measurement);
    measurements.push(await step(of("baseline"), () => baseline(settings, pid)));
    measurements.push(await step(of("session check"), () => sessionCheck(settings, pid, redeemed.sessionTokens)));
    measurements.push(await step(of("baseline"), () => baseline(settings, pid)));
    measurements.push(
      await step(of("session check by command"), () => sessionCheck(settings, pid, redeemed.sessionTokens, "command")),
    );
    measurements.push(await step(of("baseline"), () => baseline(settings, pid)));
    measurements.push(await step(of("passkey sign-in"), () => passkeySignIn(settings, pid, redeemed.sessionTokens)));
    measurements.push(await step(of("baseline"), () => baseline(settings, pid)));
    measurements.push(await step(of("guarded read"), () => guardedRead(settings, pid, redeemed.sessionTokens)));
    measurements.push(await step(of("baseline"), () => baseline(settings, pid)));
    const bound = await step(of("binding sessions to device keys (not measured)"), () => bindSessionsToDevices(redeemed.sessionTokens));
    measurements.push(await step(of("bound session check"), () => boundSessionCheck(settings, pid, bound)));
    measurements.push(await step(of("baseline"), () => baseline(settings, pid)));
    measurements.push(await step(of("device proof"), () => deviceProof(settings, pid, bound)));
    measurements.push(await step(of("baseline"), () => baseline(settings, pid)));
  }

  const final = snapshotTree(pid);
  memory.stop();
  // After the memory figures: loading pages in a browser is not part of the load they describe.
  let clientJs: ClientJs | null = null;
  try {
    clientJs = await step("client JavaScript", () => measureClientJs(BENCH_BROWSER_ORIGIN));
  } catch (error) {
    warnings.push(`the sign-in page's JavaScript could not be measured: ${error instanceof Error ? error.message : String(error)}`);
  }
  await server.stop();

  const report = buildReport({
    startedAt,
    commit: commitOf(),
    settings,
    measurements,
    server: { peakRssBytes: Math.max(memory.peak().rssBytes, final.rssBytes), peakHwmBytes: final.hwmBytes },
    clientJs,
    decide,
    warnings,
  });
  writeReport(report);
  console.log(`\n${formatReport(report)}`);
  return measurements.every((m) => m.valid) ? 0 : 1;
}

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not "${raw}"`);
  return value;
}

// The server must not outlive the bench, however the bench ends.
process.on("exit", () => server?.killNow());
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\nbench: ${signal}, stopping`);
    stopLoad();
    void (server?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    if (build !== null && buildIdentity() !== build) console.error("bench: .next was rebuilt by another process meanwhile; run again");
    await server?.stop();
    process.exitCode = 1;
  },
);
