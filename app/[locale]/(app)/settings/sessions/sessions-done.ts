/** Where Settings → Sessions' buttons land: `?done=` one of these, or `?error=<code>`; the page translates both. */
export const SESSIONS_DONE = { ended: "ended", endedOthers: "ended-others" } as const;
