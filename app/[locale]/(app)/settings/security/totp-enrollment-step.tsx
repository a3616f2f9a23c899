"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { OtpInput } from "@/components/auth/otp-input";
import { Button } from "@/components/ui/button";
import type { TotpEnrollmentView } from "./totp-actions";

/**
 * The enrolment itself: the QR code (server-rendered SVG), the same secret
 * as a key to type or copy, a link for an app on this very phone, and the
 * field for the first code. The secret is shown here once; it is never
 * sent anywhere else.
 */
export function TotpEnrollmentStep({
  enrollment,
  ttlMinutes,
  working,
  codeError,
  onSubmit,
  onCancel,
}: {
  enrollment: TotpEnrollmentView;
  ttlMinutes: number;
  working: boolean;
  codeError?: string;
  onSubmit: (code: string) => void;
  onCancel: () => void;
}) {
  const t = useTranslations("totp");
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState(false);

  // Keyboard and screen-reader users land on the new step, not behind it.
  useEffect(() => heading.current?.focus(), []);

  async function copyKey(): Promise<void> {
    // Without the spaces: some apps take the key only in one piece.
    const copiedKey = await navigator.clipboard?.writeText(enrollment.manualKey.replaceAll(" ", "")).then(
      () => true,
      () => false,
    );
    setCopied(copiedKey === true);
  }

  return (
    <section aria-labelledby="totp-scan-heading" className="space-y-4">
      <h3 id="totp-scan-heading" ref={heading} tabIndex={-1} className="font-semibold text-gray-900">
        {t("scanTitle")}
      </h3>
      <div
        role="img"
        aria-label={t("qrLabel")}
        // A white quiet zone whatever the page's colours, and never wider than a phone's screen.
        className="mx-auto w-56 max-w-full bg-white [&>svg]:block [&>svg]:h-auto [&>svg]:w-full"
        // Numbers and two fixed colours only (lib/auth/totp/totp-qr.ts): no text of the URI is in it.
        dangerouslySetInnerHTML={{ __html: enrollment.qrSvg }}
      />
      <div className="space-y-2">
        <p className="text-sm text-gray-800" id="totp-manual-title">
          {t("manualTitle")}
        </p>
        <p>
          <span className="sr-only">{t("manualKeyLabel")}: </span>
          <code
            dir="ltr"
            aria-describedby="totp-manual-title"
            className="block rounded-md bg-gray-100 p-3 text-center font-mono text-base break-all text-gray-900 select-all"
          >
            {enrollment.manualKey}
          </code>
        </p>
        <div className="grid gap-2 sm:grid-cols-2">
          <Button type="button" variant="secondary" onClick={() => void copyKey()}>
            {t("copy")}
          </Button>
          <a
            href={enrollment.otpauthUri}
            className="flex min-h-11 items-center justify-center rounded-md border border-gray-300 bg-white px-4 py-2 text-center text-base font-medium text-gray-900 hover:bg-gray-50"
          >
            {t("openInApp")}
          </a>
        </div>
        <div aria-live="polite">{copied ? <p className="text-sm text-green-800">{t("copied")}</p> : null}</div>
        <p className="text-sm text-gray-600">{t("expires", { minutes: ttlMinutes })}</p>
      </div>

      <form
        className="space-y-4"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit(String(new FormData(event.currentTarget).get("code") ?? ""));
        }}
      >
        <h3 className="font-semibold text-gray-900">{t("codeTitle")}</h3>
        <OtpInput label={t("codeLabel")} hint={t("codeHint")} error={codeError} />
        <Button type="submit" disabled={working}>
          {working ? t("confirming") : t("confirm")}
        </Button>
      </form>
      <Button type="button" variant="link" onClick={onCancel}>
        {t("cancel")}
      </Button>
    </section>
  );
}
