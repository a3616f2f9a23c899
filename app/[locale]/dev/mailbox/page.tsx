import type { Metadata } from "next";
import { getFormatter, getTranslations, setRequestLocale } from "next-intl/server";
import { notFound } from "next/navigation";
import { readDevMailbox } from "@/lib/delivery/mailbox";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { robots: { index: false, follow: false }, referrer: "no-referrer" };

/** Development only (404 unless under `next dev` or with DEV_MAILBOX=1, lib/env.ts): the emails the outbox kept. */
export default async function MailboxPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<{ to?: string }>;
}) {
  if (!env().devMailboxEnabled) notFound();
  const { locale } = await params;
  setRequestLocale(locale);
  const { to } = await searchParams;
  const t = await getTranslations("mailbox");
  const format = await getFormatter();
  const messages = await readDevMailbox(typeof to === "string" ? to : null);

  return (
    <section className="space-y-4">
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      <p className="text-gray-700">{t("intro")}</p>
      <form method="get" className="flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor="to" className="block text-sm font-medium">
            {t("filterLabel")}
          </label>
          <input id="to" name="to" type="email" dir="ltr" defaultValue={to ?? ""} className="min-h-11 rounded-md border border-gray-300 px-3" />
        </div>
        <button type="submit" className="min-h-11 rounded-md border border-gray-300 bg-white px-4">
          {t("filter")}
        </button>
      </form>
      {messages.length === 0 ? <p>{t("empty")}</p> : null}
      <ul className="space-y-4">
        {messages.map((message) => (
          <li key={message.id} className="rounded-lg bg-white p-4 shadow-sm ring-1 ring-gray-200">
            <dl className="grid grid-cols-[max-content_1fr] gap-x-3 text-sm">
              <dt className="font-medium text-gray-600">{t("to")}</dt>
              <dd dir="ltr">{message.to}</dd>
              <dt className="font-medium text-gray-600">{t("subject")}</dt>
              <dd>{message.subject}</dd>
              <dt className="font-medium text-gray-600">{t("sentAt")}</dt>
              <dd>{format.dateTime(new Date(message.createdAt), { dateStyle: "medium", timeStyle: "medium" })}</dd>
            </dl>
            {/* The email's own HTML is shown in a sandboxed frame: no scripts, no navigation of this page. */}
            <iframe
              title={message.subject}
              srcDoc={message.html}
              sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
              className="mt-3 h-[28rem] w-full rounded border border-gray-200 bg-white"
            />
            <pre className="mt-3 overflow-x-auto whitespace-pre-wrap break-all rounded bg-gray-100 p-3 text-xs" dir="ltr">
              {message.text}
            </pre>
          </li>
        ))}
      </ul>
    </section>
  );
}
