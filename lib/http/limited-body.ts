/**
 * A request body's bytes, or null once they pass `limit`. Counts bytes, not
 * characters, and stops reading there: a chunked body declares no length,
 * and `request.text()` or `formData()` would buffer all of it first.
 * Shared by the JSON command API and the upload route.
 */
export async function readAtMost(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    total += next.value.byteLength;
    if (total > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks);
}
