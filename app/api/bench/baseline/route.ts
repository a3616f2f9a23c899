/**
 * GET /api/bench/baseline: the cheapest dynamic route the framework can
 * serve, so `npm run bench` can express each command's throughput as a share
 * of what Next.js itself manages on the same machine in the same run.
 * It exists only when BENCH_ROUTES=1 (set by bench/run.ts); everywhere else
 * it answers 404 like any unknown path.
 */
export const dynamic = "force-dynamic";

export function GET(): Response {
  // Bench-only switch, deliberately outside lib/env.ts: it configures no
  // behaviour of the app, and the route must stay as cheap as a route can be.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.BENCH_ROUTES !== "1") return new Response("Not found", { status: 404 });
  return Response.json({ ok: true }, { headers: { "cache-control": "no-store" } });
}
