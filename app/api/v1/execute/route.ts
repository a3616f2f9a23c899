import { handleExecuteRequest } from "@/lib/server/api-routes";

/** POST /api/v1/execute: the command API for non-browser clients (README "Command API"). */
export const POST = handleExecuteRequest;

export const dynamic = "force-dynamic";
