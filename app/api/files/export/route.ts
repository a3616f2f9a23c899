import { handleExport } from "@/lib/product/export-http";
import { fileHttpDeps, fileHttpOptions } from "@/lib/product/server-deps";

/** GET /api/files/export: all your own files as one streamed zip, after a `file.export` step-up; see lib/product/export-http.ts. */
export function GET(request: Request): Promise<Response> {
  return handleExport(fileHttpDeps(), request, fileHttpOptions());
}

export const dynamic = "force-dynamic";
