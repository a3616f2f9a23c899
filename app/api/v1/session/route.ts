import { handleSessionRequest } from "@/lib/server/api-routes";

/**
 * GET /api/v1/session: the signed-in session, as AUTH.SESSION.GET answers it
 * (README "Command API"), for clients that check it often. Other methods get
 * Next.js's 405.
 */
export const GET = handleSessionRequest;

export const dynamic = "force-dynamic";
