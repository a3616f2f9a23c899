import { getBrowserCapabilities, platformAuthenticatorIsAvailable } from "@simplewebauthn/browser";

/**
 * Whether this browser can make a passkey on this device, asked the way
 * WebAuthn Level 3 lets a page ask (getClientCapabilities, through
 * @simplewebauthn/browser's getBrowserCapabilities) rather than guessed
 * from the user agent. A browser that cannot say ("unknown", or no such
 * method) is asked the older question.
 */
export async function canMakePlatformPasskey(): Promise<boolean> {
  const capabilities = await getBrowserCapabilities().catch(() => null);
  const answer = capabilities?.userVerifyingPlatformAuthenticator;
  if (answer === "supported") return true;
  if (answer === "unsupported") return false;
  return platformAuthenticatorIsAvailable();
}

/**
 * Whether the browser offers conditional create: right after the person
 * used a password manager, that manager may make a passkey without a
 * dialog (`mediation: "conditional"` on create, WebAuthn Level 3). Only a
 * clear "supported": where it is unknown, trying would just fail quietly.
 */
export async function canCreatePasskeyQuietly(): Promise<boolean> {
  const capabilities = await getBrowserCapabilities().catch(() => null);
  return capabilities?.conditionalCreate === "supported";
}
