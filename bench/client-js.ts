import { gzipSync } from "node:zlib";
import { chromium, type Browser } from "@playwright/test";
import { CHROMIUM_LAUNCH_OPTIONS } from "../e2e/support/chromium";
import { BENCH_BROWSER_ORIGIN } from "./server";

/**
 * How much JavaScript the sign-in page makes a browser download, gzipped,
 * against a blank page of the same build.
 *
 * A real browser loads the page and every script response is counted
 * (Next.js's chunks, the page's own, and whatever the page imports lazily
 * before the network goes quiet: a passkey autofill that starts on load
 * counts, a ceremony that waits for a click does not). Each body is gzipped
 * here, the way `next start` compresses it, so the figure does not depend on
 * the server's compression settings. The RSC payload Next.js inlines in the
 * HTML is not JavaScript to download and is reported apart.
 *
 * The blank page is app/api/bench/blank/page.bench.tsx: a page with its own
 * root layout that renders an empty <div>, built in the same `next build`
 * with the same configuration (it exists only in the bench's build, like the
 * baseline route). What it loads is Next.js 16 and React alone, so the
 * difference is exactly what this app adds to a page. A separate blank app
 * would measure a different build; counting only "framework" chunks would
 * rely on how Turbopack happens to split them. It sits under /api only
 * because proxy.ts leaves /api paths alone: no locale redirect, no cookie.
 *
 * `npm run bench` prints the figure; on its own, against a running bench
 * build: `npx tsx bench/client-js.ts [origin]` (default http://localhost:3200,
 * BENCH_PORT's). Open the page at the server's AUTH_URL: from any other
 * origin its server actions are refused, and the page would show (and load)
 * an error instead.
 */

export const CLIENT_JS_PAGES = {
  signIn: "/en/sign-in",
  blank: "/api/bench/blank",
} as const;

/** The goal: the sign-in page adds at most this much to a blank page. */
export const CLIENT_JS_GOAL_BYTES = 8 * 1024;

export interface PageJs {
  path: string;
  /** Script responses (files) the page loaded. */
  scripts: number;
  rawBytes: number;
  gzipBytes: number;
  /** Inline <script> text (mostly the RSC payload), not counted above. */
  inlineBytes: number;
  /** Each script's path and gzipped size, largest first: where the bytes go. */
  files: { path: string; gzipBytes: number }[];
}

export interface ClientJs {
  signIn: PageJs;
  blank: PageJs;
  /** signIn.gzipBytes − blank.gzipBytes. */
  overBlankBytes: number;
  goalBytes: number;
}

export async function measureClientJs(origin: string): Promise<ClientJs> {
  const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
  try {
    const blank = await measurePage(browser, origin, CLIENT_JS_PAGES.blank);
    const signIn = await measurePage(browser, origin, CLIENT_JS_PAGES.signIn);
    return { signIn, blank, overBlankBytes: signIn.gzipBytes - blank.gzipBytes, goalBytes: CLIENT_JS_GOAL_BYTES };
  } finally {
    await browser.close();
  }
}

async function measurePage(browser: Browser, origin: string, path: string): Promise<PageJs> {
  // A fresh context each time: no cache, no cookies (a first visit).
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const bodies: Promise<{ path: string; body: Buffer }>[] = [];
    page.on("response", (response) => {
      if (response.request().resourceType() !== "script") return;
      bodies.push(response.body().then((body) => ({ path: new URL(response.url()).pathname, body })));
    });
    const response = await page.goto(`${origin}${path}`, { waitUntil: "networkidle" });
    if (response?.status() !== 200) {
      throw new Error(`${path} answered ${response?.status()}: the blank page exists only in a build with TRUSTLADDER_BENCH=1`);
    }
    const inlineBytes = await page.evaluate(() =>
      Array.from(document.scripts)
        .filter((script) => !script.src)
        .reduce((sum, script) => sum + new TextEncoder().encode(script.text).length, 0),
    );
    const files = (await Promise.all(bodies)).map(({ path: file, body }) => ({
      path: file,
      rawBytes: body.length,
      gzipBytes: gzipSync(body).length,
    }));
    return {
      path,
      scripts: files.length,
      rawBytes: files.reduce((sum, file) => sum + file.rawBytes, 0),
      gzipBytes: files.reduce((sum, file) => sum + file.gzipBytes, 0),
      inlineBytes,
      files: files.map(({ path: file, gzipBytes }) => ({ path: file, gzipBytes })).sort((a, b) => b.gzipBytes - a.gzipBytes),
    };
  } finally {
    await context.close();
  }
}

export function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** The bench report's line. */
export function formatClientJs(figures: ClientJs): string {
  const verdict = figures.overBlankBytes <= figures.goalBytes ? "ok" : "ABOVE GOAL";
  return (
    `sign-in page JS: ${kib(figures.signIn.gzipBytes)} gzipped, +${kib(figures.overBlankBytes)} over a blank page ` +
    `(${kib(figures.blank.gzipBytes)}); goal ≤ +${kib(figures.goalBytes)}: ${verdict}`
  );
}

async function main(): Promise<void> {
  const origin = process.argv[2] ?? BENCH_BROWSER_ORIGIN;
  const figures = await measureClientJs(origin);
  for (const page of [figures.blank, figures.signIn]) {
    console.log(`${page.path}: ${page.scripts} scripts, ${kib(page.rawBytes)} raw, ${kib(page.gzipBytes)} gzipped; inline ${kib(page.inlineBytes)} raw`);
    for (const file of page.files) console.log(`  ${kib(file.gzipBytes).padStart(10)}  ${file.path}`);
  }
  console.log(formatClientJs(figures));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
