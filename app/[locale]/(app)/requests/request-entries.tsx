import { getFormatter, getTranslations } from "next-intl/server";
import { Button } from "@/components/ui/button";
import { formatFileSize } from "@/lib/i18n/format-size";
import { isolate } from "@/lib/i18n/isolate";
import type { AccessDecision, IncomingRequest, SharedFile } from "@/lib/product/access-requests";
import { decideRequestAction, requestAccessAction } from "./actions";

const linkButton =
  "inline-flex min-h-11 items-center rounded-md border border-gray-300 bg-white px-4 font-medium text-gray-900 hover:bg-gray-50";

/** A file sent to the signed-in address: ask for it, wait, or download it once approved. */
export async function SharedFileEntry({ item, locale }: { item: SharedFile; locale: string }) {
  const t = await getTranslations("requests");
  const tFiles = await getTranslations("files");
  const format = await getFormatter();
  const name = isolate(item.fileName);
  const status = item.request?.status;
  return (
    <div className="flex flex-wrap items-start justify-between gap-3">
      <div className="min-w-0 space-y-1">
        <p className="break-words font-medium text-gray-900">
          <bdi>{item.fileName}</bdi>
        </p>
        <p className="text-sm text-gray-600">
          {t("from", { email: isolate(item.senderEmail), date: format.dateTime(item.sentAt, { dateStyle: "medium" }) })} ·{" "}
          {formatFileSize(locale, item.sizeBytes)}
        </p>
        {status ? (
          <p className={`text-sm ${status === "declined" ? "text-red-700" : "text-gray-700"}`}>
            {status === "approved" ? t("statusApproved") : status === "declined" ? t("statusDeclined") : t("statusPending")}
          </p>
        ) : null}
      </div>
      {status === "approved" ? (
        <a href={`/api/files/${encodeURIComponent(item.fileId)}`} aria-label={tFiles("downloadName", { name })} className={linkButton}>
          {tFiles("download")}
        </a>
      ) : null}
      {!status ? (
        <form action={requestAccessAction}>
          <input type="hidden" name="locale" value={locale} />
          <input type="hidden" name="fileId" value={item.fileId} />
          <Button type="submit" aria-label={t("askName", { name })} className="w-auto">
            {t("ask")}
          </Button>
        </form>
      ) : null}
    </div>
  );
}

/** Someone asked for one of the owner's files: approve, decline, or take access back. */
export async function IncomingRequestEntry({ request, locale }: { request: IncomingRequest; locale: string }) {
  const t = await getTranslations("requests");
  const format = await getFormatter();
  const email = isolate(request.requesterEmail);
  const decisions: AccessDecision[] =
    request.status === "pending" ? ["approve", "decline"] : request.status === "approved" ? ["decline"] : ["approve"];
  return (
    <div className="flex flex-wrap items-start justify-between gap-3">
      <div className="min-w-0 space-y-1">
        <p className="break-words font-medium text-gray-900">{t("incomingEntry", { email, name: isolate(request.fileName) })}</p>
        <p className="text-sm text-gray-600">
          {t("askedAt", { date: format.dateTime(request.createdAt, { dateStyle: "medium", timeStyle: "short" }) })} ·{" "}
          <span className="font-medium">{t(request.status)}</span>
        </p>
      </div>
      <div className="flex gap-2">
        {decisions.map((decision) => (
          <form key={decision} action={decideRequestAction}>
            <input type="hidden" name="locale" value={locale} />
            <input type="hidden" name="requestId" value={request.id} />
            <input type="hidden" name="decision" value={decision} />
            <Button
              type="submit"
              variant={decision === "approve" ? "primary" : "secondary"}
              aria-label={labelFor(t, decision, request.status, { email, name: isolate(request.fileName) })}
              className="w-auto"
            >
              {decision === "approve" ? t("approve") : request.status === "approved" ? t("revoke") : t("decline")}
            </Button>
          </form>
        ))}
      </div>
    </div>
  );
}

type RequestsTranslator = Awaited<ReturnType<typeof getTranslations<"requests">>>;

/** Buttons repeat per request, so each one's accessible name says whose request, for which file. */
function labelFor(
  t: RequestsTranslator,
  decision: AccessDecision,
  status: IncomingRequest["status"],
  values: { email: string; name: string },
): string {
  if (decision === "approve") return t("approveFor", values);
  return status === "approved" ? t("revokeFor", values) : t("declineFor", values);
}
