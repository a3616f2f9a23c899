import { isolate } from "../lib/i18n/isolate";
import { expect, test } from "./fixtures";
import { E2E_BLOCKED_CLIENT_IP } from "./support/server";

/**
 * The sign-in policy's refusal, in every locale project (issue 20): a link
 * opened from a blocked network (RISK_BLOCKED_CIDRS, set for the e2e server
 * in scripts/e2e-server.sh) signs nobody in and tells the person what to
 * do; the same link still works from another network. The client's address
 * arrives as a trusted proxy would write it: the e2e server trusts one
 * X-Forwarded-For hop, and this browser's requests carry that header.
 */
test("a link opened from a blocked network is refused with what to do, and works from another network", async ({
  page,
  t,
  tPattern,
  localePath,
  freshEmail,
  mailbox,
}) => {
  await page.goto(localePath("/sign-in"));
  await page.getByRole("textbox", { name: t("signIn.emailLabel"), exact: true }).fill(freshEmail);
  await page.getByRole("button", { name: t("signIn.submit"), exact: true }).click();
  await expect(page.getByRole("heading", { name: t("checkEmail.title"), exact: true })).toBeVisible();
  const mail = await mailbox.receive(freshEmail);

  // On the page, over the context's headers, which carry this test's own
  // address (e2e/fixtures.ts): clearing the page's puts that one back.
  await page.setExtraHTTPHeaders({ "x-forwarded-for": E2E_BLOCKED_CLIENT_IP });
  await page.goto(mail.link);
  await page.getByRole("button", { name: tPattern("magicLink.continueAs") }).click();
  await expect(page.getByRole("alert").filter({ hasText: t("errors.SIGN_IN_DENIED") })).toBeVisible();
  // Not signed in: a signed-in page sends this browser back to sign-in.
  await page.goto(localePath("/settings/security"));
  await expect(page).toHaveURL((url) => url.pathname === localePath("/sign-in"));

  // Off the blocked network, the same link (not used up by the refusal) signs in.
  await page.setExtraHTTPHeaders({});
  await page.goto(mail.link);
  await page.getByRole("button", { name: tPattern("magicLink.continueAs") }).click();
  await expect(page.getByText(t("home.signedInAs", { email: isolate(freshEmail) }), { exact: true })).toBeVisible();
});
