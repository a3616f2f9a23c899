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

/** Addresses of this spec's own (documentation ranges), so its sign-ins leave the shared rate-limit budget alone. */
const CLIENT_IPS = { en: ["192.0.2.20", "198.51.100.20"], es: ["192.0.2.21", "198.51.100.21"], ar: ["192.0.2.22", "198.51.100.22"] } as const;

test("this browser's device is listed once bound, renamed, and removed (which signs it out)", async ({ journey, page, t, localePath, appLocale, freshEmail }) => {
  await page.context().setExtraHTTPHeaders({ "x-forwarded-for": CLIENT_IPS[appLocale][0] });
  await signInByLink(journey, freshEmail);
  const entries = page.getByRole("article");
  const thisDevice = entries.filter({ has: page.getByText(t("devices.thisDevice"), { exact: true }) });
  // The key is made and proved in the background: the page shows it once the session is bound.
  await expect(async () => {
    await page.goto(localePath("/settings/devices"));
    await expect(thisDevice).toHaveCount(1, { timeout: 1_000 });
  }).toPass();
  await expect(thisDevice.getByText(t("devices.trust.new"), { exact: true })).toBeVisible();

  await thisDevice.getByRole("textbox", { name: t("devices.nameLabel") }).fill("Phone in my pocket");
  await thisDevice.getByRole("button", { name: t("devices.rename") }).press("Enter");
  await expect(page.getByRole("status").filter({ hasText: t("devices.doneRenamed") })).toBeVisible();
  await expect(entries.filter({ hasText: "Phone in my pocket" })).toHaveCount(1);

  await page.screenshot({ path: test.info().outputPath("devices-375.png"), fullPage: true });
  await thisDevice.getByRole("button", { name: t("devices.revoke") }).click();
  await expect(page).toHaveURL((url) => url.pathname === localePath("/sign-in"));
});

test("a session cookie copied to another browser is ended at its first proof, and the account is told", async ({
  journey,
  page,
  otherBrowser,
  t,
  localePath,
  appLocale,
  freshEmail,
  request,
}) => {
  const [here, there] = CLIENT_IPS[appLocale];
  await page.context().setExtraHTTPHeaders({ "x-forwarded-for": here });
  await otherBrowser.context().setExtraHTTPHeaders({ "x-forwarded-for": there });
  await signInByLink(journey, freshEmail);
  await expect(async () => {
    await page.goto(localePath("/settings/devices"));
    await expect(page.getByText(t("devices.thisDevice"), { exact: true })).toHaveCount(1, { timeout: 1_000 });
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
