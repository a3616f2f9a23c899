import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";
import { isolate } from "../lib/i18n/isolate";
import { expect, test, type Mailbox } from "./fixtures";
import { listMailbox } from "./support/mail";
import type { MessageKey, Translator } from "./support/messages";

/**
 * The demo product's main journey in every locale, at phone width: sign in,
 * upload a file, save a recipient, send the file (the recipient is emailed
 * in this language), see the success message, and download the file back.
 */

test.use({ viewport: { width: 375, height: 812 } });

interface SignInTools {
  t: Translator;
  tPattern: (key: MessageKey) => RegExp;
  localePath: (path: string) => string;
  mailbox: Mailbox;
}

async function signIn(page: Page, { t, tPattern, localePath, mailbox }: SignInTools, email: string) {
  await page.goto(localePath("/sign-in"));
  await page.getByRole("textbox", { name: t("signIn.emailLabel"), exact: true }).fill(email);
  await page.getByRole("button", { name: t("signIn.submit"), exact: true }).click();
  await expect(page.getByRole("heading", { name: t("checkEmail.title"), exact: true })).toBeVisible();
  const mail = await mailbox.receive(email);
  await page.goto(mail.link);
  await page.getByRole("button", { name: tPattern("magicLink.continueAs") }).click();
  await expect(page.getByRole("navigation", { name: t("nav.label") })).toBeVisible();
}

test("upload a file, save a recipient, send the file to them, and download it", async ({
  page,
  t,
  tPattern,
  localePath,
  appLocale,
  freshEmail,
  mailbox,
  request,
}) => {
  const fileName = `notes-${appLocale}.txt`;
  const contents = `Trustladder e2e (${appLocale})\n`;
  const recipient = { name: "Ada Lovelace", email: freshEmail.replace("@", "+recipient@") };
  const country = new Intl.DisplayNames([appLocale], { type: "region" }).of("ES") ?? "ES";

  await signIn(page, { t, tPattern, localePath, mailbox }, freshEmail);
  const nav = page.getByRole("navigation", { name: t("nav.label") });

  // Upload: a plain form post, answered with a redirect back to the files page.
  await nav.getByRole("link", { name: t("nav.files"), exact: true }).click();
  await expect(page.getByRole("heading", { name: t("files.title"), exact: true, level: 1 })).toBeVisible();
  await expect(page.getByText(t("files.empty"), { exact: true })).toBeVisible();
  await page.getByLabel(t("files.fileLabel"), { exact: true }).setInputFiles({
    name: fileName,
    mimeType: "text/plain",
    buffer: Buffer.from(contents),
  });
  await page.getByRole("button", { name: t("files.upload"), exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: t("files.doneUploaded") })).toBeVisible();
  const file = page.getByRole("article", { name: fileName });
  await expect(file).toBeVisible();
  await expect(page.getByText(t("files.noRecipients"))).toBeVisible();

  // Save a recipient, submitting with the keyboard.
  await nav.getByRole("link", { name: t("nav.recipients"), exact: true }).click();
  await page.getByRole("textbox", { name: t("recipients.nameLabel"), exact: true }).fill(recipient.name);
  await page.getByRole("combobox", { name: t("recipients.countryLabel"), exact: true }).selectOption({ label: country });
  const email = page.getByRole("textbox", { name: t("recipients.emailLabel"), exact: true });
  await email.fill(recipient.email);
  await email.press("Enter");
  await expect(page).toHaveURL((url) => url.searchParams.get("done") === "recipient-saved");
  await expect(page.getByRole("status").filter({ hasText: t("recipients.doneSaved") })).toBeVisible();
  await expect(page.getByText(recipient.email, { exact: true })).toBeVisible();

  // Send the file: a valuable action, announced with ?done=sent.
  await nav.getByRole("link", { name: t("nav.files"), exact: true }).click();
  await file.getByRole("combobox", { name: t("files.sendTo") }).selectOption({
    label: `${isolate(recipient.name)} (${isolate(recipient.email)})`,
  });
  // The sender's note travels in the email, quoted as theirs.
  const note = `See you on Monday (${appLocale})`;
  await file.getByRole("textbox", { name: t("files.noteLabel"), exact: true }).fill(note);
  await file.getByRole("button", { name: t("files.send"), exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === localePath("/files") && url.searchParams.get("done") === "sent");
  await expect(page.getByRole("status").filter({ hasText: t("files.doneSent") })).toBeVisible();

  // The recipient has no account yet, so the email is in the sender's language.
  await expect.poll(async () => (await listMailbox(request, recipient.email)).length).toBe(1);
  const [notice] = await listMailbox(request, recipient.email);
  expect(notice.locale).toBe(appLocale);
  expect(notice.subject).toBe(t("email.fileShared.subject", { sender: isolate(freshEmail) }));
  expect(notice.text).not.toContain(contents.trim());
  expect(notice.text).toContain(t("email.fileShared.noteIntro", { sender: isolate(freshEmail) }));
  expect(notice.text).toContain(isolate(note));

  // Download it back: saved as an attachment, under its own name.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    file.getByRole("link", { name: t("files.downloadName", { name: isolate(fileName) }), exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(fileName);
  expect(await readFile(await download.path(), "utf8")).toBe(contents);
});

test("a file id that is not yours answers 404, and signed out it leads to sign-in", async ({
  page,
  request,
  t,
  tPattern,
  localePath,
  freshEmail,
  mailbox,
}) => {
  await signIn(page, { t, tPattern, localePath, mailbox }, freshEmail);
  const response = await page.request.get("/api/files/not-a-file-of-yours");
  expect(response.status()).toBe(404);
  // Signed out, the same URL leads to sign-in instead.
  const anonymous = await request.get("/api/files/not-a-file-of-yours", { maxRedirects: 0 });
  expect(anonymous.status()).toBe(303);
});

