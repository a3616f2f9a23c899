// @ts-check
// JavaScript, not TypeScript, for the server's memory: `next start` compiles a
// next.config.ts with Next.js's native SWC binary, which then stays loaded in
// the running server, about 30 MB of its resident memory (docs/performance.md).
// tsc still checks it (`@ts-check`, the JSDoc types below, tsconfig's
// allowJs) through next.config.test.ts and bench/baseline-route.test.ts,
// which import it.
import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_SERVER } from "next/constants.js";

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

/**
 * Nothing third-party is ever loaded: scripts, styles, fonts and images all
 * come from this origin, which keeps a sign-in link's page free of anyone
 * else's code (and of anyone else's Referer). Next.js inlines small scripts
 * and styles, hence 'unsafe-inline'; the dev server also needs eval.
 *
 * @param {boolean} developmentServer
 */
function contentSecurityPolicy(developmentServer) {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${developmentServer ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

/** @param {boolean} developmentServer */
function securityHeaders(developmentServer) {
  return [
    { key: "Content-Security-Policy", value: contentSecurityPolicy(developmentServer) },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
    // ASVS 3.4.1: a year of HSTS wherever the app is served over HTTPS. Not
    // from the dev server: over `next dev --experimental-https` it would make
    // the browser insist on HTTPS for every app on localhost for a year.
    ...(developmentServer ? [] : [{ key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }]),
  ];
}

/**
 * The configuration for a phase. The dev server's settings (eval, no HSTS)
 * follow the phase, not NODE_ENV: `next build` keeps whatever NODE_ENV it is
 * given (`test` on many CI machines), and the headers it writes into the
 * build, which `next start` serves, would then be the dev server's. Only
 * `next dev` is PHASE_DEVELOPMENT_SERVER.
 *
 * @param {string} phase
 * @returns {import("next").NextConfig}
 */
function nextConfig(phase) {
  const headers = securityHeaders(phase === PHASE_DEVELOPMENT_SERVER);
  return {
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
        { source: "/(.*)", headers },
        // A page that carries a token in its URL must not leak it as a Referer (ASVS 14.2.1).
        { source: "/:locale/magic-link", headers: [{ key: "Referrer-Policy", value: "no-referrer" }] },
      ];
    },
  };
}

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
  if (phase === PHASE_PRODUCTION_SERVER) return nextConfig(phase);
  const { default: createNextIntlPlugin } = await import("next-intl/plugin");
  return createNextIntlPlugin("./lib/i18n/request.ts")(nextConfig(phase));
}
