/**
 * The string at `path` in a JSON response body, or undefined when the body
 * is not JSON or holds something else there. The bench reads the server's
 * answers without trusting their shape, and cheaply: it shares the machine
 * with the server it measures.
 */
export function stringInJson(body: string, ...path: string[]): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === "string" ? value : undefined;
}
