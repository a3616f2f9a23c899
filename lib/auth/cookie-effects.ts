import type { CookieEffect } from "./commands/types";
import {
  PASSKEY_DEVICE_COOKIE_MAX_AGE_SECONDS,
  bindingCookieName,
  cookieOptions,
  passkeyDeviceCookieName,
  sessionCookieName,
  webauthnBindingCookieName,
  type CookieOptions,
} from "./cookie-names";

export interface CookieWrite {
  name: string;
  value: string;
  options: CookieOptions;
}

/**
 * What each cookie change a command asks for means, in one place: server
 * actions apply it through `next/headers` (cookies.ts), the JSON API writes
 * it as a Set-Cookie header (api-execute.ts).
 */
export function cookieWriteFor(effect: CookieEffect, secure: boolean): CookieWrite {
  const cleared = (name: string): CookieWrite => ({ name, value: "", options: { ...cookieOptions(secure), maxAge: 0 } });
  switch (effect.kind) {
    case "set-session":
      return { name: sessionCookieName(secure), value: effect.token, options: cookieOptions(secure, effect.expiresAt) };
    case "clear-session":
      return cleared(sessionCookieName(secure));
    case "set-binding":
      return { name: bindingCookieName(secure), value: effect.value, options: cookieOptions(secure, effect.expiresAt) };
    case "clear-binding":
      return cleared(bindingCookieName(secure));
    case "set-webauthn-binding":
      return { name: webauthnBindingCookieName(secure), value: effect.value, options: cookieOptions(secure, effect.expiresAt) };
    case "clear-webauthn-binding":
      return cleared(webauthnBindingCookieName(secure));
    case "set-passkey-device":
      return {
        name: passkeyDeviceCookieName(secure),
        value: "1",
        options: { ...cookieOptions(secure), maxAge: PASSKEY_DEVICE_COOKIE_MAX_AGE_SECONDS },
      };
  }
}

/** A Set-Cookie header value: `name=value; Path=/; HttpOnly; SameSite=Lax[; Secure][; Expires=…][; Max-Age=…]`. */
export function setCookieHeader({ name, value, options }: CookieWrite): string {
  const parts = [`${name}=${value}`, `Path=${options.path}`, "HttpOnly", "SameSite=Lax"];
  if (options.secure) parts.push("Secure");
  if (options.expires) parts.push(`Expires=${options.expires.toUTCString()}`);
  if (options.maxAge !== undefined) parts.push(`Max-Age=${options.maxAge}`);
  return parts.join("; ");
}
