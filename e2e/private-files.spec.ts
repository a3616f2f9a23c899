import { readFile } from "node:fs/promises";
import { isolate } from "../lib/i18n/isolate";
import { readZip } from "../lib/product/testing/read-zip";
import { expect, test } from "./fixtures";
import { addPasskeyInSettings, signInByLink } from "./support/journeys";

/**
 * Private files and the zip export (issue 20), in every locale project, at
 * phone width: a file marked private (with the keyboard) shows its badge;
 * opening it steps up with the passkey and the file arrives; inside the
 * 12 h window it opens straight away and can be made not private without
 * another prompt; "Export all files" is its own action, so it steps up
 * again, and the zip that arrives holds the file.
 */

test.use({ viewport: { width: 375, height: 812 } });

test("a private file opens after a passkey step-up, then without one; the export steps up and holds the file", async ({
  journey,
  page,
  t,
  localePath,
  appLocale,
  freshEmail,
  virtualAuthenticator,
}) => {
  const fileName = `private-${appLocale}.txt`;
  const contents = `Only for me (${appLocale})\n`;
  await signInByLink(journey, freshEmail);
  await addPasskeyInSettings(journey);
  expect(await virtualAuthenticator.credentialCount()).toBe(1);

  await page.goto(localePath("/files"));
  await page.getByLabel(t("files.fileLabel"), { exact: true }).setInputFiles({ name: fileName, mimeType: "text/plain", buffer: Buffer.from(contents) });
  await page.getByRole("button", { name: t("files.upload"), exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: t("files.doneUploaded") })).toBeVisible();
  const file = page.getByRole("article", { name: fileName });
  await expect(file.getByText(t("files.privacy.badge"), { exact: true })).toHaveCount(0);

  // Make it private from the keyboard.
  const makePrivate = file.getByRole("button", { name: `${t("files.privacy.makePrivate")} ${isolate(fileName)}`, exact: true });
  // Enabled once the page's script runs (components/product/privacy-toggle.tsx).
  await expect(makePrivate).toBeEnabled();
  await makePrivate.focus();
  await page.keyboard.press("Enter");
  await expect(file.getByRole("status").filter({ hasText: t("files.privacy.donePrivate") })).toBeVisible();
  await expect(file.getByText(t("files.privacy.badge"), { exact: true })).toBeVisible();
  await page.reload();
  await expect(file.getByText(t("files.privacy.badge"), { exact: true })).toBeVisible();

  // Opening it: the step-up page says why, the passkey confirms, the file arrives.
  const downloadLink = file.getByRole("link", { name: t("files.downloadName", { name: isolate(fileName) }), exact: true });
  await downloadLink.click();
  await expect(page).toHaveURL((url) => url.pathname === localePath("/step-up"));
  await expect(page.getByText(t("stepUp.why.fileViewPrivate"), { exact: true })).toBeVisible();
  const [stepped] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: t("stepUp.usePasskey"), exact: true }).click(),
  ]);
  expect(stepped.suggestedFilename()).toBe(fileName);
  expect(await readFile(await stepped.path(), "utf8")).toBe(contents);

  // Inside the 12 h window: no prompt, straight to the file.
  await page.goto(localePath("/files"));
  const [again] = await Promise.all([page.waitForEvent("download"), downloadLink.click()]);
  expect(await readFile(await again.path(), "utf8")).toBe(contents);
  await expect(page).toHaveURL((url) => url.pathname === localePath("/files"));

  // Export is another action: its own step-up, then a zip holding the file.
  await page.getByRole("link", { name: t("files.export.link"), exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === localePath("/step-up"));
  await expect(page.getByText(t("stepUp.why.fileExport"), { exact: true })).toBeVisible();
  const [exported] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: t("stepUp.usePasskey"), exact: true }).click(),
  ]);
  expect(exported.suggestedFilename()).toMatch(/^trustladder-files-\d{4}-\d{2}-\d{2}\.zip$/);
  const entries = await readZip(await readFile(await exported.path()));
  expect(entries.map((entry) => [entry.name, entry.bytes.toString("utf8")])).toEqual([[fileName, contents]]);

  // The view grant still holds, so making it not private asks for nothing more.
  await page.goto(localePath("/files"));
  await file.getByRole("button", { name: `${t("files.privacy.makeNotPrivate")} ${isolate(fileName)}`, exact: true }).click();
  await expect(file.getByRole("status").filter({ hasText: t("files.privacy.doneNotPrivate") })).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(file.getByText(t("files.privacy.badge"), { exact: true })).toHaveCount(0);
});
