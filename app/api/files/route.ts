import { fileHttpDeps, fileHttpOptions } from "@/lib/product/server-deps";
import { handleUpload } from "@/lib/product/upload-http";

/** POST /api/files: upload one file (multipart, field `file`); see lib/product/upload-http.ts. */
export function POST(request: Request): Promise<Response> {
  return handleUpload(fileHttpDeps(), request, fileHttpOptions());
}

export const dynamic = "force-dynamic";
