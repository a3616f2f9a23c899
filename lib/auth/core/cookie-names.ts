import { MAGIC_LINK_TTL_SECONDS } from "./email-challenge-lifetime";

/**
 * Cookie names and options, shared by Auth.js (which reads the session
 * cookie) and our ceremonies (which write it). Over HTTPS the `__Host-`
 * prefix makes the browser refuse the cookie unless it is Secure, has
 * Path=/ and no Domain, so a sibling subdomain cannot plant or read it.
 */
export function sessionCookieName(secure: boolean): string {
  return secure ? "__Host-authjs.session-token" : "authjs.session-token";
}

export function bindingCookieName(secure: boolean): string {
  return secure ? "__Host-tl-binding" : "tl-binding";
}

export function webauthnBindingCookieName(secure: boolean): string {
  return secure ? "__Host-tl-webauthn" : "tl-webauthn";
}

/** Remembers that this browser has a passkey, to offer it first next time. Not a credential. */
export function passkeyDeviceCookieName(secure: boolean): string {
  return secure ? "__Host-tl-passkey-device" : "tl-passkey-device";
}

/** About 400 days, the longest lifetime browsers allow a cookie. */
export const PASSKEY_DEVICE_COOKIE_MAX_AGE_SECONDS = 400 * 24 * 60 * 60;

export interface CookieOptions {
  httpOnly: true;
  secure: boolean;
  sameSite: "lax";
  path: "/";
  expires?: Date;
  maxAge?: number;
}

export function cookieOptions(secure: boolean, expires?: Date): CookieOptions {
  return { httpOnly: true, secure, sameSite: "lax", path: "/", ...(expires ? { expires } : {}) };
}

/** The binding cookie lives exactly as long as the link it binds. */
export const BINDING_COOKIE_MAX_AGE_SECONDS = MAGIC_LINK_TTL_SECONDS;
