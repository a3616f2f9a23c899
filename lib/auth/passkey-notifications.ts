import { render } from "@react-email/render";
import { createElement } from "react";
import { createTranslator } from "next-intl";
import { dispatchMessage, enqueueEmail } from "../delivery/outbox";
import { NoticeEmail } from "../delivery/templates/notice-email";
import { DEFAULT_LOCALE, isLocale } from "../i18n/locales";
import { messagesByLocale } from "../i18n/messages";
import type { AuthDeps } from "./deps";

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
  const element = createElement(NoticeEmail, {
    locale,
    preview: t("preview"),
    heading: t("heading"),
    paragraphs: [t("body", { name: passkeyName }), t("advice")],
    action: { label: t("action"), href: `${deps.appBaseUrl}/${locale}/settings/security` },
  });
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  const messageId = await enqueueEmail(deps.db, deps.clock, {
    to: user.email,
    subject: t("subject"),
    html,
    text,
    locale,
    template: "counter-regression",
  });
  await dispatchMessage({ db: deps.db, clock: deps.clock, transport: deps.transport, from: deps.emailFrom }, messageId).catch(
    () => "retrying",
  );
}
