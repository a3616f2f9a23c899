import { expect, test } from "./fixtures";

/**
 * The security headers of next.config.mjs on every kind of response, not only
 * on pages: an API answer, a redirect, a static file and an unknown path.
 * Their rule's source is written `/(.*)` rather than `/:path*` (the comment
 * in next.config.mjs says why); this holds that it still covers every path.
 */

const EVERY_KIND_OF_PATH = [
  "/sign-in",
  "/api/v1/session",
  "/",
  "/robots.txt",
  "/no-such-page",
] as const;

for (const path of EVERY_KIND_OF_PATH) {
  test(`the security headers come with ${path}`, async ({
    request,
    localePath,
  }) => {
    const url = path === "/sign-in" ? localePath(path) : path;
    const response = await request.get(url, { maxRedirects: 0 });
    // The API answers 401 without a session, "/" redirects to a locale, the unknown path is a 404.
    expect(response.status(), url).toBeLessThan(500);
    const headers = response.headers();
    expect(headers["content-security-policy"]).toContain("default-src 'self'");
    expect(headers["content-security-policy"]).toContain(
      "frame-ancestors 'none'",
    );
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(headers["strict-transport-security"]).toContain("max-age=31536000");
  });
}

/**
 * Pages that show a sign-in link's owner or the development mailbox must stay
 * out of search results. They say so with a robots `noindex` tag, which a
 * crawler only reads if robots.txt lets it fetch the page; robots.txt keeps
 * crawlers off the API and nothing else.
 */
const PAGES_KEPT_OUT_OF_SEARCH = [
  "/magic-link?token=not-a-real-token",
  "/dev/mailbox",
] as const;

test("robots.txt keeps crawlers off the API but lets them read the noindex of pages that carry secrets", async ({
  request,
  localePath,
}) => {
  const robots = await request.get("/robots.txt");
  expect(robots.status()).toBe(200);
  const disallowed = (await robots.text())
    .split("\n")
    .map((line) => /^Disallow:\s*(\S+)/i.exec(line.trim())?.[1])
    .filter((path): path is string => path !== undefined);
  expect(disallowed).toContain("/api/");

  for (const path of PAGES_KEPT_OUT_OF_SEARCH) {
    const url = localePath(path);
    expect(
      disallowed.filter((prefix) => url.startsWith(prefix)),
      url,
    ).toEqual([]);
    const page = await request.get(url);
    expect(page.status(), url).toBe(200);
    expect(await page.text(), url).toMatch(
      /<meta name="robots" content="noindex, nofollow"\s*\/?>/,
    );
  }
});
