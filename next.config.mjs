// @ts-check
// JavaScript, not TypeScript, for the server's memory: `next start` compiles a
// next.config.ts with Next.js's native SWC binary, which then stays loaded in
// the running server, about 30 MB of its resident memory (docs/performance.md).
// tsc still checks it (`@ts-check`, the JSDoc types below, tsconfig's
// allowJs) through bench/baseline-route.test.ts, which imports it.
import { PHASE_PRODUCTION_SERVER } from "next/constants.js";

const production = process.env.NODE_ENV === "production";
/**
 * Next.js's default page extensions, plus `bench.ts` and `bench.tsx` for the
 * benchmark's own build (bench/server.ts sets TRUSTLADDER_BENCH=1):
 * app/api/bench/baseline/route.bench.ts and the blank page beside it
 * (app/api/bench/blank/*.bench.tsx) exist only then, so a production build
 * never ships them. Build configuration, read when the build starts; the app
 * itself reads nothing here.
 */
const DEFAULT_PAGE_EXTENSIONS = ["tsx", "ts", "jsx", "js"];
const pageExtensions =
  process.env.TRUSTLADDER_BENCH === "1" ? [...DEFAULT_PAGE_EXTENSIONS, "bench.ts", "bench.tsx"] : DEFAULT_PAGE_EXTENSIONS;

// Nothing third-party is ever loaded: scripts, styles, fonts and images all
// come from this origin, which keeps a sign-in link's page free of anyone
// else's code (and of anyone else's Referer). Next.js inlines small scripts
// and styles, hence 'unsafe-inline'; the dev server also needs eval.
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${production ? "" : " 'unsafe-eval'"}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
  // ASVS 3.4.1: a year of HSTS wherever the app is served over HTTPS.
  ...(production ? [{ key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }] : []),
];

/** @type {import("next").NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  pageExtensions,
  // better-sqlite3 and pg are native or Node-only; the server loads them
  // from node_modules instead of bundling them.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "@prisma/adapter-pg"],
  async headers() {
    return [
      // Every path, written without a named parameter: for a rule whose
      // source captures one (`/:path*`), Next.js runs each header value
      // through path-to-regexp on every request to fill it in, and the
      // policy's `data:` made that ~25 µs of every response (docs/performance.md).
      { source: "/(.*)", headers: securityHeaders },
      // A page that carries a token in its URL must not leak it as a Referer (ASVS 14.2.1).
      { source: "/:locale/magic-link", headers: [{ key: "Referrer-Policy", value: "no-referrer" }] },
    ];
  },
};

/**
 * next-intl's plugin points its `next-intl/config` import at
 * lib/i18n/request.ts for the bundler: only `next build` and `next dev` need
 * it. Loaded under `next start` it would keep its own SWC binary and file
 * watcher in the server for nothing (about 17 MB), so the built app is served
 * with the configuration alone.
 *
 * @param {string} phase
 * @returns {Promise<import("next").NextConfig>}
 */
export default async function config(phase) {
  if (phase === PHASE_PRODUCTION_SERVER) return nextConfig;
  const { default: createNextIntlPlugin } = await import("next-intl/plugin");
  return createNextIntlPlugin("./lib/i18n/request.ts")(nextConfig);
}
