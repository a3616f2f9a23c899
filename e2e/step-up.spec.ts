import { expect, test } from "./fixtures";
import { addPasskeyInSettings, signInByLink } from "./support/journeys";

/**
 * The step-up screen (issue 20), in every locale project: it says why,
 * offers the passkey (never email), and brings the person back where they
 * were; inside the action's window it does not ask again; an action the
 * policy refuses is explained, and `returnTo` cannot leave the site.
 */
test("a protected page's step-up says why, confirms with the passkey, and returns; inside the window it does not ask again", async ({
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

  const stepUp = localePath(`/step-up?action=file.view_private&returnTo=${encodeURIComponent(localePath("/files"))}`);
  await page.goto(stepUp);
  await expect(page.getByRole("heading", { level: 1, name: t("stepUp.pageTitle"), exact: true })).toBeVisible();
  await expect(page.getByText(t("stepUp.why.fileViewPrivate"), { exact: true })).toBeVisible();
  // Email is never offered for a step-up.
  await expect(page.getByRole("button", { name: t("reauth.send"), exact: true })).toHaveCount(0);
  await page.getByRole("button", { name: t("stepUp.usePasskey"), exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === localePath("/files"));

  // The grant holds: the same step-up page sends the person straight on.
  await page.goto(stepUp);
  await expect(page).toHaveURL((url) => url.pathname === localePath("/files"));
});

test("an action the policy refuses is explained, with what to do next", async ({ journey, page, t, localePath, freshEmail }) => {
  await signInByLink(journey, freshEmail);
  await page.goto(localePath("/step-up?action=admin.view&returnTo=%2F"));
  await expect(page.getByRole("main").getByRole("alert")).toContainText(t("policy.reasons.role_required"));
  // An account without a strong factor is told to add one, not offered email.
  await page.goto(localePath("/step-up?action=file.export&returnTo=%2F"));
  await expect(page.getByRole("main").getByRole("alert")).toContainText(t("policy.reasons.no_strong_factor"));
});

test("returnTo cannot send the person to another site", async ({ journey, page, localePath, freshEmail }) => {
  await signInByLink(journey, freshEmail);
  const origin = new URL(page.url()).origin;
  // A fresh email sign-in may add a first factor: the page moves straight on, but only within the site.
  for (const away of ["https://evil.example/", "//evil.example/", "/\\evil.example/"]) {
    await page.goto(localePath(`/step-up?action=security.factor.add&returnTo=${encodeURIComponent(away)}`));
    await expect(page).toHaveURL((url) => url.origin === origin && !url.pathname.includes("evil"));
  }
});
