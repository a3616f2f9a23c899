import type { Locator } from "@playwright/test";
import { isolate } from "../lib/i18n/isolate";
import { expect, test } from "./fixtures";
import {
  addPasskeyInSettings,
  expectHomeAtAal2,
  sendAFile,
  signInByLink,
  signOut,
  waitForAutofillRequest,
} from "./support/journeys";
import { tabTo } from "./support/keyboard";
import { listMailbox, wrongCodeFor } from "./support/mail";

/**
 * Passkeys end to end, in every locale project, with Chrome's virtual
 * authenticator standing in for a phone's or laptop's built-in one: the
 * upgrade prompt after a valuable action, the sign-in button, autofill,
 * management, the proof a change needs (an emailed code before the first
 * passkey on an old sign-in, a step-up with a passkey once the account has
 * one), the factor-change notices, and an authenticator that cannot verify
 * the person.
 *
 * What Chromium's virtual authenticator does with autofill (checked, not
 * assumed): with automatic presence on, a conditional-mediation request
 * resolves as soon as it starts, without the field being focused; with it
 * off, the request stays pending, like a real browser waiting for someone
 * to pick a passkey from the suggestions. The journeys switch presence off
 * before reaching the sign-in page when they need the button to be the one
 * that signs in.
 */

async function top(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  if (!box) throw new Error("not laid out");
  return box.y;
}

test("a passkey created after sending a file signs in at AAL2, and can be renamed and removed", async ({
  journey,
  page,
  t,
  tPattern,
  appLocale,
  freshEmail,
  virtualAuthenticator,
}) => {
  await signInByLink(journey, freshEmail);
  await sendAFile(journey);

  const prompt = page.getByRole("complementary", { name: t("passkeyPrompt.title"), exact: true });
  await expect(prompt).toBeVisible();
  await prompt.getByRole("button", { name: t("passkeyPrompt.create"), exact: true }).click();
  await expect(prompt.getByText(t("passkeyPrompt.created"), { exact: true })).toBeVisible();
  expect(await virtualAuthenticator.credentialCount()).toBe(1);

  // Keep the sign-in page's autofill request waiting, so the button is what signs in.
  await virtualAuthenticator.setAutomaticPresence(false);
  await signOut(journey);
  const passkeyButton = page.getByRole("button", { name: t("passkeySignIn.button"), exact: true });
  const emailField = page.getByRole("textbox", { name: t("signIn.emailLabel"), exact: true });
  // This browser made a passkey, so the passkey is offered above the email form.
  expect(await top(passkeyButton)).toBeLessThan(await top(emailField));
  await waitForAutofillRequest(virtualAuthenticator);

  await virtualAuthenticator.setAutomaticPresence(true);
  await passkeyButton.click();
  await expectHomeAtAal2(journey);
  // The button's dialog took over from the autofill request, which was aborted, not left dangling.
  expect(await virtualAuthenticator.requests()).toEqual([
    { kind: "get", mediation: "conditional", outcome: "AbortError" },
    { kind: "get", mediation: "optional", outcome: "resolved" },
  ]);

  await page.getByRole("link", { name: t("home.securityLink"), exact: true }).click();
  // The one passkey's entry: the list item with a name for a heading.
  const row = page.getByRole("listitem").filter({ has: page.getByRole("heading", { level: 3 }) });
  await expect(row.getByText(t("security.deviceOnly"), { exact: true })).toBeVisible();
  await row.getByRole("button", { name: tPattern("security.renameNamed") }).click();
  // Markup in a name stays text: React escapes it, nothing renders it as HTML.
  const newName = `Work laptop <b>${appLocale}</b>`;
  await row.getByRole("textbox", { name: t("security.nameLabel"), exact: true }).fill(newName);
  await row.getByRole("button", { name: t("security.save"), exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: t("security.renamed") })).toBeVisible();
  await expect(page.getByRole("heading", { name: newName, exact: true })).toBeVisible();

  await page.getByRole("button", { name: t("security.removeNamed", { name: isolate(newName) }), exact: true }).click();
  // The last passkey: the person is told email sign-in still works.
  await expect(page.getByText(t("security.removeLast"), { exact: true })).toBeVisible();
  // Signed in with this very passkey minutes ago: that is the proof a removal needs.
  await page.getByRole("button", { name: t("security.confirmRemove"), exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: t("security.removed") })).toBeVisible();
  await expect(page.getByText(t("security.empty"), { exact: true })).toBeVisible();
  // A factor change offers to sign out everywhere else; there is nowhere else here.
  await page.getByRole("button", { name: t("security.signOutOthers"), exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: t("security.signedOutOthers", { count: 0 }) })).toBeVisible();
});

