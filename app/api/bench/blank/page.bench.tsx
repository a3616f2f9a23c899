/**
 * GET /api/bench/blank: a blank Next.js page, what the framework alone makes
 * a browser load (bench/client-js.ts). Under /api only because proxy.ts
 * leaves those paths alone: no locale redirect, no session cookie work.
 */
export default function BlankPage() {
  return <div />;
}
