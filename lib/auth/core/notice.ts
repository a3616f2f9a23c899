import { render } from "@react-email/render";
import { createElement } from "react";
import { dispatchMessage, enqueueEmail, type QueuedEmail } from "../../delivery/outbox";
import { NoticeEmail, type NoticeEmailProps } from "../../delivery/templates/notice-email";
import type { Locale } from "../../i18n/locales";
import { deliveryDeps, type AuthDeps } from "./deps";

/**
 * When and where something happened, as a notice says it in the reader's
 * language: the time in UTC, said so (the server does not know the
 * reader's time zone), and the country's name when it is known.
 */
export function noticeMoment(locale: Locale, at: Date, country: string | null): { time: string; place: string | undefined } {
  const time = `${new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(at)} UTC`;
  const place = country ? new Intl.DisplayNames([locale], { type: "region" }).of(country) : undefined;
  return { time, place };
}

/**
 * Sends one security notice that stands on its own (not part of a change's
 * transaction): rendered from already-translated text, queued in the
 * outbox, and tried once at once; a failed attempt is left to the outbox's
 * retries, never to the caller.
 */
export async function sendNoticeEmail(deps: AuthDeps, notice: NoticeEmailProps & NoticeAddress): Promise<void> {
  const messageId = await enqueueEmail(deps.store.outbox, deps.clock, await renderNotice(notice));
  await dispatchNotice(deps, messageId);
}

/** The first attempt at a queued notice; a failure leaves it to the outbox's retries. */
export async function dispatchNotice(deps: AuthDeps, messageId: string): Promise<void> {
  await dispatchMessage(deliveryDeps(deps), messageId).catch(() => "retrying");
}

export interface NoticeAddress {
  to: string;
  subject: string;
  /** The outbox's name for this kind of notice. */
  template: string;
}

/**
 * A notice rendered (HTML and plain text) and addressed, ready for the
 * outbox: what a ceremony queues inside its own transaction when the
 * notice must commit with the change it reports.
 */
export async function renderNotice(notice: NoticeEmailProps & NoticeAddress): Promise<QueuedEmail> {
  const { to, subject, template, ...props } = notice;
  const element = createElement(NoticeEmail, props);
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { to, subject, html, text, locale: props.locale, template };
}
