import type { Page } from "@playwright/test";
import { MAGIC_LINK_TTL_MINUTES } from "../lib/auth/core/email-challenge-lifetime";
import { isolate } from "../lib/i18n/isolate";
import { expect, test } from "./fixtures";
import { tabTo } from "./support/keyboard";
import { wrongCodeFor } from "./support/mail";
import type { Translator } from "./support/messages";

/**
 * Email sign-in, end to end, in every locale project: by link in the same
 * browser, by code in another browser or on the check-email page, after a
 * mail scanner, after expiry, with a wrong code and with the keyboard alone.
 * Everything is found by role and by the project's translated name.
 */

async function requestLink(page: Page, t: Translator, signInPath: string, email: string): Promise<void> {
  await page.goto(signInPath);
  await page.getByRole("textbox", { name: t("signIn.emailLabel"), exact: true }).fill(email);
  await page.getByRole("button", { name: t("signIn.submit"), exact: true }).click();
  await expect(page.getByRole("heading", { name: t("checkEmail.title"), exact: true })).toBeVisible();
  await expect(page.getByText(t("checkEmail.expiresIn", { minutes: MAGIC_LINK_TTL_MINUTES }), { exact: true })).toBeVisible();
}

async function expectSignedInAs(page: Page, t: Translator, homePath: string, email: string): Promise<void> {
  await expect(page).toHaveURL((url) => url.pathname === homePath);
  await expect(page.getByText(t("home.signedInAs", { email: isolate(email) }), { exact: true })).toBeVisible();
}

test("the link signs in the browser that asked for it, and signing out returns to sign-in", async ({
  page,
  t,
  tPattern,
  localePath,
  appLocale,
  baseURL,
  freshEmail,
  mailbox,
}) => {
  await requestLink(page, t, localePath("/sign-in"), freshEmail);
  const mail = await mailbox.receive(freshEmail);
  expect(mail.locale).toBe(appLocale);
  expect(mail.subject).toBe(t("email.magicLink.subject"));
  expect(mail.link).toMatch(new RegExp(`^${baseURL}/${appLocale}/magic-link\\?token=`));

  await page.goto(mail.link);
  const continueAs = page.getByRole("button", { name: tPattern("magicLink.continueAs") });
  // The page shows a masked address: the link's URL may leak, the address should not.
  await expect(continueAs).not.toContainText(freshEmail);
  await continueAs.click();
  await expectSignedInAs(page, t, localePath(""), freshEmail);
  // The session cookie is out of reach of scripts and of cross-site requests (ASVS 3.3).
  const sessionCookie = (await page.context().cookies()).find((cookie) => cookie.name.endsWith("authjs.session-token"));
  expect(sessionCookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });

  await page.getByRole("button", { name: t("home.signOut"), exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === localePath("/sign-in"));
  await expect(page.getByRole("heading", { name: t("signIn.title"), exact: true })).toBeVisible();
  await expect(page.getByRole("textbox", { name: t("signIn.emailLabel"), exact: true })).toBeVisible();
});

test("in another browser the link asks for the code, and only that browser is signed in", async ({
  page,
  otherBrowser,
  t,
  tPattern,
  localePath,
  freshEmail,
  mailbox,
}) => {
  await requestLink(page, t, localePath("/sign-in"), freshEmail);
  const mail = await mailbox.receive(freshEmail);

  await otherBrowser.goto(mail.link);
  await expect(otherBrowser.getByRole("heading", { name: t("magicLink.otherBrowserTitle"), exact: true })).toBeVisible();
  await expect(otherBrowser.getByRole("button", { name: t("magicLink.newLink"), exact: true })).toBeVisible();
  await expect(otherBrowser.getByRole("button", { name: tPattern("magicLink.continueAs") })).toHaveCount(0);
  await otherBrowser.getByRole("textbox", { name: t("checkEmail.codeLabel"), exact: true }).fill(mail.code);
  await otherBrowser.getByRole("button", { name: t("checkEmail.verify"), exact: true }).click();
  await expectSignedInAs(otherBrowser, t, localePath(""), freshEmail);

  await page.goto(localePath(""));
  await expect(page.getByRole("link", { name: t("home.guestCta"), exact: true })).toBeVisible();
  await expect(page.getByText(t("home.signedInAs", { email: isolate(freshEmail) }))).toHaveCount(0);
});

