import { render } from "@react-email/render";
import { createElement } from "react";
import { dispatchMessage, enqueueEmail } from "../../delivery/outbox";
import { NoticeEmail, type NoticeEmailProps } from "../../delivery/templates/notice-email";
import { deliveryDeps, type AuthDeps } from "./deps";

/**
 * Sends one security notice that stands on its own (not part of a change's
 * transaction): rendered from already-translated text, queued in the
 * outbox, and tried once at once; a failed attempt is left to the outbox's
 * retries, never to the caller.
 */
export async function sendNoticeEmail(
  deps: AuthDeps,
  notice: NoticeEmailProps & { to: string; subject: string; /** The outbox's name for this kind of notice. */ template: string },
): Promise<void> {
  const { to, subject, template, ...props } = notice;
  const element = createElement(NoticeEmail, props);
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  const messageId = await enqueueEmail(deps.store.outbox, deps.clock, { to, subject, html, text, locale: props.locale, template });
  await dispatchMessage(deliveryDeps(deps), messageId).catch(() => "retrying");
}
