/**
 * `callbackUrl` values come from URLs anyone can craft, so only a same-origin
 * relative path survives (ASVS 3.7.2); anything else becomes the home page.
 *
 * Browsers treat `//evil.com`, `/\evil.com` and `/%2F%2Fevil.com` (after a
 * decode somewhere downstream) as other origins, and `https:evil.com` or
 * `javascript:` as absolute URLs; each is refused here rather than fixed up.
 */
export const DEFAULT_REDIRECT_PATH = "/";
const MAX_PATH_LENGTH = 512;

export function safeRedirectPath(value: unknown): string {
  if (typeof value !== "string" || value === "" || value.length > MAX_PATH_LENGTH) {
    return DEFAULT_REDIRECT_PATH;
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return DEFAULT_REDIRECT_PATH;
  }
  for (const candidate of [value, decoded]) {
    if (!candidate.startsWith("/")) return DEFAULT_REDIRECT_PATH;
    if (candidate.startsWith("//")) return DEFAULT_REDIRECT_PATH;
    if (candidate.includes("\\")) return DEFAULT_REDIRECT_PATH;
    // Control characters and whitespace: browsers strip some of them, which
    // can turn "/\t/evil.com" into "//evil.com".
    if (/[\u0000-\u001F\u007F\s]/.test(candidate)) return DEFAULT_REDIRECT_PATH;
  }
  // Final proof: resolved against a placeholder origin it must stay there.
  const resolved = new URL(value, "https://trustladder.invalid");
  if (resolved.origin !== "https://trustladder.invalid") return DEFAULT_REDIRECT_PATH;
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}
