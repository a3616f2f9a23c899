import type { CommandContext, CookieEffect } from "./command-types";
import {
  PASSKEY_DEVICE_COOKIE_MAX_AGE_SECONDS,
  bindingCookieName,
  cookieOptions,
  passkeyDeviceCookieName,
  sessionCookieName,
  webauthnBindingCookieName,
  type CookieOptions,
} from "./cookie-names";
import type { ActiveSession } from "./sessions";

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

/**
 * A command's cookie changes, plus the session cookie re-issued with its
 * new expiry when the session lookup slid the idle window (sessions.ts
 * `findActiveSession`). The row and the cookie move together, at most once
 * per SESSION_TOUCH_INTERVAL_SECONDS: without this an AAL2 session's cookie
 * would end an hour after sign-in however busy its person is. Nothing is
 * added when the token came as a Bearer header (that client keeps no
 * cookie) or when the command already set or cleared the session cookie
 * itself (a new token after a re-confirmation, a sign-out): its change wins.
 */
export function withSessionRefresh(
  effects: CookieEffect[],
  session: Pick<ActiveSession, "slid" | "expiresAt"> | null,
  ctx: Pick<CommandContext, "sessionToken" | "sessionFromCookie">,
): CookieEffect[] {
  if (!session?.slid || !ctx.sessionFromCookie || !ctx.sessionToken) return effects;
  if (effects.some((effect) => effect.kind === "set-session" || effect.kind === "clear-session")) return effects;
  return [...effects, { kind: "set-session", token: ctx.sessionToken, expiresAt: session.expiresAt }];
}

/** A Set-Cookie header value: `name=value; Path=/; HttpOnly; SameSite=Lax[; Secure][; Expires=…][; Max-Age=…]`. */
export function setCookieHeader({ name, value, options }: CookieWrite): string {
  const parts = [`${name}=${value}`, `Path=${options.path}`, "HttpOnly", "SameSite=Lax"];
  if (options.secure) parts.push("Secure");
  if (options.expires) parts.push(`Expires=${options.expires.toUTCString()}`);
  if (options.maxAge !== undefined) parts.push(`Max-Age=${options.maxAge}`);
  return parts.join("; ");
}
