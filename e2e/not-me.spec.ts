import { expect, test } from "./fixtures";
import { listMailbox } from "./support/mail";
import { signInByLink, type Journey } from "./support/journeys";

/** Another browser on another platform: a new device, as far as the sign-in policy can tell. */
const OTHER_DEVICE_UA =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
const NOT_ME_LINK = /https?:\/\/[^\s"<>]+\/not-me\?token=[^\s"<>]+/;

/**
 * "This wasn't me" (issue 19), in every locale project: a sign-in from a
 * new device emails the account; the email's link opens a page that asks
 * first, then signs that session out, and the other browser finds itself
 * signed out on its next request. The same link again changes nothing.
 */
test("the new-sign-in email's link signs that session out after a confirmation", async ({
  browser,
  clientIps,
  journey,
  page,
  request,
  t,
  localePath,
  freshEmail,
}) => {
  await signInByLink(journey, freshEmail);
  const away = await browser.newContext({
    extraHTTPHeaders: { "x-forwarded-for": clientIps.otherBrowser },
    userAgent: OTHER_DEVICE_UA,
  });
  try {
    const phone = await away.newPage();
    const elsewhere: Journey = { ...journey, page: phone };
    await signInByLink(elsewhere, freshEmail);

    const subject = t("email.newSignIn.subject");
    let link = "";
    await expect
      .poll(async () => {
        const notice = (await listMailbox(request, freshEmail)).find((message) => message.subject === subject);
        link = notice ? (NOT_ME_LINK.exec(notice.text)?.[0] ?? "") : "";
        return link;
      })
      .not.toBe("");

    // Opening the link ends nothing: a mail scanner may have opened it already.
    await page.goto(link);
    await expect(page.getByRole("heading", { level: 1, name: t("notMe.title"), exact: true })).toBeVisible();
    await phone.goto(localePath("/settings/sessions"));
    await expect(phone).toHaveURL((url) => url.pathname === localePath("/settings/sessions"));

    await page.getByRole("button", { name: t("notMe.confirm"), exact: true }).focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("status").filter({ hasText: t("notMe.ended") })).toBeVisible();
    await expect(page.getByText(t("notMe.nextEmail"), { exact: true })).toBeVisible();
    await phone.goto(localePath("/settings/sessions"));
    await expect(phone).toHaveURL((url) => url.pathname === localePath("/sign-in"));

    // This browser's own session is untouched; the link a second time only says it is done.
    await page.goto(link);
    await page.getByRole("button", { name: t("notMe.confirm"), exact: true }).click();
    await expect(page.getByRole("status").filter({ hasText: t("notMe.alreadyEnded") })).toBeVisible();
    await page.goto(localePath("/settings/sessions"));
    await expect(page).toHaveURL((url) => url.pathname === localePath("/settings/sessions"));
  } finally {
    await away.close();
  }
});

test("a changed link is refused, and says what to do instead", async ({ page, t, localePath }) => {
  await page.goto(localePath(`/not-me?token=${encodeURIComponent(`someone.9999999999.${"0".repeat(64)}`)}`));
  await page.getByRole("button", { name: t("notMe.confirm"), exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: t("notMe.invalid") })).toBeVisible();
  await expect(page.getByRole("link", { name: t("notMe.signIn"), exact: true })).toBeVisible();
});
