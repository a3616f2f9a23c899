/**
 * `npx tsx bench/cpu-profile-summary.ts <file.cpuprofile>... [top] [--scenario=NAME]`:
 * self and total time of a V8 CPU profile (from `node --cpu-prof`), grouped
 * by package (or app file) and by function, so a profile can be read without
 * DevTools.
 *
 * With `--scenario=NAME` only the samples taken during that scenario's
 * measured runs count (their windows in bench/results/latest.json, one per
 * round, on the same monotonic clock as the profile), and times are also
 * given per request.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { RESULTS_FILE, readMeasuredWindows } from "./report";

/** The parts of a V8 `.cpuprofile` this summary reads. */
const cpuProfileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number(), columnNumber: z.number() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  startTime: z.number(),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

type ProfileNode = z.infer<typeof cpuProfileSchema>["nodes"][number];

interface Windows {
  spans: { startUs: number; endUs: number }[];
  requests: number;
}

function groupOf(url: string): string {
  if (!url) return "(native / V8)";
  const modules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g);
  if (modules) return modules[modules.length - 1].replace("node_modules/", "");
  if (url.startsWith("node:")) return url;
  // Next.js bundles app code into .next/server chunks; the chunk name keeps the source path.
  const app = url.match(/(?:\/work\/[^/]+\/|\[project\]\/)(lib|app|bench)\/[^\s?]*/);
  return app ? app[0].replace(/^.*?(lib|app|bench)\//, "$1/") : url.replace(/^.*\//, "");
}

function functionLabel(node: ProfileNode): string {
  const frame = node.callFrame;
  // Minified chunks hold many functions per line, often with the same one-letter name.
  return `${frame.functionName || "(anonymous)"}  ${groupOf(frame.url)}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
}

function scenarioWindows(name: string): Windows {
  const windows = readMeasuredWindows();
  const runs = windows.filter((window) => window.name === name);
  if (runs.length === 0) {
    const names = [...new Set(windows.map((window) => window.name))].join(", ");
    throw new Error(`${RESULTS_FILE} has no measured window for "${name}" (it has: ${names})`);
  }
  return { spans: runs, requests: runs.reduce((sum, run) => sum + run.requests, 0) };
}

/** A JSON file checked against the shape this script needs, or an error naming the file. */
function readJson<T>(file: string, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(JSON.parse(readFileSync(file, "utf8")) as unknown);
  if (!parsed.success) throw new Error(`${file} is not what this script reads: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  return parsed.data;
}

/** Adds `us` to `key`'s running total. */
function add(totals: Map<string, number>, key: string, us: number): void {
  totals.set(key, (totals.get(key) ?? 0) + us);
}

function main(): void {
  const args = process.argv.slice(2);
  const files = args.filter((arg) => arg.endsWith(".cpuprofile"));
  if (files.length === 0) {
    throw new Error("usage: tsx bench/cpu-profile-summary.ts <file.cpuprofile>... [top] [--scenario=NAME]");
  }
  const top = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 25);
  const scenario = args.find((arg) => arg.startsWith("--scenario="))?.slice("--scenario=".length);
  const window = scenario ? scenarioWindows(scenario) : null;

  const byGroup = new Map<string, number>();
  const byFunction = new Map<string, number>();
  // Time with the function anywhere on the stack (counted once per sample).
  const totalByFunction = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const file of files) {
    const profile = readJson(file, cpuProfileSchema);
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const parentOf = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

    let at = profile.startTime;
    profile.samples.forEach((id, i) => {
      const us = profile.timeDeltas[i] ?? 0;
      at += us;
      if (window && !window.spans.some((span) => at >= span.startUs && at <= span.endUs)) return;
      const node = byId.get(id) as ProfileNode;
      totalUs += us;
      if (node.callFrame.functionName === "(idle)") {
        idleUs += us;
        return;
      }
      add(byGroup, groupOf(node.callFrame.url), us);
      add(byFunction, functionLabel(node), us);
      const onStack = new Set<string>();
      for (let cursor: number | undefined = id; cursor !== undefined; cursor = parentOf.get(cursor)) {
        onStack.add(functionLabel(byId.get(cursor) as ProfileNode));
      }
      for (const label of onStack) add(totalByFunction, label, us);
    });
  }

  const busyUs = totalUs - idleUs;
  const perRequest = (us: number) => (window && window.requests > 0 ? `${(us / window.requests).toFixed(1).padStart(7)} µs/req` : "");
  const show = (title: string, entries: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [name, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`  ${((us / busyUs) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms ${perRequest(us)}  ${name}`);
    }
  };
  const during = scenario ? ` during ${scenario} (${window?.requests} requests)` : "";
  console.log(`${files.join(", ")}${during}: ${(totalUs / 1e6).toFixed(1)} s profiled, ${(busyUs / 1e6).toFixed(1)} s busy ${perRequest(busyUs)}`);
  show("Self time by package or app file", byGroup);
  show("Self time by function", byFunction);
  show("Total time by function (itself and what it calls)", totalByFunction);
}

main();
