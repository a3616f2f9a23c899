import { describe, expect, it } from "vitest";
import { MAGIC_LINK_TTL_MINUTES } from "../../auth/core/email-challenge-lifetime";
import { LOCALES } from "../../i18n/locales";
import { renderMagicLinkEmail } from "./render-magic-link-email";

const LINK = "http://localhost:3000/es/magic-link?token=abc_DEF-123";

describe("the sign-in email", () => {
  it.each(LOCALES)("carries the link, the code and the request's context in %s, with nothing left unfilled", async (locale) => {
    const email = await renderMagicLinkEmail(locale, {
      link: LINK,
      code: "012345",
      browser: "Firefox · Windows",
      country: "ES",
      requestedAt: new Date("2026-03-29T01:59:59.123Z"),
    });
    expect(email.subject.length).toBeGreaterThan(0);
    for (const body of [email.html, email.text]) {
      expect(body).toContain(LINK);
      expect(body).toContain("012345");
      expect(body).toContain("Firefox · Windows");
      expect(body).toContain("2026");
      expect(body).not.toMatch(/__TL_[A-Z]+__/);
      // A message missing its argument would show as its key ("email.magicLink.intro").
      expect(body).not.toContain("email.magicLink");
    }
    expect(email.html).toContain(`href="${LINK}"`);
  });

  it("escapes what the requester controls in the HTML, and leaves the text as typed", async () => {
    const hostile = `"><script>alert('x')</script>&`;
    const email = await renderMagicLinkEmail("en", {
      link: LINK,
      code: "999999",
      browser: hostile,
      country: null,
      requestedAt: new Date("2026-03-29T01:59:59.123Z"),
    });
    expect(email.html).not.toContain("<script>");
    expect(email.html).toContain("&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;");
    expect(email.text).toContain(hostile);
  });

  it("states the lifetime the link really has", async () => {
    const email = await renderMagicLinkEmail("en", {
      link: LINK,
      code: "123123",
      browser: "Safari · iOS",
      country: null,
      requestedAt: new Date("2026-03-29T01:59:59Z"),
    });
    expect(email.text).toContain(`The link works once, for ${MAGIC_LINK_TTL_MINUTES} minutes.`);
  });

  it("says where the request came from only when the place is known", async () => {
    const values = { link: LINK, code: "111111", browser: "Safari · iOS", requestedAt: new Date("2026-03-29T01:59:59Z") };
    const known = await renderMagicLinkEmail("en", { ...values, country: "JP" });
    const unknown = await renderMagicLinkEmail("en", { ...values, country: null });
    expect(known.text).toContain("Japan");
    expect(unknown.text).not.toContain("Japan");
  });
});
