import { render } from "@react-email/render";
import { createElement } from "react";
import { createTranslator } from "next-intl";
import { dispatchMessage, type QueuedEmail } from "../../delivery/outbox";
import { NoticeEmail } from "../../delivery/templates/notice-email";
import { DEFAULT_LOCALE, isLocale, type Locale } from "../../i18n/locales";
import { messagesByLocale } from "../../i18n/messages";
import { deliveryDeps, type AuthDeps } from "../core/deps";
import { sendNoticeEmail } from "../core/notice";

/**
 * A signature counter that went backwards can mean a cloned authenticator
 * (WA §7.2 step 22). The sign-in is refused; the person is told by email,
 * in their language, what happened and where to review their passkeys.
 */
export async function notifyCounterRegression(
  deps: AuthDeps,
  user: { email: string; locale: string | null },
  passkeyName: string,
): Promise<void> {
  const locale = isLocale(user.locale) ? user.locale : DEFAULT_LOCALE;
  const t = createTranslator({ locale, messages: messagesByLocale[locale], namespace: "email.counterRegression" });
  await sendNoticeEmail(deps, {
    to: user.email,
    subject: t("subject"),
    template: "counter-regression",
    locale,
    preview: t("preview"),
    heading: t("heading"),
    paragraphs: [t("body", { name: passkeyName }), t("advice")],
    action: { label: t("action"), href: `${deps.appBaseUrl}/${locale}/settings/security` },
  });
}

export type FactorChange = "passkeyAdded" | "passkeyRemoved" | "totpAdded" | "totpRemoved";

/**
 * The email every factor change sends to the account (ASVS 7.4.3 and
 * B4 §4.6: the owner hears of a new or removed way in, in their language,
 * with what to do if it was not them). Rendered before the change's
 * transaction, queued inside it (enqueueEmail), sent after it commits
 * (dispatchNotice), so a change never happens without its notice queued.
 */
export async function factorChangeEmail(
  deps: Pick<AuthDeps, "appBaseUrl">,
  input: {
    change: FactorChange;
    user: { email: string; locale: string | null };
    /** The request's locale, for an account that never stored one. */
    fallbackLocale: Locale;
    passkeyName: string;
    /** Where the change was made from ("Firefox · Windows"). */
    device: string;
  },
): Promise<QueuedEmail> {
  const locale = isLocale(input.user.locale) ? input.user.locale : input.fallbackLocale;
  const t = createTranslator({ locale, messages: messagesByLocale[locale], namespace: `email.${input.change}` });
  const element = createElement(NoticeEmail, {
    locale,
    preview: t("preview"),
    heading: t("heading"),
    paragraphs: [t("body", { name: input.passkeyName, device: input.device }), t("notYou")],
    action: { label: t("action"), href: `${deps.appBaseUrl}/${locale}/settings/security` },
  });
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  // "passkeyAdded" → "passkey-added": the outbox names a notice by its kind.
  const template = input.change.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  return { to: input.user.email, subject: t("subject"), html, text, locale, template };
}

/** The first attempt at a queued notice; a failure leaves it to the outbox's retries. */
export async function dispatchNotice(deps: AuthDeps, messageId: string): Promise<void> {
  await dispatchMessage(deliveryDeps(deps), messageId).catch(
    () => "retrying",
  );
}
