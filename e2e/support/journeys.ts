import { expect, type Page } from "@playwright/test";
import { isolate } from "../../lib/i18n/isolate";
import type { Mailbox } from "../fixtures";
import type { Translator } from "./messages";
import type { VirtualAuthenticator } from "./webauthn";

/**
 * Steps several passkey journeys share, written as a person would take them:
 * by role and by the project's translated names.
 */
export interface Journey {
  page: Page;
  t: Translator;
  tPattern: (key: Parameters<Translator["raw"]>[0]) => RegExp;
  localePath: (path: string) => string;
  mailbox: Mailbox;
}

export async function signInByLink({ page, t, tPattern, localePath, mailbox }: Journey, email: string): Promise<void> {
  await page.goto(localePath("/sign-in"));
  await page.getByRole("textbox", { name: t("signIn.emailLabel"), exact: true }).fill(email);
  await page.getByRole("button", { name: t("signIn.submit"), exact: true }).click();
  await expect(page.getByRole("heading", { name: t("checkEmail.title"), exact: true })).toBeVisible();
  const mail = await mailbox.receive(email);
  await page.goto(mail.link);
  await page.getByRole("button", { name: tPattern("magicLink.continueAs") }).click();
  await expect(page.getByText(t("home.signedInAs", { email: isolate(email) }), { exact: true })).toBeVisible();
}

export async function signOut({ page, t, localePath }: Journey): Promise<void> {
  await page.goto(localePath(""));
  await page.getByRole("button", { name: t("home.signOut"), exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === localePath("/sign-in"));
}

/** The valuable action the upgrade prompt follows: save a recipient, upload a file, send it to them. */
export async function sendAFile({ page, t, localePath }: Journey): Promise<void> {
  await page.goto(localePath("/recipients"));
  await page.getByRole("textbox", { name: t("recipients.nameLabel"), exact: true }).fill("Ada Lovelace");
  await page.getByRole("textbox", { name: t("recipients.emailLabel"), exact: true }).fill("ada@example.com");
  await page.getByRole("combobox", { name: t("recipients.countryLabel"), exact: true }).selectOption("GB");
  await page.getByRole("button", { name: t("recipients.save"), exact: true }).click();
  await expect(page.getByText(t("recipients.doneSaved"), { exact: true })).toBeVisible();

  await page.goto(localePath("/files"));
  await page.getByLabel(t("files.fileLabel"), { exact: true }).setInputFiles({
    name: "notes.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("Minutes of the meeting.\n"),
  });
  await page.getByRole("button", { name: t("files.upload"), exact: true }).click();
  await expect(page.getByText(t("files.doneUploaded"), { exact: true })).toBeVisible();
  await page.getByRole("combobox", { name: `${t("files.sendTo")} ${isolate("notes.txt")}` }).selectOption({ index: 1 });
  await page.getByRole("button", { name: t("files.send"), exact: true }).click();
  await expect(page.getByText(t("files.doneSent"), { exact: true })).toBeVisible();
}

/** Settings → Security → "Add a passkey", on a fresh sign-in (no re-confirmation needed). */
export async function addPasskeyInSettings({ page, t, localePath }: Journey): Promise<void> {
  await page.goto(localePath("/settings/security"));
  await page.getByRole("button", { name: t("security.add"), exact: true }).click();
  await expect(page.getByText(t("security.added"), { exact: true })).toBeVisible();
}

/**
 * Waits until the sign-in page's autofill (conditional) request is with the
 * browser. With automatic presence off it stays pending there, as it would
 * until a real person picked a passkey from the email field's suggestions.
 */
export async function waitForAutofillRequest(authenticator: VirtualAuthenticator): Promise<void> {
  await expect
    .poll(
      async () =>
        (await authenticator.requests()).filter(
          (request) => request.mediation === "conditional" && request.outcome === "pending",
        ).length,
      {
        message: "a pending conditional-mediation request",
      },
    )
    .toBe(1);
}

export async function expectHomeAtAal2({ page, t, localePath }: Journey): Promise<void> {
  await expect(page).toHaveURL((url) => url.pathname === localePath(""));
  await expect(page.getByText(t("home.levelValue", { level: 2 }), { exact: true })).toBeVisible();
  await expect(page.getByText(t("methods.passkey"), { exact: true })).toBeVisible();
}
