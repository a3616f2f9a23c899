import { getFormatter, getTranslations } from "next-intl/server";
import { PasskeyUpgradePrompt } from "@/components/auth/passkey-upgrade-prompt";
import { PrivacyToggle } from "@/components/product/privacy-toggle";
import { SendFileForm } from "@/components/product/send-file-form";
import { UploadForm } from "@/components/product/upload-form";
import { FormMessage } from "@/components/ui/form-message";
import { Panel } from "@/components/ui/panel";
import { openSignedInPage } from "@/lib/server/require-session";
import { formatFileSize } from "@/lib/i18n/format-size";
import { isolate } from "@/lib/i18n/isolate";
import { Link } from "@/lib/i18n/navigation";
import { DONE, doneMessageKey } from "@/lib/product/done-flags";
import { EXPORT_PATH } from "@/lib/product/export-http";
import { MAX_STORED_BYTES_PER_USER, isUploadProblem } from "@/lib/product/file-rules";
import type { OwnFile } from "@/lib/product/files";
import { filesPageData } from "@/lib/product/page-data";
import type { RecipientChoice } from "@/components/product/send-file-form";
import { PageHeader } from "@/components/ui/page-header";

export const dynamic = "force-dynamic";

export default async function FilesPage({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<{ done?: string; error?: string; retry?: string }>;
}) {
  const { locale, session } = await openSignedInPage((await params).locale, "/files");
  const query = await searchParams;
  const t = await getTranslations("files");
  const { files, recipients, storedBytes } = await filesPageData(session.user.id);
  const choices: RecipientChoice[] = recipients.map((recipient) => ({
    id: recipient.id,
    label: `${isolate(recipient.name)} (${isolate(recipient.email)})`,
  }));
  const doneKey = doneMessageKey(query.done, { [DONE.uploaded]: "doneUploaded", [DONE.sent]: "doneSent" } as const);
  const done = doneKey ? t(doneKey) : null;

  return (
    <div className="space-y-6">
      <PageHeader title={t("title")} intro={t("intro")} />
      {done ? <FormMessage tone="success">{done}</FormMessage> : null}
      {/* Right after a file was sent: the moment a passkey is worth offering. */}
      {query.done === DONE.sent ? <PasskeyUpgradePrompt action="send_file" /> : null}
      <Panel id="upload-heading" title={t("uploadTitle")}>
        <p className="mb-4 text-sm text-gray-600">
          {t("storageUsed", { used: formatFileSize(locale, storedBytes), total: formatFileSize(locale, MAX_STORED_BYTES_PER_USER) })}
        </p>
        <UploadForm
          locale={locale}
          problem={isUploadProblem(query.error) ? query.error : undefined}
          retryAfterSeconds={retrySeconds(query.retry)}
        />
      </Panel>
      <Panel id="files-heading" title={t("listTitle")}>
        {files.length > 0 && choices.length === 0 ? (
          <FormMessage tone="info">
            {t("noRecipients")}{" "}
            <Link href="/recipients" className="font-medium underline">
              {t("addRecipient")}
            </Link>
          </FormMessage>
        ) : null}
        {files.length === 0 ? (
          <p className="text-gray-700">{t("empty")}</p>
        ) : (
          <>
            <ExportAllLink />
            <ul className="divide-y divide-gray-200">
              {files.map((file) => (
                <li key={file.id} className="py-4 first:pt-0 last:pb-0">
                  <FileEntry file={file} locale={locale} recipients={choices} />
                </li>
              ))}
            </ul>
          </>
        )}
      </Panel>
    </div>
  );
}

/**
 * "Export all files": a plain link, like a download. The route streams a zip
 * after a `file.export` step-up; a browser without one is sent to the
 * step-up page and back (lib/product/export-http.ts).
 */
async function ExportAllLink() {
  const t = await getTranslations("files.export");
  return (
    <div className="mb-4 flex flex-col gap-1 sm:flex-row sm:items-center sm:gap-3">
      <a
        href={EXPORT_PATH}
        // shrink-0: beside the hint on a wide screen, the button keeps its label on one line.
        className="inline-flex min-h-11 shrink-0 items-center justify-center rounded-md border border-gray-300 bg-white px-4 font-medium text-gray-900 hover:bg-gray-50"
      >
        {t("link")}
      </a>
      <p className="text-sm text-gray-600">{t("hint")}</p>
    </div>
  );
}

/** `?retry=` from the upload route (seconds); anything else in it is ignored. */
function retrySeconds(value: string | undefined): number | undefined {
  const seconds = Number(value);
  return Number.isInteger(seconds) && seconds > 0 ? seconds : undefined;
}

async function FileEntry({ file, locale, recipients }: { file: OwnFile; locale: string; recipients: RecipientChoice[] }) {
  const t = await getTranslations("files");
  const format = await getFormatter();
  const date = (at: Date) => format.dateTime(at, { dateStyle: "medium", timeStyle: "short" });
  const headingId = `file-${file.id}`;
  return (
    <article aria-labelledby={headingId} className="space-y-3">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 id={headingId} className="break-words font-medium text-gray-900">
            <bdi>{file.name}</bdi>
          </h3>
          {file.private ? (
            <p className="mt-1">
              <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">{t("privacy.badge")}</span>
            </p>
          ) : null}
          <p className="text-sm text-gray-600">
            {formatFileSize(locale, file.sizeBytes)} · {t("uploadedAt", { date: date(file.createdAt) })}
          </p>
        </div>
        {/* A plain link: the route answers with Content-Disposition: attachment. */}
        <a
          href={`/api/files/${encodeURIComponent(file.id)}`}
          aria-label={t("downloadName", { name: isolate(file.name) })}
          className="inline-flex min-h-11 items-center rounded-md border border-gray-300 bg-white px-4 font-medium text-gray-900 hover:bg-gray-50"
        >
          {t("download")}
        </a>
      </div>
      <PrivacyToggle fileId={file.id} fileName={file.name} isPrivate={file.private} />
      {recipients.length > 0 ? <SendFileForm fileId={file.id} fileName={file.name} recipients={recipients} /> : null}
      {file.sentTo.length > 0 ? (
        <div className="text-sm text-gray-700">
          <p className="font-medium">{t("sentTo")}</p>
          <ul className="list-inside list-disc">
            {file.sentTo.map((sent, index) => (
              <li key={`${sent.recipientEmail}-${index}`}>
                {t("sentToEntry", { name: isolate(sent.recipientName), email: isolate(sent.recipientEmail), date: date(sent.at) })}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </article>
  );
}
