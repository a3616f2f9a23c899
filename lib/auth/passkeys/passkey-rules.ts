import { isoBase64URL } from "@simplewebauthn/server/helpers";

/**
 * The checks WebAuthn asks of the relying party that the library leaves to
 * us (docs/assurance-model.md, WebAuthn), kept small and pure so they are easy to test.
 */

/** WA §7.1 step 18: a credential id longer than 1023 bytes is refused. */
export const MAX_CREDENTIAL_ID_BYTES = 1023;
export const MAX_PASSKEY_NAME_LENGTH = 64;

export function credentialIdAcceptable(credentialId: string): boolean {
  if (!isoBase64URL.isBase64URL(credentialId)) return false;
  const bytes = isoBase64URL.toBuffer(credentialId).length;
  return bytes > 0 && bytes <= MAX_CREDENTIAL_ID_BYTES;
}

/** A credential that is not backup eligible cannot be backed up (WA §6.1.3: BE=0 with BS=1 is invalid). */
export function backupFlagsConsistent(backupEligible: boolean, backedUp: boolean): boolean {
  return backupEligible || !backedUp;
}

/** The WebAuthn user handle: the account id's bytes, never the email (it would leak to the authenticator's list). */
export function userHandleFor(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(new TextEncoder().encode(userId));
}

export function userIdFromHandle(userHandle: string): string | null {
  if (!isoBase64URL.isBase64URL(userHandle)) return null;
  return new TextDecoder("utf-8", { fatal: false }).decode(isoBase64URL.toBuffer(userHandle));
}

/**
 * A passkey's display name: what the person typed, or their browser. Control
 * and bidi-override characters are removed so a name cannot disguise itself;
 * rendering escapes the rest.
 */
export function passkeyName(typed: string | undefined, browserSummary: string): string {
  const cleaned = (typed ?? "").replace(/[\p{Cc}\p{Cf}]/gu, "").trim().slice(0, MAX_PASSKEY_NAME_LENGTH);
  return cleaned || browserSummary.slice(0, MAX_PASSKEY_NAME_LENGTH) || "Passkey";
}

/**
 * WA §7.2 step 22: when either counter is non-zero the new one must be
 * greater; otherwise the credential may have been cloned.
 */
export function counterRegressed(stored: number, received: number): boolean {
  return (stored !== 0 || received !== 0) && received <= stored;
}
