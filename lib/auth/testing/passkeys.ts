import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { TEST_BASE_URL, runCommand, type Harness } from "./harness";
import { SoftwareAuthenticator } from "./software-authenticator";

/**
 * A passkey registered through the real ceremony to the account of
 * `sessionToken` (a fresh email session may add its first): its
 * authenticator, to sign with later. Throws when the registration is refused.
 */
export async function registerPasskey(h: Harness, sessionToken: string): Promise<SoftwareAuthenticator> {
  const authenticator = new SoftwareAuthenticator({ origin: TEST_BASE_URL, rpId: "localhost" });
  const begun = await runCommand(h, "AUTH.PASSKEY.REGISTER.BEGIN", {}, { sessionToken });
  if (!begun.ok) throw new Error(`passkey registration refused: ${begun.code}`);
  const response = authenticator.register(begun.data.options as PublicKeyCredentialCreationOptionsJSON);
  const finished = await runCommand(h, "AUTH.PASSKEY.REGISTER.FINISH", { challengeId: begun.data.challengeId, response }, { sessionToken });
  if (!finished.ok) throw new Error(`passkey registration refused: ${finished.code}`);
  return authenticator;
}

/**
 * A step-up for `action` with `authenticator`, through the real ceremony
 * (AUTH.STEP_UP.BEGIN and VERIFY): the session's new token, since a step-up
 * rotates it. Throws when refused.
 */
export async function passkeyStepUp(h: Harness, sessionToken: string, authenticator: SoftwareAuthenticator, action: string): Promise<string> {
  const begun = await runCommand(h, "AUTH.STEP_UP.BEGIN", { action, method: "passkey" }, { sessionToken });
  if (!begun.ok) throw new Error(`step-up refused: ${begun.code}`);
  const response = authenticator.assert(begun.data.options as PublicKeyCredentialRequestOptionsJSON);
  const verified = await runCommand(h, "AUTH.STEP_UP.VERIFY", { challengeId: begun.data.challengeId, response }, { sessionToken });
  if (!verified.ok) throw new Error(`step-up refused: ${verified.code}`);
  return verified.data.sessionToken as string;
}
