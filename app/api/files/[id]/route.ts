import { handleDownload } from "@/lib/product/download-http";
import { fileHttpDeps, fileHttpOptions } from "@/lib/product/server-deps";

/** GET /api/files/:id: download a file you own or were approved for; 404 otherwise. */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  return handleDownload(fileHttpDeps(), request, id, fileHttpOptions());
}

export const dynamic = "force-dynamic";
