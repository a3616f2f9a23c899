import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import type { Translator } from "./support/messages";
import { boundSessions, expireGrants } from "./support/database";
import { addPasskeyInSettings, signInByLink } from "./support/journeys";

/**
 * A payout change (issues 19 and 20), in every locale project: the policy
 * wants a trusted device and a confirmation minutes old. The first change
 * is made on a device no passkey has vouched for yet, so the dialog says so
 * and asks for the passkey, which trusts the device; the next one, once
 * that confirmation has run out, is confirmed on this trusted device. Each
 * time the same submission completes with what was typed.
 */
test("a payout change trusts this device with the passkey, and the next one is confirmed on the device", async ({
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
  // The browser binds its session to its device key in the background.
  await expect.poll(() => boundSessions(e2eDatabase, freshEmail)).toBe(1);

  await page.goto(localePath("/payouts"));
  await expect(page.getByText(t("payouts.none"), { exact: true })).toBeVisible();
  await fillPayout(page, t, { holder: "Ada Lovelace", iban: "de89 3704 0044 0532 0130 00", country: "DE" });

  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("heading", { name: t("stepUp.title"), exact: true })).toBeFocused();
  await expect(dialog.getByText(t("stepUp.why.payoutChange"), { exact: true })).toBeVisible();
  await expect(dialog.getByText(t("stepUp.untrustedDevice"), { exact: true })).toBeVisible();
  await expect(dialog.getByRole("button", { name: t("stepUp.useDevice"), exact: true })).toHaveCount(0);
  await dialog.getByRole("button", { name: t("stepUp.usePasskey"), exact: true }).click();

  // The retried submission saved what was typed; the page shows it masked.
  const current = page.getByRole("region", { name: t("payouts.currentTitle"), exact: true });
  await expect(current.getByText("DE89 •••• 3000", { exact: true })).toBeVisible();
  await expect(current.getByText("Ada Lovelace", { exact: true })).toBeVisible();
  await expect(dialog).toHaveCount(0);
  await page.reload();
  await expect(current.getByText("DE89 •••• 3000", { exact: true })).toBeVisible();

  // The passkey used on this device made it trusted.
  await page.goto(localePath("/settings/devices"));
  const thisDevice = page.getByRole("article").filter({ has: page.getByText(t("devicesPage.thisDevice"), { exact: true }) });
  await expect(thisDevice.getByText(t("devicesPage.trust.trusted"), { exact: true })).toBeVisible();

  // Later (the five-minute confirmation has run out), a change is confirmed on this device alone.
  expect(await expireGrants(e2eDatabase, freshEmail)).toBeGreaterThan(0);
  await page.goto(localePath("/payouts"));
  await fillPayout(page, t, { holder: "Ada King", iban: "GB82 WEST 1234 5698 7654 32", country: "GB" });
  await expect(dialog.getByText(t("stepUp.untrustedDevice"), { exact: true })).toHaveCount(0);
  await dialog.getByRole("button", { name: t("stepUp.useDevice"), exact: true }).click();
  await expect(current.getByText("GB82 •••• 5432", { exact: true })).toBeVisible();
  await expect(current.getByText("Ada King", { exact: true })).toBeVisible();
  await expect(dialog).toHaveCount(0);
});

test("a browser with no device key is told why it cannot change payouts, and what to do", async ({ journey, page, t, localePath, freshEmail }) => {
  // As in a private window that cannot keep a key: no IndexedDB at all.
  await page.addInitScript(() => Object.defineProperty(window, "indexedDB", { value: undefined }));
  await signInByLink(journey, freshEmail);
  await page.goto(localePath("/payouts"));
  await fillPayout(page, t, { holder: "Ada Lovelace", iban: "de89 3704 0044 0532 0130 00", country: "DE" });
  await expect(page.getByRole("main").getByRole("alert")).toContainText(t("policy.reasons.no_device_key"));
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(page.getByText(t("payouts.none"), { exact: true })).toBeVisible();
});

async function fillPayout(page: Page, t: Translator, payout: { holder: string; iban: string; country: string }) {
  await page.getByRole("textbox", { name: t("payouts.holderLabel"), exact: true }).fill(payout.holder);
  await page.getByRole("textbox", { name: t("payouts.ibanLabel") }).fill(payout.iban);
  await page.getByRole("combobox", { name: t("payouts.countryLabel"), exact: true }).selectOption(payout.country);
  await page.getByRole("button", { name: t("payouts.save"), exact: true }).click();
}
