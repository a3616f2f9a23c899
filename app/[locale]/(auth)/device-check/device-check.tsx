"use client";

import { useLocale } from "next-intl";
import { useEffect, useState } from "react";
import { keepSessionBound } from "@/components/auth/device-key";

/** Proves this browser's device key at once, then goes back; says what to do when it cannot. */
export function DeviceCheck({ next, signInHref, text }: { next: string; signInHref: string; text: { working: string; failed: string; signIn: string } }) {
  const locale = useLocale();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    void keepSessionBound(locale)
      .catch(() => ({ outcome: "refused" as const }))
      .then(({ outcome }) => {
        // A full load, so the page is rendered again for the session as it now is.
        if (outcome === "bound") window.location.replace(next);
        else setFailed(true);
      });
  }, [locale, next]);
  if (!failed) return <p role="status" className="text-gray-700">{text.working}</p>;
  return (
    <div className="space-y-4">
      <p role="alert" className="text-gray-700">{text.failed}</p>
      <a href={signInHref} className="inline-block text-blue-700 underline">
        {text.signIn}
      </a>
    </div>
  );
}
