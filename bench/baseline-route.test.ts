import { existsSync } from "node:fs";
import { PHASE_PRODUCTION_BUILD } from "next/constants";
import { afterEach, describe, expect, it, vi } from "vitest";

/**
 * The baseline route ships only in the bench's own build: its file has an
 * extension Next.js treats as a route only when next.config.mjs is loaded with
 * TRUSTLADDER_BENCH=1 (bench/server.ts sets it for its build).
 */

const ROUTE_FILE = "app/api/bench/baseline/route.bench.ts";
/** The blank page bench/client-js.ts measures the sign-in page's JavaScript against. */
const BLANK_PAGE_FILES = ["app/api/bench/blank/page.bench.tsx", "app/api/bench/blank/layout.bench.tsx"];

async function pageExtensionsWith(bench: string | undefined): Promise<string[]> {
  vi.resetModules();
  if (bench === undefined) vi.stubEnv("TRUSTLADDER_BENCH", undefined);
  else vi.stubEnv("TRUSTLADDER_BENCH", bench);
  const { default: config } = await import("../next.config.mjs");
  return (await config(PHASE_PRODUCTION_BUILD)).pageExtensions ?? [];
}

/** Whether Next.js would take `file` for a route, page or layout: `<kind>.<one of the extensions>`. */
function isRoute(file: string, extensions: readonly string[]): boolean {
  return extensions.some((extension) => ["route", "page", "layout"].some((kind) => file.endsWith(`/${kind}.${extension}`)));
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the benchmark's baseline route", () => {
  it("exists under a name no default build picks up", () => {
    expect(existsSync(ROUTE_FILE)).toBe(true);
    expect(existsSync("app/api/bench/baseline/route.ts")).toBe(false);
  });

  it("is not a route in a build without TRUSTLADDER_BENCH, whose extensions are Next.js's defaults", async () => {
    const extensions = await pageExtensionsWith(undefined);
    expect(extensions).toEqual(["tsx", "ts", "jsx", "js"]);
    expect(isRoute(ROUTE_FILE, extensions)).toBe(false);
    expect(isRoute(ROUTE_FILE, await pageExtensionsWith("0"))).toBe(false);
  });

  it("is a route in the bench's build, which keeps the default extensions too", async () => {
    const extensions = await pageExtensionsWith("1");
    expect(extensions).toEqual(expect.arrayContaining(["tsx", "ts", "jsx", "js", "bench.ts"]));
    expect(isRoute(ROUTE_FILE, extensions)).toBe(true);
  });

  it("has a blank page beside it, likewise only in the bench's build", async () => {
    for (const file of BLANK_PAGE_FILES) {
      expect(existsSync(file)).toBe(true);
      expect(isRoute(file, await pageExtensionsWith(undefined))).toBe(false);
      expect(isRoute(file, await pageExtensionsWith("1"))).toBe(true);
    }
  });
});
