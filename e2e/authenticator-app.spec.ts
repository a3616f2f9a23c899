import { secretFromManualKey, totpCodeAt } from "../lib/auth/totp/totp-code";
import { expect, test } from "./fixtures";
import { signInByLink } from "./support/journeys";

/**
 * An authenticator app (issue 20), in every locale project: enrolled from
 * the setup key typed by hand (as a person who cannot scan would), then a
 * step-up with one of its codes. The codes are computed here, as the app
 * would, from the key the page shows.
 */
test("an authenticator app added from its setup key confirms a step-up with its code", async ({ journey, page, t, localePath, freshEmail }) => {
  await signInByLink(journey, freshEmail);
  await page.goto(localePath("/settings/security"));
  await page.getByRole("button", { name: t("totp.add"), exact: true }).click();

  const key = await page.locator("code[aria-describedby='totp-manual-title']").innerText();
  const secret = secretFromManualKey(key);
  expect(secret).not.toBeNull();
  const codeAt = (offsetSeconds: number) => totpCodeAt(secret as Uint8Array, new Date(Date.now() + offsetSeconds * 1000));

  await page.getByRole("textbox", { name: t("totp.codeLabel"), exact: true }).fill(codeAt(0));
  await page.getByRole("button", { name: t("totp.confirm"), exact: true }).click();
  await expect(page.getByText(t("totp.added"), { exact: true })).toBeVisible();

  // The app is the account's only strong factor: the step-up offers it, and only it.
  await page.goto(localePath(`/step-up?action=file.view_private&returnTo=${encodeURIComponent(localePath("/files"))}`));
  await expect(page.getByRole("button", { name: t("stepUp.usePasskey"), exact: true })).toHaveCount(0);
  // The code of the next time step: the one just used is never accepted twice.
  await page.getByRole("textbox", { name: t("stepUp.appCodeLabel"), exact: true }).fill(codeAt(30));
  await page.getByRole("button", { name: t("stepUp.useApp"), exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === localePath("/files"));
});
