import { createTranslator } from "next-intl";
import { DEFAULT_LOCALE, isLocale } from "../../i18n/locales";
import { messagesByLocale } from "../../i18n/messages";
import type { AuthDeps } from "../core/deps";
import { noticeMoment, sendNoticeEmail } from "../core/notice";
import type { RequestContext } from "../core/request-context";
import type { ActiveSession } from "../core/sessions";

/**
 * "Your session was used from another device": a session bound to one
 * device was presented by a browser that could not prove that device's key
 * (a copied cookie, most likely). The session has already ended; the
 * account hears where the attempt came from and what to do.
 */
export async function notifySessionUsedElsewhere(
  deps: AuthDeps,
  input: { email: string; locale: string | null; device: string; country: string | null; at: Date },
): Promise<void> {
  const locale = isLocale(input.locale) ? input.locale : DEFAULT_LOCALE;
  const t = createTranslator({ locale, messages: messagesByLocale[locale], namespace: "email.sessionUsedElsewhere" });
  const { time, place } = noticeMoment(locale, input.at, input.country);
  await sendNoticeEmail(deps, {
    to: input.email,
    subject: t("subject"),
    template: "session-used-elsewhere",
    locale,
    preview: t("preview"),
    heading: t("heading"),
    paragraphs: [
      place ? t("bodyWithPlace", { device: input.device, place, time }) : t("body", { device: input.device, time }),
      t("ended"),
      t("advice"),
    ],
    action: { label: t("action"), href: `${deps.appBaseUrl}/${locale}/settings/sessions` },
  });
}

/**
 * Ends a bound session whose device could not be proved (a device key's
 * proof or a native DBSC refresh), and tells the account once. Whether it
 * ended: false when it already had.
 */
export async function endSessionUsedElsewhere(deps: AuthDeps, input: { session: ActiveSession; request: RequestContext }): Promise<boolean> {
  const ended = await deps.store.sessions.deleteForUser(input.session.user.id, input.session.id);
  if (!ended) return false;
  await notifySessionUsedElsewhere(deps, {
    email: input.session.user.email,
    locale: input.session.user.locale,
    device: input.request.browserSummary,
    country: input.request.country,
    at: deps.clock.now(),
  }).catch((error: unknown) => {
    // The session has ended, which is what protects the account; a failed email must not undo the answer.
    console.error("bound session: session-used-elsewhere notice failed", error instanceof Error ? error.message : "unknown");
  });
  return true;
}
