import { isoBase64URL } from "@simplewebauthn/server/helpers";
import type { AuthDeps } from "../core/deps";
import type { ActiveSession } from "../core/sessions";
import { userHandleFor } from "./passkey-rules";

/**
 * What the browser's WebAuthn Signal API needs to tell the account's
 * passkey providers how things stand here (components/auth/passkey-signals.ts):
 * every credential this account still accepts (a provider hides the
 * others: a passkey deleted here stops being offered) and the name the
 * passkeys should show. The user handle is the one registration used.
 */
export interface PasskeySignalState {
  rpId: string;
  /** The WebAuthn user handle, base64url: as registration set it (passkey-rules.ts). */
  userId: string;
  credentialIds: string[];
  name: string;
  displayName: string;
}

export async function passkeySignalState(deps: Pick<AuthDeps, "store" | "rp">, session: ActiveSession): Promise<PasskeySignalState> {
  const passkeys = await deps.store.passkeys.listForUser(session.user.id);
  return {
    rpId: deps.rp.id,
    userId: isoBase64URL.fromBuffer(userHandleFor(session.user.id)),
    credentialIds: passkeys.map((passkey) => passkey.credentialId),
    // Registration names the passkey by the email address (userName and displayName alike).
    name: session.user.email,
    displayName: session.user.email,
  };
}
