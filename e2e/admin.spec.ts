import { expect, test } from "./fixtures";
import { boundSessions, makeAdmin } from "./support/database";
import { addPasskeyInSettings, signInByLink } from "./support/journeys";

/**
 * The admin area (issues 19 and 20), in every locale project: `admin.view`
 * needs the admin role, a trusted device and a passkey proof within the
 * hour (the passkey used on this device is what trusts it); its policy
 * simulator shows a decision and the rules that fired.
 */
test("an admin steps up with a passkey, then simulates the policy", async ({
  journey,
  page,
  t,
  localePath,
  freshEmail,
  e2eDatabase,
  virtualAuthenticator,
}) => {
  await signInByLink(journey, freshEmail);
  await addPasskeyInSettings(journey);
  expect(await virtualAuthenticator.credentialCount()).toBe(1);
  await makeAdmin(e2eDatabase, freshEmail);
  // The browser binds its session to its device key in the background.
  await expect.poll(() => boundSessions(e2eDatabase, freshEmail)).toBe(1);

  // The workspace's navigation offers the admin area to an admin.
  await page.goto(localePath("/files"));
  const nav = page.getByRole("navigation", { name: t("nav.label"), exact: true });
  await nav.getByRole("link", { name: t("nav.admin"), exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === localePath("/step-up"));
  await expect(page.getByText(t("stepUp.why.adminView"), { exact: true })).toBeVisible();
  await expect(page.getByText(t("stepUp.untrustedDevice"), { exact: true })).toBeVisible();
  await page.getByRole("button", { name: t("stepUp.usePasskey"), exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: t("admin.title"), exact: true })).toBeVisible();
  await expect(page.getByText(freshEmail, { exact: true })).toBeVisible();

  await page.getByRole("combobox", { name: t("admin.action"), exact: true }).selectOption("payout.change");
  await page.getByRole("checkbox", { name: t("admin.factors.passkey"), exact: true }).check();
  await page.getByRole("checkbox", { name: t("admin.flags.anonymizer"), exact: true }).check();
  await page.getByRole("button", { name: t("admin.simulate"), exact: true }).click();
  await expect(page.getByRole("heading", { name: t("admin.decisions.step_up"), exact: true })).toBeVisible();
  await expect(page.getByText(t("policy.reasons.anonymizer"))).toBeVisible();
});

test("someone without the admin role is told so, not offered a step-up", async ({ journey, page, t, localePath, freshEmail }) => {
  await signInByLink(journey, freshEmail);
  await page.goto(localePath("/files"));
  const nav = page.getByRole("navigation", { name: t("nav.label"), exact: true });
  await expect(nav.getByRole("link", { name: t("nav.files"), exact: true })).toBeVisible();
  await expect(nav.getByRole("link", { name: t("nav.admin"), exact: true })).toHaveCount(0);
  await page.goto(localePath("/admin"));
  await expect(page.getByRole("main").getByRole("alert")).toContainText(t("policy.reasons.role_required"));
  await expect(page.getByRole("heading", { level: 1, name: t("admin.title"), exact: true })).toHaveCount(0);
});
