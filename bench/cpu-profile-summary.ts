/**
 * `npx tsx bench/cpu-profile-summary.ts <file.cpuprofile>... [top]`: self time
 * of a V8 CPU profile (from `node --cpu-prof`), grouped by package (or app
 * file) and by function, so a profile can be read without DevTools.
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
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

function main(): void {
  const args = process.argv.slice(2);
  const files = args.filter((arg) => arg.endsWith(".cpuprofile"));
  if (files.length === 0) throw new Error("usage: tsx bench/cpu-profile-summary.ts <file.cpuprofile>... [top]");
  const top = Number(args.find((arg) => /^\d+$/.test(arg)) ?? 25);
  const byGroup = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const selfUs = new Map<number, number>();
    profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
    for (const [id, us] of selfUs) {
      const frame = (byId.get(id) as ProfileNode).callFrame;
      totalUs += us;
      if (frame.functionName === "(idle)") {
        idleUs += us;
        continue;
      }
      const group = groupOf(frame.url);
      byGroup.set(group, (byGroup.get(group) ?? 0) + us);
      const name = `${frame.functionName || "(anonymous)"}  ${group}:${frame.lineNumber + 1}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    }
  }
  const busyUs = totalUs - idleUs;
  const show = (title: string, entries: Map<string, number>) => {
    console.log(`\n${title}`);
    for (const [name, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`  ${((us / busyUs) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
    }
  };
  console.log(`${files.join(", ")}: ${(totalUs / 1e6).toFixed(1)} s profiled, ${(busyUs / 1e6).toFixed(1)} s busy`);
  show("Self time by package or app file", byGroup);
  show("Self time by function", byFunction);
}

main();
