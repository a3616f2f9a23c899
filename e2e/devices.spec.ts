import { expect, test } from "./fixtures";
import { listMailbox } from "./support/mail";
import { signInByLink, type Journey } from "./support/journeys";

/**
 * Devices and bound sessions (issue 19), in every locale project, at phone
 * width: a signed-in browser registers its device key and binds its session
 * in the background; Settings → Devices shows it, renames it and removes
 * it. A session cookie copied into another browser, which lacks the key,
 * is refused its first proof: the session ends for both, and the account
 * is emailed.
 */

test.use({ viewport: { width: 375, height: 812 } });

test("this browser's device is listed once bound, renamed, and removed (which signs it out)", async ({ journey, page, t, localePath, freshEmail }) => {
  await signInByLink(journey, freshEmail);
  const entries = page.getByRole("article");
  const thisDevice = entries.filter({ has: page.getByText(t("devicesPage.thisDevice"), { exact: true }) });
  // The key is made and proved in the background: the page shows it once the session is bound.
  await expect(async () => {
    await page.goto(localePath("/settings/devices"));
    await expect(thisDevice).toHaveCount(1, { timeout: 1_000 });
  }).toPass();
  await expect(thisDevice.getByText(t("devicesPage.trust.new"), { exact: true })).toBeVisible();

  await thisDevice.getByRole("textbox", { name: t("devicesPage.nameLabel") }).fill("Phone in my pocket");
  await thisDevice.getByRole("button", { name: t("devicesPage.rename") }).press("Enter");
  await expect(page.getByRole("status").filter({ hasText: t("devicesPage.doneRenamed") })).toBeVisible();
  await expect(entries.filter({ hasText: "Phone in my pocket" })).toHaveCount(1);

  await page.screenshot({ path: test.info().outputPath("devices-375.png"), fullPage: true });
  await thisDevice.getByRole("button", { name: t("devicesPage.revoke") }).click();
  await expect(page).toHaveURL((url) => url.pathname === localePath("/sign-in"));
});

test("a session cookie copied to another browser is ended at its first proof, and the account is told", async ({
  journey,
  page,
  otherBrowser,
  t,
  localePath,
  freshEmail,
  request,
}) => {
  await signInByLink(journey, freshEmail);
  await expect(async () => {
    await page.goto(localePath("/settings/devices"));
    await expect(page.getByText(t("devicesPage.thisDevice"), { exact: true })).toHaveCount(1, { timeout: 1_000 });
  }).toPass();

  // The thief has the cookies, not the key in this browser's IndexedDB.
  await otherBrowser.context().addCookies(await page.context().cookies());
  const thief: Journey = { ...journey, page: otherBrowser };
  await thief.page.goto(localePath("/files"));
  await expect(async () => {
    await otherBrowser.goto(localePath("/settings/sessions"));
    await expect(otherBrowser).toHaveURL((url) => url.pathname === localePath("/sign-in"), { timeout: 1_000 });
  }).toPass();
  await page.goto(localePath("/settings/sessions"));
  await expect(page).toHaveURL((url) => url.pathname === localePath("/sign-in"));

  const subject = t("email.sessionUsedElsewhere.subject");
  await expect.poll(async () => (await listMailbox(request, freshEmail)).some((message) => message.subject === subject)).toBe(true);
});
