/**
 * GET /api/bench/baseline: the cheapest dynamic route the framework can
 * serve, so `npm run bench` can express each command's throughput as a share
 * of what Next.js itself manages on the same machine in the same run
 * (docs/performance.md).
 *
 * The `.bench.ts` extension keeps it out of every build but the bench's own:
 * next.config.mjs adds `bench.ts` to the page extensions only when
 * TRUSTLADDER_BENCH=1, which bench/server.ts sets for its build. Any other
 * build has no such route, so this path answers 404 like any unknown one.
 */
export const dynamic = "force-dynamic";

export function GET(): Response {
  return Response.json({ ok: true }, { headers: { "cache-control": "no-store" } });
}
