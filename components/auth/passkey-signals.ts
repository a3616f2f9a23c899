import { sendSignal } from "@simplewebauthn/browser";
import type { PasskeySignalState } from "@/lib/auth/passkeys/passkey-signals";

/**
 * WebAuthn's Signal API (Level 3), through @simplewebauthn/browser's
 * sendSignal: tells the browser's passkey providers how things stand on
 * this site, so they stop offering a passkey deleted here and show the
 * account's current name. Best effort and silent: a browser without the
 * API, or a provider that ignores it, changes nothing for the person.
 * No server action here: the sign-in page loads this module too.
 */

/** Chrome 132+, Safari 26+; elsewhere nothing is asked of the server either. */
export function browserCanSignal(): boolean {
  // `in` narrows the constructor's type to one that has the method: no cast needed for an API TypeScript does not know yet.
  return (
    typeof PublicKeyCredential !== "undefined" &&
    "signalAllAcceptedCredentials" in PublicKeyCredential &&
    typeof PublicKeyCredential.signalAllAcceptedCredentials === "function"
  );
}

/** Every passkey the account still accepts, and its name (AUTH.PASSKEY.SIGNAL_STATE's answer). */
export async function signalAccountPasskeys(state: PasskeySignalState): Promise<void> {
  if (!browserCanSignal()) return;
  const { rpId: rpID, userId: userID, credentialIds, name, displayName } = state;
  await Promise.allSettled([
    sendSignal({ signalName: "allAcceptedCredentials", rpID, userID, allAcceptedCredentialIDs: credentialIds }),
    sendSignal({ signalName: "currentUserDetails", rpID, userID, userName: name, userDisplayName: displayName }),
  ]);
}

/** A sign-in offered a passkey this site no longer knows (PASSKEY_UNKNOWN): the provider may forget it. */
export async function signalUnknownPasskey(rpID: string, credentialID: string): Promise<void> {
  if (!browserCanSignal()) return;
  await sendSignal({ signalName: "unknownCredential", rpID, credentialID }).catch(() => undefined);
}
