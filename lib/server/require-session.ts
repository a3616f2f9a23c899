import { redirect } from "next/navigation";
import type { Locale } from "../i18n/locales";
import { currentSession, type SessionView } from "./current-session";

/**
 * For pages that only make sense signed in: the session, or a redirect to
 * sign-in that comes back here afterwards. Checked in each page (not in a
 * layout), because a layout is not re-run on every navigation between the
 * pages it wraps.
 */
export async function requireSession(locale: Locale, path: string): Promise<SessionView> {
  const session = await currentSession();
  if (!session) redirect(`/${locale}/sign-in?callbackUrl=${encodeURIComponent(`/${locale}${path}`)}`);
  return session;
}
