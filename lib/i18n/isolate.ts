/**
 * Wraps a left-to-right value (an email address, a browser name) in Unicode
 * first-strong isolates, so that inside an Arabic sentence it keeps its own
 * direction and does not reorder the words around it.
 */
export function isolate(value: string): string {
  return `\u2068${value}\u2069`;
}
