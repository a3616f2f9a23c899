import type { RequestContext } from "./request-context";

/**
 * CSRF defence (ASVS 3.5): a browser request must come from our own origin.
 * Browsers always send Origin on POST; a request that rides on cookies
 * without one is refused unless the browser vouches for it with
 * `Sec-Fetch-Site: same-origin` (see below). API clients that send no
 * cookies and no Origin (curl, mobile apps) are not browsers and pass.
 *
 * One exception, `Origin: null` with `Sec-Fetch-Site: same-origin`: a page
 * whose referrer policy is no-referrer makes the browser send the literal
 * origin "null" on form navigations (Fetch, "serializing a request origin").
 * The magic-link page sets that policy, and the client-side redirect after
 * signing in keeps it for the rest of that document's life, so every
 * no-JavaScript form posted afterwards says "null". Sec-Fetch-Site is set by
 * the browser alone (no page can forge it) and vouches that the form was
 * ours; without it, "null" is refused like any other foreign origin.
 *
 * Browsers send no Origin on a same-origin GET (`fetch("/api/v1/session")`),
 * so a cookie-borne request without one passes when Sec-Fetch-Site says
 * same-origin; a POST from a browser always carries Origin and meets the
 * rule above.
 *
 * Shared by `execute` (every command) and the route handlers that take
 * bytes instead of JSON (lib/product/upload-http.ts), so there is one rule.
 */
export function originAllowed(
  appBaseUrl: string,
  request: Pick<RequestContext, "origin" | "fetchSite">,
  ridesOnCookies: boolean,
): boolean {
  const { origin, fetchSite } = request;
  if (fetchSite && fetchSite !== "same-origin" && fetchSite !== "none") return false;
  if (origin === "null") return fetchSite === "same-origin";
  if (origin !== null) return origin === originOf(appBaseUrl);
  return !ridesOnCookies || fetchSite === "same-origin";
}

/** AUTH_URL's origin, parsed once rather than on every command. */
let parsedBase = { url: "", origin: "" };

function originOf(appBaseUrl: string): string {
  if (parsedBase.url !== appBaseUrl) parsedBase = { url: appBaseUrl, origin: new URL(appBaseUrl).origin };
  return parsedBase.origin;
}
