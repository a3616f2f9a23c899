import { expect, test } from "./fixtures";
import { signInByLink, type Journey } from "./support/journeys";

/**
 * Settings → Sessions (issue 19), in every locale project, at phone width:
 * a second browser signed in to the same account is listed beside this
 * one; ending it from here (with the keyboard) signs it out on its next
 * request, and so does "End all other sessions". The two browsers come
 * from two addresses, as two devices would (e2e/fixtures.ts).
 */

test.use({ viewport: { width: 375, height: 812 } });

test("another browser's session is listed, ended from here, and signed out on its next request", async ({
  journey,
  page,
  otherBrowser,
  t,
  localePath,
  freshEmail,
}) => {
  const elsewhere: Journey = { ...journey, page: otherBrowser };
  await signInByLink(journey, freshEmail);
  await signInByLink(elsewhere, freshEmail);

  await page.goto(localePath(""));
  const nav = page.getByRole("navigation", { name: t("nav.label"), exact: true });
  await nav.getByRole("link", { name: t("nav.sessions"), exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: t("sessions.title"), exact: true })).toBeVisible();
  const entries = page.getByRole("article");
  await expect(entries).toHaveCount(2);
  const thisOne = entries.filter({ has: page.getByText(t("sessions.thisDevice"), { exact: true }) });
  await expect(thisOne).toHaveCount(1);
  await expect(thisOne.getByRole("button")).toHaveCount(0);
  const other = entries.filter({ hasNot: page.getByText(t("sessions.thisDevice"), { exact: true }) });

  // End it with the keyboard.
  await other.getByRole("button", { name: t("sessions.end") }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: t("sessions.doneEnded") })).toBeVisible();
  await expect(entries).toHaveCount(1);
  await otherBrowser.goto(localePath("/settings/sessions"));
  await expect(otherBrowser).toHaveURL((url) => url.pathname === localePath("/sign-in"));

  // Signed in there again: "End all other sessions" ends it too, and this one stays.
  await signInByLink(elsewhere, freshEmail);
  await page.reload();
  await expect(entries).toHaveCount(2);
  await page.getByRole("button", { name: t("sessions.endOthers"), exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: t("sessions.doneEndedOthers") })).toBeVisible();
  await expect(entries).toHaveCount(1);
  await otherBrowser.goto(localePath("/settings/sessions"));
  await expect(otherBrowser).toHaveURL((url) => url.pathname === localePath("/sign-in"));
  await page.goto(localePath("/settings/sessions"));
  await expect(page.getByRole("heading", { level: 1, name: t("sessions.title"), exact: true })).toBeVisible();
});