test("the email field offers the passkey as autofill, and asking for a link instead aborts that offer", async ({
  journey,
  page,
  t,
  localePath,
  freshEmail,
  virtualAuthenticator,
}) => {
  await signInByLink(journey, freshEmail);
  await addPasskeyInSettings(journey);

  await virtualAuthenticator.setAutomaticPresence(false);
  await signOut(journey);
  const emailField = page.getByRole("textbox", { name: t("signIn.emailLabel"), exact: true });
  await expect(emailField).toHaveAttribute("autocomplete", "username webauthn");
  await waitForAutofillRequest(virtualAuthenticator);

  // Choosing email withdraws the offer cleanly: the browser's request is aborted and no error shows.
  await emailField.fill(freshEmail);
  await page.getByRole("button", { name: t("signIn.submit"), exact: true }).click();
  await expect(page.getByRole("heading", { name: t("checkEmail.title"), exact: true })).toBeVisible();
  await expect
    .poll(() => virtualAuthenticator.requests())
    .toEqual([{ kind: "get", mediation: "conditional", outcome: "AbortError" }]);
  // Within main: Next.js's route announcer (also role="alert") lives outside it.
  await expect(page.getByRole("main").getByRole("alert")).toHaveCount(0);

  // A person present: the virtual authenticator answers the autofill request at once, nothing clicked.
  await virtualAuthenticator.setAutomaticPresence(true);
  await page.goto(localePath("/sign-in"));
  await expectHomeAtAal2(journey);
  expect(await virtualAuthenticator.requests()).toEqual([
    { kind: "get", mediation: "conditional", outcome: "resolved" },
  ]);
});

test("an authenticator that cannot verify the person is refused with a translated message", async ({
  journey,
  page,
  t,
  localePath,
  freshEmail,
  virtualAuthenticator,
}) => {
  // A browser that never used a passkey is offered email first, the passkey below it.
  await page.goto(localePath("/sign-in"));
  const passkeyButton = page.getByRole("button", { name: t("passkeySignIn.button"), exact: true });
  expect(await top(passkeyButton)).toBeGreaterThan(
    await top(page.getByRole("textbox", { name: t("signIn.emailLabel"), exact: true })),
  );
  await signInByLink(journey, freshEmail);
  await addPasskeyInSettings(journey);

  // From here on the authenticator is one with isUserVerified: false.
  await virtualAuthenticator.setUserVerified(false);
  await virtualAuthenticator.setAutomaticPresence(false);
  await signOut(journey);
  await waitForAutofillRequest(virtualAuthenticator);
  await virtualAuthenticator.setAutomaticPresence(true);
  await passkeyButton.click();

  // The browser refuses a passkey that needs verification it cannot give; the page says so, in words.
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(t("passkeyErrors.notAllowed"));
  await expect(page).toHaveURL((url) => url.pathname === localePath("/sign-in"));
  await page.goto(localePath(""));
  await expect(page.getByRole("link", { name: t("home.guestCta"), exact: true })).toBeVisible();
});

