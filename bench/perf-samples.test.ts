import { describe, expect, it } from "vitest";
import { classify, perfScriptParser, scenarioCpuCounter, type PerfSample } from "./perf-samples";

// Shaped like `perf script -F pid,tid,time,period,ip,sym,dso` of the bench's server.
const SCRIPT = `
100/100  10.000100:    1000000 
	    7f0c028b02ce JS:*findSession /work/main/.next/server/chunks/x._.js:1:9748 (/tmp/perf-100.map)
	         14aca14 uv_run (/usr/bin/node)

100/100  10.000200:    2000000 
	ffffffff8173f641 mark_buffer_dirty ([kernel.kallsyms])
	           f64c7 __libc_pwrite (/usr/lib/x86_64-linux-gnu/libc.so.6)
	           d450f walCheckpoint (/work/main/node_modules/better-sqlite3/build/Release/better_sqlite3.node)
	    7f0c028b1000 JS:^u /work/main/.next/server/chunks/y._.js:1:7777 (/tmp/perf-100.map)
	    7f0c028b2000 JS:*handle /work/main/node_modules/next/dist/compiled/next-server/app-route.runtime.prod.js:5:1 (/tmp/perf-100.map)

101/104  10.000300:    3000000 
	          b733b4 v8::internal::Scavenger::ScavengeObject (/usr/bin/node)
	          891f5 start_thread (/usr/lib/x86_64-linux-gnu/libc.so.6)

100/100  10.5:    4000000 
	          155e376 Builtins_LoadIC (/usr/bin/node)
	          14aca14 uv_run (/usr/bin/node)

100/100  12.000000:    5000000 
	    7f0c028b02ce JS:*findSession /work/main/.next/server/chunks/x._.js:1:9748 (/tmp/perf-100.map)
`;

function parse(text: string): PerfSample[] {
  const samples: PerfSample[] = [];
  const parser = perfScriptParser((sample) => samples.push(sample));
  for (const line of text.split("\n")) parser.line(line);
  parser.end();
  return samples;
}

describe("perf script samples", () => {
  it("reads each sample's thread, time in microseconds, CPU period and stack", () => {
    const samples = parse(SCRIPT);
    expect(samples).toHaveLength(5);
    expect(samples[0]).toMatchObject({ pid: 100, tid: 100, timeUs: 10_000_100, periodNs: 1_000_000 });
    expect(samples[0].frames).toEqual([
      "JS:*findSession /work/main/.next/server/chunks/x._.js:1:9748 (/tmp/perf-100.map)",
      "uv_run (/usr/bin/node)",
    ]);
    // A fraction shorter than six digits is still microseconds.
    expect(samples[3].timeUs).toBe(10_500_000);
  });

  it("tells SQLite, garbage collection, the kernel and other threads apart, naming the JavaScript that called", () => {
    const [js, sqlite, gc, native] = parse(SCRIPT);
    expect(classify(js)).toEqual({ thread: "main", part: "JavaScript and runtime", inKernel: false, owner: "findSession .next/server/chunks/x._.js:1:9748" });
    expect(classify(sqlite)).toEqual({ thread: "main", part: "SQLite", inKernel: true, owner: "u .next/server/chunks/y._.js:1:7777" });
    expect(classify(gc)).toMatchObject({ thread: "other", part: "garbage collection", owner: "(native) start_thread" });
    expect(classify(native).owner).toBe("(native) uv_run");
  });

  it("names a package's function from the package on", () => {
    const [sample] = parse(`100/100  1.0:    1 \n\t 1 JS:*handle /work/main/node_modules/next/dist/server/lib/router-server.js:9:2 (/tmp/perf-100.map)\n`);
    expect(classify(sample).owner).toBe("handle next/dist/server/lib/router-server.js:9:2");
  });

  it("counts only samples inside a measured window, per scenario, and adds up each scenario's requests", () => {
    const counter = scenarioCpuCounter([
      { name: "session-check", requests: 4, startUs: 10_000_000, endUs: 10_400_000 },
      { name: "baseline", requests: 10, startUs: 10_400_001, endUs: 11_000_000 },
      { name: "session-check", requests: 6, startUs: 13_000_000, endUs: 14_000_000 },
    ]);
    for (const sample of parse(SCRIPT)) counter.count(sample);

    const check = counter.byScenario.get("session-check");
    expect(check?.requests).toBe(10);
    expect(Object.fromEntries(check?.byPart ?? [])).toEqual({
      "main: JavaScript and runtime": 1000,
      "main: SQLite": 2000,
      "main: of which in the kernel": 2000,
      "other: garbage collection": 3000,
    });
    expect(Object.fromEntries(check?.mainByOwner ?? [])).toEqual({
      "findSession .next/server/chunks/x._.js:1:9748": 1000,
      "u .next/server/chunks/y._.js:1:7777": 2000,
    });
    // The sample at 10.5 s is the baseline's; the one at 12 s fell between windows and counts nowhere.
    expect(Object.fromEntries(counter.byScenario.get("baseline")?.byPart ?? [])).toEqual({ "main: JavaScript and runtime": 4000 });
  });
});
