import type { CommandInput, CommandName, CommandOutput } from "../auth/core/registry";
import { applyCookieEffects, currentRequestContext, readAuthCookies } from "../auth/core/cookies";
import { executeCommand, type Execution } from "../auth/core/execute";
import type { Locale } from "../i18n/locales";
import type { AppCommands } from "./commands";
import { appDeps } from "./deps";

/**
 * How server actions run a command: the browser's cookies and headers
 * become the command context, and the command's cookie changes are applied
 * to the response. Actions stay thin: parse the form, call this, map the
 * envelope (lib/auth/core/action-result.ts).
 *
 * Typed by the registry: the name must be a registered command, the params
 * that command's input, and the data comes back as its handler's output.
 */
export async function runBrowserCommand<N extends CommandName<AppCommands>>(
  command: N,
  params: CommandInput<AppCommands, N>,
  locale: Locale,
): Promise<Execution<CommandOutput<AppCommands, N>>> {
  const [authCookies, request] = await Promise.all([readAuthCookies(), currentRequestContext()]);
  const execution = await executeCommand(appDeps(), command, params, {
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
