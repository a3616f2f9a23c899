import { cookies, headers } from "next/headers";
import { env } from "../../env";
import type { CookieEffect } from "./command-types";
import { cookieWriteFor } from "./cookie-effects";
import { bindingCookieName, passkeyDeviceCookieName, sessionCookieName, webauthnBindingCookieName } from "./cookie-names";
import { requestContextFrom, type RequestContext } from "./request-context";

/**
 * The one place (with lib/server/browser-command.ts) that touches `next/headers`:
 * reading this request's auth cookies and context, and applying the cookie
 * changes a command asked for.
 */
export async function readAuthCookies(): Promise<{
  sessionToken: string | null;
  binding: string | null;
  webauthnBinding: string | null;
  passkeyDevice: boolean;
}> {
  const jar = await cookies();
  const secure = env().secureCookies;
  return {
    sessionToken: jar.get(sessionCookieName(secure))?.value ?? null,
    binding: jar.get(bindingCookieName(secure))?.value ?? null,
    webauthnBinding: jar.get(webauthnBindingCookieName(secure))?.value ?? null,
    passkeyDevice: jar.get(passkeyDeviceCookieName(secure))?.value === "1",
  };
}

/** Whether this browser registered or used a passkey before: pages offer the passkey first then. */
export async function passkeyUsedOnThisBrowser(): Promise<boolean> {
  return (await readAuthCookies()).passkeyDevice;
}

export async function currentRequestContext(): Promise<RequestContext> {
  const config = env();
  return requestContextFrom(await headers(), {
    trustProxyHops: config.TRUST_PROXY_HOPS,
    countryHeader: config.COUNTRY_HEADER,
    latitudeHeader: config.LATITUDE_HEADER,
    longitudeHeader: config.LONGITUDE_HEADER,
  });
}

export async function applyCookieEffects(effects: readonly CookieEffect[]): Promise<void> {
  if (effects.length === 0) return;
  const jar = await cookies();
  const secure = env().secureCookies;
  for (const effect of effects) {
    const { name, value, options } = cookieWriteFor(effect, secure);
    jar.set(name, value, options);
  }
}
