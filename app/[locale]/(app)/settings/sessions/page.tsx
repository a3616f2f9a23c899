import { getFormatter, getTranslations } from "next-intl/server";
import { Button } from "@/components/ui/button";
import { FormMessage } from "@/components/ui/form-message";
import { PageHeader } from "@/components/ui/page-header";
import { Panel } from "@/components/ui/panel";
import { isErrorCode } from "@/lib/auth/core/errors";
import { isolate } from "@/lib/i18n/isolate";
import { openSignedInPage } from "@/lib/server/require-session";
import { sessionsForPage, type ListedSession } from "@/lib/server/sessions-page";
import { endOtherSessionsAction, endSessionAction } from "./actions";
import { SESSIONS_DONE } from "./sessions-done";

export const dynamic = "force-dynamic";

/**
 * Settings → Sessions: every place this account is signed in, this one
 * marked; another can be ended at once (its next request is signed out),
 * or all of them. Plain forms: it works without JavaScript and from the
 * keyboard, and lands back here with what happened.
 */
export default async function SessionsPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<{ done?: string; error?: string }>;
}) {
  const { locale, session } = await openSignedInPage((await params).locale, "/settings/sessions");
  const query = await searchParams;
  const t = await getTranslations("sessions");
  const tErrors = await getTranslations("errors");
  const sessions = await sessionsForPage(session);
  const others = sessions.filter((entry) => !entry.current);
  const done = query.done === SESSIONS_DONE.ended ? t("doneEnded") : query.done === SESSIONS_DONE.endedOthers ? t("doneEndedOthers") : null;
  // Only codes the app knows are shown: the query string is anyone's to edit.
  const error = isErrorCode(query.error) ? tErrors(query.error, { minutes: 1 }) : null;

  return (
    <div className="space-y-6">
      <PageHeader title={t("title")} intro={t("intro")} />
      {done ? <FormMessage tone="success">{done}</FormMessage> : null}
      {error ? <FormMessage tone="error">{error}</FormMessage> : null}
      <Panel id="sessions-heading" title={t("listTitle")}>
        <ul className="divide-y divide-gray-200">
          {sessions.map((entry) => (
            <li key={entry.id} className="py-4 first:pt-0 last:pb-0">
              <SessionEntry entry={entry} locale={locale} />
            </li>
          ))}
        </ul>
      </Panel>
      {others.length > 0 ? (
        <Panel id="sessions-others-heading" title={t("othersTitle")}>
          <p className="mb-4 text-sm text-gray-700">{t("othersIntro", { count: others.length })}</p>
          <form action={endOtherSessionsAction}>
            <input type="hidden" name="locale" value={locale} />
            <Button type="submit" variant="danger" className="sm:w-auto">
              {t("endOthers")}
            </Button>
          </form>
        </Panel>
      ) : null}
    </div>
  );
}

async function SessionEntry({ entry, locale }: { entry: ListedSession; locale: string }) {
  const t = await getTranslations("sessions");
  const tMethods = await getTranslations("methods");
  const format = await getFormatter();
  const place = entry.country ? new Intl.DisplayNames([locale], { type: "region" }).of(entry.country) : null;
  const when = (date: Date) => format.dateTime(date, { dateStyle: "medium", timeStyle: "short" });
  return (
    <article aria-label={entry.deviceName} className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
      <div className="min-w-0 space-y-1">
        <p className="flex flex-wrap items-center gap-2 font-medium text-gray-900">
          <span dir="ltr">{entry.deviceName}</span>
          {entry.current ? (
            <span className="rounded-full bg-blue-50 px-2 py-0.5 text-xs font-medium text-blue-800">{t("thisDevice")}</span>
          ) : null}
        </p>
        <p className="text-sm text-gray-700">
          {t("signedInWith", { methods: entry.methods.map((method) => tMethods(method)).join(" + "), level: entry.aal })}
        </p>
        <p className="text-sm text-gray-600">
          {place ? `${place} · ` : null}
          {t("lastSeen", { time: when(entry.lastSeenAt) })}
        </p>
        <p className="text-sm text-gray-600">{t("started", { time: when(entry.createdAt) })}</p>
        <p className="text-sm text-gray-600">{t(`binding.${entry.binding}`)}</p>
      </div>
      {entry.current ? null : (
        <form action={endSessionAction} className="shrink-0">
          <input type="hidden" name="locale" value={locale} />
          <input type="hidden" name="sessionId" value={entry.id} />
          <Button type="submit" variant="secondary" className="sm:w-auto">
            {t("end")}
            <span className="sr-only"> {isolate(entry.deviceName)}</span>
          </Button>
        </form>
      )}
    </article>
  );
}
