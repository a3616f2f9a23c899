/** Where Settings → Devices' buttons land: `?done=` one of these, or `?error=<code>`; the page translates both. */
export const DEVICES_DONE = { renamed: "renamed", revoked: "revoked" } as const;
