import { describe, expect, it } from "vitest";
import { LOCALES } from "../../i18n/locales";
import { messagesByLocale } from "../../i18n/messages";
import { factorChangeEmail, type FactorChange } from "./passkey-notifications";

const deps = { appBaseUrl: "http://localhost:3000" };
const changes: FactorChange[] = ["passkeyAdded", "passkeyRemoved"];

describe("the email a factor change sends", () => {
  it.each(LOCALES.flatMap((locale) => changes.map((change) => [locale, change] as const)))("in %s, for %s", async (locale, change) => {
    const email = await factorChangeEmail(deps, {
      change,
      user: { email: "owner@example.com", locale },
      fallbackLocale: "en",
      passkeyName: "Work <b>laptop</b>",
      device: "Firefox · Windows",
    });
    const messages = messagesByLocale[locale].email[change];
    expect(email).toMatchObject({ to: "owner@example.com", locale, subject: messages.subject });
    expect(email.template).toBe(change === "passkeyAdded" ? "passkey-added" : "passkey-removed");
    // The person can tell which passkey and where from; a name stays text.
    expect(email.text).toContain("Work <b>laptop</b>");
    expect(email.html).not.toContain("<b>laptop</b>");
    expect(email.text).toContain("Firefox · Windows");
    expect(email.text).toContain(`http://localhost:3000/${locale}/settings/security`);
    expect(email.html).toContain(`dir="${locale === "ar" ? "rtl" : "ltr"}"`);
  });

  it("falls back to the request's language for an account that never stored one", async () => {
    const email = await factorChangeEmail(deps, {
      change: "passkeyAdded",
      user: { email: "owner@example.com", locale: null },
      fallbackLocale: "ar",
      passkeyName: "Phone",
      device: "Safari · iOS",
    });
    expect(email.locale).toBe("ar");
  });
});
