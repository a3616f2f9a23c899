"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { useRetryWhen } from "@/components/product/retry-when";
import { Field } from "@/components/ui/field";
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_MEGABYTES, UPLOAD_ACCEPT, type UploadProblem } from "@/lib/product/file-rules";
import { UPLOADS_PER_USER_PER_HOUR } from "@/lib/product/limit-rules";

/**
 * A plain multipart form posted to /api/files (it works without
 * JavaScript; the route answers with a redirect back to the files page).
 * With JavaScript, a missing or oversized file is caught here first, so
 * nobody waits for 50 MB to upload only to be told 10 is the limit.
 */
export function UploadForm({
  locale,
  problem,
  retryAfterSeconds,
}: {
  locale: string;
  problem?: UploadProblem;
  /** With RATE_LIMITED: how long until an upload is accepted again. */
  retryAfterSeconds?: number;
}) {
  const t = useTranslations("files");
  const tErrors = useTranslations("errors");
  const retryWhen = useRetryWhen();
  const [localProblem, setLocalProblem] = useState<UploadProblem | undefined>(problem);
  const [uploading, setUploading] = useState(false);

  // Coming back with the Back button restores this page from the cache
  // mid-upload; the button must work again.
  useEffect(() => {
    const reset = (event: PageTransitionEvent) => event.persisted && setUploading(false);
    window.addEventListener("pageshow", reset);
    return () => window.removeEventListener("pageshow", reset);
  }, []);

  function check(event: FormEvent<HTMLFormElement>) {
    const input = event.currentTarget.elements.namedItem("file");
    const file = input instanceof HTMLInputElement ? input.files?.[0] : undefined;
    const found: UploadProblem | undefined = !file ? "FILE_REQUIRED" : file.size > MAX_UPLOAD_BYTES ? "FILE_TOO_LARGE" : undefined;
    if (found) {
      event.preventDefault();
      setLocalProblem(found);
      return;
    }
    setLocalProblem(undefined);
    setUploading(true);
  }

  return (
    <form
      action={`/api/files?locale=${locale}`}
      method="post"
      encType="multipart/form-data"
      onSubmit={check}
      noValidate
      className="space-y-4"
    >
      <Field
        id="file"
        name="file"
        type="file"
        label={t("fileLabel")}
        hint={t("fileHint", { megabytes: MAX_UPLOAD_MEGABYTES })}
        error={
          localProblem === "RATE_LIMITED"
            ? t("uploadLimited", { max: UPLOADS_PER_USER_PER_HOUR, when: retryWhen(retryAfterSeconds) })
            : localProblem
              ? tErrors(localProblem, { minutes: 1 })
              : undefined
        }
        accept={UPLOAD_ACCEPT}
        required
        className="file:me-3 file:rounded file:border-0 file:bg-gray-100 file:px-3 file:py-1"
      />
      <Button type="submit" disabled={uploading} className="sm:w-auto">
        {uploading ? t("uploading") : t("upload")}
      </Button>
    </form>
  );
}
