import { expect, test } from "./fixtures";
import { addPasskeyInSettings, signInByLink } from "./support/journeys";

/**
 * A payout change (issue 20), in every locale project: the policy asks for
 * a passkey minutes old, the step-up dialog says why, and once confirmed
 * the same submission completes with what was typed.
 */
test("a payout change steps up with the passkey, then saves what was typed", async ({
  journey,
  page,
  t,
  localePath,
  freshEmail,
  virtualAuthenticator,
}) => {
  await signInByLink(journey, freshEmail);
  await addPasskeyInSettings(journey);
  expect(await virtualAuthenticator.credentialCount()).toBe(1);

  await page.goto(localePath("/payouts"));
  await expect(page.getByText(t("payouts.none"), { exact: true })).toBeVisible();
  await page.getByRole("textbox", { name: t("payouts.holderLabel"), exact: true }).fill("Ada Lovelace");
  await page.getByRole("textbox", { name: t("payouts.ibanLabel") }).fill("de89 3704 0044 0532 0130 00");
  await page.getByRole("combobox", { name: t("payouts.countryLabel"), exact: true }).selectOption("DE");
  await page.getByRole("button", { name: t("payouts.save"), exact: true }).click();

  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("heading", { name: t("stepUp.title"), exact: true })).toBeFocused();
  await expect(dialog.getByText(t("stepUp.why.payoutChange"), { exact: true })).toBeVisible();
  await dialog.getByRole("button", { name: t("stepUp.usePasskey"), exact: true }).click();

  // The retried submission saved what was typed; the page shows it masked.
  const current = page.getByRole("region", { name: t("payouts.currentTitle"), exact: true });
  await expect(current.getByText("DE89 •••• 3000", { exact: true })).toBeVisible();
  await expect(current.getByText("Ada Lovelace", { exact: true })).toBeVisible();
  await expect(dialog).toHaveCount(0);
  await page.reload();
  await expect(current.getByText("DE89 •••• 3000", { exact: true })).toBeVisible();
});
