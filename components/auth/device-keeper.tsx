"use client";

import { useLocale } from "next-intl";
import { useEffect } from "react";
import { keepSessionBound } from "./device-key";

/** How soon to look again when the server gave no due time (a proof just made): the next look reads it. */
const RECHECK_MS = 30_000;

/**
 * Keeps the signed-in session bound to this browser's device key, in the
 * background and never as a prompt (components/auth/device-key.ts): on
 * every signed-in page, and again before each proof falls due while the
 * page stays open. Renders nothing.
 */
export function DeviceKeeper() {
  const locale = useLocale();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    async function check() {
      const { outcome, nextCheckAt } = await keepSessionBound(locale).catch(() => ({ outcome: "refused" as const, nextCheckAt: null }));
      if (stopped || outcome === "unsupported" || outcome === "signed-out" || outcome === "bound-by-browser") return;
      const wait = nextCheckAt === null ? RECHECK_MS : Math.max(RECHECK_MS, nextCheckAt - Date.now());
      if (outcome === "bound") timer = setTimeout(check, wait);
    }
    void check();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [locale]);
  return null;
}
