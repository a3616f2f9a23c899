import type { SessionBinding } from "../store/types";
import type { AuthDeps } from "./deps";
import { parseMethodUses, type AuthMethod } from "./method-uses";

/** One of the account's live sessions, as AUTH.SESSION.LIST and Settings → Sessions show it. Never its token. */
export interface ListedSession {
  id: string;
  /** The session asking. */
  current: boolean;
  aal: number;
  methods: AuthMethod[];
  /** "Firefox · Windows": the browser and platform the session started in. */
  deviceName: string;
  /** none | device-key | dbsc: what a copied cookie of it is worth (lib/auth/devices). */
  binding: SessionBinding;
  country: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  /** Whichever comes first: the idle window's end or the absolute limit. */
  expiresAt: Date;
}

/** The account's live sessions, most recently used first, the asking one marked. */
export async function listSessions(
  deps: Pick<AuthDeps, "store" | "clock">,
  input: { userId: string; currentSessionId: string },
): Promise<ListedSession[]> {
  const rows = await deps.store.sessions.listActiveForUser(input.userId, deps.clock.now());
  return rows.map((row) => ({
    id: row.id,
    current: row.id === input.currentSessionId,
    aal: row.aal,
    methods: parseMethodUses(row.methods).map((use) => use.method),
    // A bound session's device has the person's own name for it.
    deviceName: row.deviceName ?? deviceNameOf(row.userAgentClass),
    binding: row.binding,
    country: row.country,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    expiresAt: new Date(Math.min(row.expires.getTime(), row.absoluteExpiresAt.getTime())),
  }));
}

/** "desktop: Firefox · Windows" → "Firefox · Windows". */
function deviceNameOf(userAgentClass: string): string {
  const separator = userAgentClass.indexOf(": ");
  return separator === -1 ? userAgentClass : userAgentClass.slice(separator + 2);
}
