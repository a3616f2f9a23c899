import { createTranslator } from "next-intl";
import type { QueuedEmail } from "../../delivery/outbox";
import { DEFAULT_LOCALE, isLocale, type Locale } from "../../i18n/locales";
import { messagesByLocale } from "../../i18n/messages";
import type { AuthDeps } from "../core/deps";
import { renderNotice, sendNoticeEmail } from "../core/notice";

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
  return renderNotice({
    to: input.user.email,
    subject: t("subject"),
    // "passkeyAdded" → "passkey-added": the outbox names a notice by its kind.
    template: input.change.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`),
    locale,
    preview: t("preview"),
    heading: t("heading"),
    paragraphs: [t("body", { name: input.passkeyName, device: input.device }), t("notYou")],
    action: { label: t("action"), href: `${deps.appBaseUrl}/${locale}/settings/security` },
  });
}