test("adding a passkey long after signing in asks for an emailed code first, then carries on", async ({
  journey,
  page,
  t,
  tPattern,
  localePath,
  freshEmail,
  mailbox,
  ageSignInsOf,
  virtualAuthenticator,
}) => {
  await signInByLink(journey, freshEmail);
  await ageSignInsOf(freshEmail, 11);

  await page.goto(localePath("/settings/security"));
  await page.getByRole("button", { name: t("security.add"), exact: true }).click();
  await expect(page.getByRole("heading", { name: t("reauth.title"), exact: true })).toBeFocused();
  await page.getByRole("button", { name: t("reauth.send"), exact: true }).click();
  const mail = await mailbox.receiveCode(freshEmail);
  expect(mail.subject).toBe(t("email.reauth.subject"));

  const code = page.getByRole("textbox", { name: t("reauth.codeLabel"), exact: true });
  await code.fill(wrongCodeFor(mail.code));
  await page.getByRole("button", { name: t("reauth.verify"), exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: t("errors.CODE_INVALID") })).toBeVisible();
  expect(await virtualAuthenticator.credentialCount()).toBe(0);

  await code.fill(mail.code);
  await page.getByRole("button", { name: t("reauth.verify"), exact: true }).click();
  await expect(page.getByText(t("security.added"), { exact: true })).toBeVisible();
  expect(await virtualAuthenticator.credentialCount()).toBe(1);
  await expect(page.getByRole("button", { name: tPattern("security.renameNamed") })).toBeVisible();
});

test("once the account has a passkey, removing one needs that passkey, emails the account and offers to sign out elsewhere", async ({
  journey,
  page,
  t,
  tPattern,
  localePath,
  freshEmail,
  request,
  otherBrowser,
  virtualAuthenticator,
}) => {
  // A phone's width: the page must still fit, and every step work by keyboard.
  await page.setViewportSize({ width: 375, height: 812 });
  await signInByLink(journey, freshEmail);
  // The first passkey: the recent email sign-in is enough (the upgrade path).
  await addPasskeyInSettings(journey);
  await expect(page.getByRole("button", { name: t("security.signOutOthers"), exact: true })).toBeVisible();
  // Another browser signed in by email, as someone with the mailbox could be.
  await signInByLink({ ...journey, page: otherBrowser }, freshEmail);

  // This session is an email sign-in: it must step up with a passkey now, never with an emailed code.
  await page.getByRole("button", { name: tPattern("security.removeNamed") }).click();
  await page.getByRole("button", { name: t("security.confirmRemove"), exact: true }).click();
  await expect(page.getByRole("heading", { name: t("stepUp.title"), exact: true })).toBeFocused();
  await expect(page.getByText(t("stepUp.why.factorRemove"), { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: t("reauth.send"), exact: true })).toHaveCount(0);
  await tabTo(page, page.getByRole("button", { name: t("stepUp.usePasskey"), exact: true }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: t("security.removed") })).toBeVisible();
  await expect(page.getByText(t("security.empty"), { exact: true })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

  // Each change was emailed to the account, in its language.
  await expect
    .poll(async () => (await listMailbox(request, freshEmail)).map((message) => message.subject))
    .toEqual(expect.arrayContaining([t("email.passkeyAdded.subject"), t("email.passkeyRemoved.subject")]));

  const signOutOthers = page.getByRole("button", { name: t("security.signOutOthers"), exact: true });
  await tabTo(page, signOutOthers);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: t("security.signedOutOthers", { count: 1 }) })).toBeVisible();
  // The other browser is signed out; this one is not.
  await otherBrowser.goto(localePath("/settings/security"));
  await expect(otherBrowser).toHaveURL((url) => url.pathname === localePath("/sign-in"));
  await page.reload();
  await expect(page.getByRole("heading", { name: t("security.passkeysTitle"), exact: true })).toBeVisible();
  // The page told the browser which passkeys the account still accepts (WebAuthn's Signal API:
  // none), and the authenticator forgot the removed one instead of offering it at the next sign-in.
  await expect.poll(() => virtualAuthenticator.credentialCount()).toBe(0);
});
