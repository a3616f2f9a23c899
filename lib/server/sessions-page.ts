import { listSessions, type ListedSession } from "../auth/core/session-list";
import { serverDeps } from "../auth/core/server-deps";
import type { SessionView } from "./current-session";

/**
 * Settings → Sessions' list, read while rendering (a page GET cannot run a
 * command): the same read as AUTH.SESSION.LIST, for the signed-in account.
 */
export async function sessionsForPage(session: SessionView): Promise<ListedSession[]> {
  return listSessions(serverDeps(), { userId: session.user.id, currentSessionId: session.id });
}

export type { ListedSession };
