import { secretFromManualKey, totpCodeAt } from "../lib/auth/totp/totp-code";
import { isolate } from "../lib/i18n/isolate";
import type { Browser } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signInByLink, type Journey } from "./support/journeys";
import type { ClientAddresses } from "./support/client-address";

/**
 * The header scripts/e2e-server.sh names as its trusted edge's country
 * (COUNTRY_HEADER): the journeys play the edge.
 */
const COUNTRY_HEADER = "x-e2e-country";
/** Another browser on another platform: a new device, as far as the policy can tell. */
const OTHER_DEVICE_UA =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";

/**
 * A person who signed in from France and added an authenticator app from
 * its setup key (as in authenticator-app.spec.ts): the code the app shows
 * `offsetSeconds` from now.
 */
async function accountWithAppFromFrance(journey: Journey, email: string) {
  const { page, t, localePath } = journey;
  await page.setExtraHTTPHeaders({ [COUNTRY_HEADER]: "FR" });
  await signInByLink(journey, email);
  await page.goto(localePath("/settings/security"));
  await page.getByRole("button", { name: t("totp.add"), exact: true }).click();
  const key = await page.locator("code[aria-describedby='totp-manual-title']").innerText();
  const secret = secretFromManualKey(key);
  expect(secret).not.toBeNull();
  const codeAt = (offsetSeconds: number) => totpCodeAt(secret as Uint8Array, new Date(Date.now() + offsetSeconds * 1000));
  await page.getByRole("textbox", { name: t("totp.codeLabel"), exact: true }).fill(codeAt(0));
  await page.getByRole("button", { name: t("totp.confirm"), exact: true }).click();
  await expect(page.getByText(t("totp.added"), { exact: true })).toBeVisible();
  return codeAt;
}

/**
 * Another device in Australia, on a phone-sized screen, from an address of
 * its own (the test's `otherBrowser` one: fixtures.ts says why). A
 * browser.newContext() in a test gets the project's `use` options (baseURL,
 * locale), but headers given here replace the fixture's.
 */
function contextInAustralia(browser: Browser, clientIps: ClientAddresses) {
  return browser.newContext({
    extraHTTPHeaders: { [COUNTRY_HEADER]: "AU", "x-forwarded-for": clientIps.otherBrowser },
    userAgent: OTHER_DEVICE_UA,
    viewport: { width: 375, height: 740 },
  });
}

/**
 * An escalated sign-in on an account with an authenticator app (issue 20),
 * in every locale project: the account signs in from France and adds an
 * app; a sign-in from another device in Australia is not finished by the
 * email link alone, but by the link and the app's code, typed with the
 * keyboard on a 375 px wide screen.
 */
test("a sign-in from a new device and country asks for the authenticator app's code", async ({
  browser,
  clientIps,
  journey,
  t,
  tPattern,
  localePath,
  mailbox,
  freshEmail,
}) => {
  const codeAt = await accountWithAppFromFrance(journey, freshEmail);
  const away = await contextInAustralia(browser, clientIps);
  try {
    const phone = await away.newPage();
    await phone.goto(localePath("/sign-in"));
    await phone.getByRole("textbox", { name: t("signIn.emailLabel"), exact: true }).fill(freshEmail);
    await phone.getByRole("button", { name: t("signIn.submit"), exact: true }).click();
    await expect(phone.getByRole("heading", { name: t("checkEmail.title"), exact: true })).toBeVisible();
    const mail = await mailbox.receive(freshEmail);
    await phone.goto(mail.link);
    await phone.getByRole("button", { name: tPattern("magicLink.continueAs") }).click();

    // No session yet: the step says why and asks for the app's code, which has the focus.
    await expect(phone.getByText(t("signInSecondFactor.why"), { exact: true })).toBeVisible();
    const codeField = phone.getByRole("textbox", { name: t("signInSecondFactor.codeLabel"), exact: true });
    await expect(codeField).toBeFocused();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    // A wrong code: told beside the field, in this language; the link still works.
    const right = codeAt(30);
    await phone.keyboard.type(right === "000000" ? "111111" : "000000");
    await phone.keyboard.press("Enter");
    await expect(phone.getByText(t("errors.SECOND_FACTOR_INVALID"), { exact: true })).toBeVisible();

    // The code of the next time step (the enrolment's was used), by keyboard again.
    await codeField.fill("");
    await codeField.focus();
    await phone.keyboard.type(right);
    await phone.keyboard.press("Enter");
    await expect(phone.getByText(t("home.signedInAs", { email: isolate(freshEmail) }), { exact: true })).toBeVisible();
    // The session's latest proof is the app's.
    await expect(phone.getByText(t("methods.totp"), { exact: true })).toBeVisible();
  } finally {
    await away.close();
  }
});

test("by the email's code on the sign-in page, the app's code is asked for next and the email's is not typed again", async ({
  browser,
  clientIps,
  journey,
  t,
  localePath,
  mailbox,
  freshEmail,
}) => {
  const codeAt = await accountWithAppFromFrance(journey, freshEmail);
  const away = await contextInAustralia(browser, clientIps);
  try {
    const phone = await away.newPage();
    await phone.goto(localePath("/sign-in"));
    await phone.getByRole("textbox", { name: t("signIn.emailLabel"), exact: true }).fill(freshEmail);
    await phone.getByRole("button", { name: t("signIn.submit"), exact: true }).click();
    // Asked for: the newest email is the sign-in one, not the notice that the app was added.
    await expect(phone.getByRole("heading", { name: t("checkEmail.title"), exact: true })).toBeVisible();
    const mail = await mailbox.receive(freshEmail);
    await phone.getByRole("textbox", { name: t("checkEmail.codeLabel"), exact: true }).fill(mail.code);
    await phone.getByRole("button", { name: t("checkEmail.verify"), exact: true }).click();

    await expect(phone.getByText(t("signInSecondFactor.why"), { exact: true })).toBeVisible();
    await expect(phone.getByRole("textbox", { name: t("checkEmail.codeLabel"), exact: true })).toHaveCount(0);
    await phone.getByRole("textbox", { name: t("signInSecondFactor.codeLabel"), exact: true }).fill(codeAt(30));
    await phone.getByRole("button", { name: t("signInSecondFactor.submit"), exact: true }).click();
    await expect(phone.getByText(t("home.signedInAs", { email: isolate(freshEmail) }), { exact: true })).toBeVisible();
  } finally {
    await away.close();
  }
});
