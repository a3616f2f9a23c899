import { setRequestLocale } from "next-intl/server";
import { redirect } from "next/navigation";
import type { Locale } from "../i18n/locales";
import { localeFrom } from "../i18n/paths";
import { currentSession, type SessionView } from "./current-session";

/**
 * For pages that only make sense signed in: the session, or a redirect to
 * sign-in that comes back here afterwards. Checked in each page (not in a
 * layout), because a layout is not re-run on every navigation between the
 * pages it wraps.
 */
export async function requireSession(locale: Locale, path: string): Promise<SessionView> {
  const session = await currentSession();
  const here = encodeURIComponent(`/${locale}${path}`);
  if (!session) redirect(`/${locale}/sign-in?callbackUrl=${here}`);
  // A bound session shows nothing until its device proves its key again (lib/auth/devices).
  if (session.deviceProofDue) redirect(`/${locale}/device-check?callbackUrl=${here}`);
  return session;
}

/**
 * The opening lines every signed-in page shares: the locale from the route
 * (anything unknown becomes the default), the request's locale for
 * next-intl's server functions, and the session or the way to sign-in.
 */
export async function openSignedInPage(routeLocale: string, path: string): Promise<{ locale: Locale; session: SessionView }> {
  const locale = localeFrom(routeLocale);
  setRequestLocale(locale);
  return { locale, session: await requireSession(locale, path) };
}
