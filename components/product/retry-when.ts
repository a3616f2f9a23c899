"use client";

import { useFormatter, useNow } from "next-intl";

/**
 * "in 3 hours", "dentro de 40 minutos", "خلال 3 ساعات": when a refused
 * action may be tried again, for the product's limit messages (a day-long
 * limit said in minutes would read "1,380 minutes").
 */
export function useRetryWhen(): (retryAfterSeconds: number | undefined) => string {
  const format = useFormatter();
  const now = useNow();
  return (retryAfterSeconds) => format.relativeTime(new Date(now.getTime() + (retryAfterSeconds ?? 60) * 1000), now);
}
