import type { Locale } from "../i18n/locales";
import { applyCookieEffects, currentRequestContext, readAuthCookies } from "./cookies";
import { execute, type Execution } from "./execute";
import { serverDeps } from "./server-deps";

/**
 * How server actions run a command: the browser's cookies and headers
 * become the command context, and the command's cookie changes are applied
 * to the response. Actions stay thin: parse the form, call this, map the
 * envelope to form state.
 */
export async function runBrowserCommand(command: string, params: unknown, locale: Locale): Promise<Execution> {
  const [authCookies, request] = await Promise.all([readAuthCookies(), currentRequestContext()]);
  const execution = await execute(serverDeps(), command, params, {
    channel: "browser",
    locale,
    request,
    sessionToken: authCookies.sessionToken,
    sessionFromCookie: authCookies.sessionToken !== null,
    bindingCookie: authCookies.binding,
    webauthnBindingCookie: authCookies.webauthnBinding,
    passkeyOnThisBrowser: authCookies.passkeyDevice,
  });
  await applyCookieEffects(execution.effects);
  return execution;
}
