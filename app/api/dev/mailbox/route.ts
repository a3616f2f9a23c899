import { readDevMailbox } from "@/lib/delivery/mailbox";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

/**
 * GET /api/dev/mailbox?to=<email> → [{ id, to, subject, text, html, locale, createdAt }],
 * newest first. It answers 404 unless under `next dev` or with DEV_MAILBOX=1
 * (lib/env.ts), so a deployment can never hand out sign-in links to whoever asks.
 */
export async function GET(request: Request): Promise<Response> {
  if (!env().devMailboxEnabled) return new Response("Not found", { status: 404 });
  const to = new URL(request.url).searchParams.get("to");
  const messages = await readDevMailbox(to);
  return Response.json(messages, { headers: { "cache-control": "no-store" } });
}