test("a mail scanner's GET and HEAD leave the link working", async ({
  page,
  request,
  t,
  tPattern,
  localePath,
  freshEmail,
  mailbox,
}) => {
  await requestLink(page, t, localePath("/sign-in"), freshEmail);
  const mail = await mailbox.receive(freshEmail);

  // What link scanners in mail gateways do before the person clicks.
  const scanned = await request.get(mail.link);
  expect(scanned.status()).toBe(200);
  // The page carries the token in its URL: it must never leave as a Referer (ASVS 14.2.1).
  expect(scanned.headers()["referrer-policy"]).toBe("no-referrer");
  // Nothing third-party may load beside the token, and HTTPS is pinned for a year.
  expect(scanned.headers()["content-security-policy"]).toContain("default-src 'self'");
  expect(scanned.headers()["strict-transport-security"]).toContain("max-age=31536000");
  const probed = await request.head(mail.link);
  expect(probed.status()).toBe(200);

  await page.goto(mail.link);
  await page.getByRole("button", { name: tPattern("magicLink.continueAs") }).click();
  await expectSignedInAs(page, t, localePath(""), freshEmail);
});

test("an expired link offers a new one, and the new link signs in", async ({
  page,
  t,
  tPattern,
  localePath,
  freshEmail,
  mailbox,
  expireChallengesFor,
}) => {
  await requestLink(page, t, localePath("/sign-in"), freshEmail);
  const expired = await mailbox.receive(freshEmail);
  await expireChallengesFor(freshEmail);

  await page.goto(expired.link);
  await expect(page.getByRole("heading", { name: t("magicLink.expiredTitle"), exact: true })).toBeVisible();
  await expect(page.getByText(t("magicLink.expired", { minutes: MAGIC_LINK_TTL_MINUTES }), { exact: true })).toBeVisible();
  await page.getByRole("button", { name: t("magicLink.requestFresh"), exact: true }).click();
  await expect(page.getByRole("heading", { name: t("checkEmail.title"), exact: true })).toBeVisible();

  const fresh = await mailbox.receive(freshEmail);
  expect(fresh.link).not.toBe(expired.link);
  await page.goto(fresh.link);
  await page.getByRole("button", { name: tPattern("magicLink.continueAs") }).click();
  await expectSignedInAs(page, t, localePath(""), freshEmail);
});

test("the code entered on the check-email page signs in", async ({ page, t, localePath, freshEmail, mailbox }) => {
  await requestLink(page, t, localePath("/sign-in"), freshEmail);
  const mail = await mailbox.receive(freshEmail);

  await page.getByRole("textbox", { name: t("checkEmail.codeLabel"), exact: true }).fill(mail.code);
  await page.getByRole("button", { name: t("checkEmail.verify"), exact: true }).click();
  await expectSignedInAs(page, t, localePath(""), freshEmail);
});

test("a wrong code shows the translated error in the locale's direction, and the right one still works", async ({
  page,
  t,
  localePath,
  appLocale,
  dir,
  freshEmail,
  mailbox,
}) => {
  await requestLink(page, t, localePath("/sign-in"), freshEmail);
  const mail = await mailbox.receive(freshEmail);
  const code = page.getByRole("textbox", { name: t("checkEmail.codeLabel"), exact: true });
  const verify = page.getByRole("button", { name: t("checkEmail.verify"), exact: true });

  await code.fill(wrongCodeFor(mail.code));
  await verify.click();
  await expect(page.getByRole("alert").filter({ hasText: t("errors.CODE_INVALID") })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", appLocale);
  await expect(page.locator("html")).toHaveAttribute("dir", dir);

  await code.fill(mail.code);
  await verify.click();
  await expectSignedInAs(page, t, localePath(""), freshEmail);
});

test("signing in with the keyboard alone", async ({ page, t, localePath, freshEmail, mailbox }) => {
  await page.goto(localePath("/sign-in"));
  const email = page.getByRole("textbox", { name: t("signIn.emailLabel"), exact: true });
  // The page's only task: the field has focus on arrival.
  await expect(email).toBeFocused();
  await page.keyboard.type(freshEmail);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: t("checkEmail.title"), exact: true })).toBeVisible();

  const mail = await mailbox.receive(freshEmail);
  const code = page.getByRole("textbox", { name: t("checkEmail.codeLabel"), exact: true });
  await tabTo(page, code);
  await page.keyboard.type(mail.code);
  await page.keyboard.press("Enter");
  await expectSignedInAs(page, t, localePath(""), freshEmail);
});
