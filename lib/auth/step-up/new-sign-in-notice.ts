import { createTranslator } from "next-intl";
import { DEFAULT_LOCALE, isLocale } from "../../i18n/locales";
import { messagesByLocale } from "../../i18n/messages";
import type { AuthDeps } from "../core/deps";
import { noticeMoment, sendNoticeEmail } from "../core/notice";
import { disownSessionUrl } from "../core/session-disowning";

/**
 * "A new sign-in to your account": what the sign-in policy's
 * `notify_new_sign_in` asks for (a new device, or a risky sign-in that
 * started restricted), in the account's language, with the device, the
 * place when known, the time, and a "This wasn't me" link that ends that
 * session after a confirmation (lib/auth/core/session-disowning.ts).
 * Queued after the session exists; a failed first attempt is left to the outbox.
 */
export async function notifyNewSignIn(
  deps: AuthDeps,
  input: {
    email: string;
    locale: string | null;
    device: string;
    country: string | null;
    at: Date;
    restricted: boolean;
    session: { id: string; expiresAt: Date };
  },
): Promise<void> {
  const locale = isLocale(input.locale) ? input.locale : DEFAULT_LOCALE;
  const t = createTranslator({ locale, messages: messagesByLocale[locale], namespace: "email.newSignIn" });
  const { time, place } = noticeMoment(locale, input.at, input.country);
  await sendNoticeEmail(deps, {
    to: input.email,
    subject: t("subject"),
    template: "new-sign-in",
    locale,
    preview: t("preview"),
    heading: t("heading"),
    paragraphs: [
      place ? t("bodyWithPlace", { device: input.device, place, time }) : t("body", { device: input.device, time }),
      ...(input.restricted ? [t("restricted")] : []),
      t("notYou"),
    ],
    action: { label: t("action"), href: disownSessionUrl(deps, { sessionId: input.session.id, sessionExpiresAt: input.session.expiresAt, locale }) },
  });
}
