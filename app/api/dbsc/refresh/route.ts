import { handleDbscRequest } from "@/lib/auth/devices/dbsc/dbsc-http";
import { dbscHttp } from "@/lib/server/api-routes";

/** POST /api/dbsc/refresh: native DBSC (docs/dbsc.md). */
export function POST(request: Request): Promise<Response> {
  const { deps, options } = dbscHttp();
  return handleDbscRequest(deps, request, options, "refresh");
}

export const dynamic = "force-dynamic";
