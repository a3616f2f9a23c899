import { webcrypto } from "node:crypto";
import { runCommand, TEST_BASE_URL, type Harness } from "../testing/harness";
import { deviceProofText, type DeviceProofPurpose } from "./device-proof";

/**
 * A device as a browser is one: a non-extractable P-256 key made with
 * WebCrypto (Node's, the same API), its public JWK, and a way to sign a
 * statement. `sign` takes the statement's fields so a test can lie in any one.
 */
export interface TestDevice {
  publicKey: webcrypto.JsonWebKey;
  sign(statement: { origin?: string; purpose: DeviceProofPurpose; challenge: string; sessionId: string }): Promise<string>;
}

export async function makeTestDevice(): Promise<TestDevice> {
  const pair = await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  const publicKey = await webcrypto.subtle.exportKey("jwk", pair.publicKey);
  return {
    publicKey,
    async sign({ origin = TEST_BASE_URL, ...rest }) {
      const text = new TextEncoder().encode(deviceProofText({ origin, ...rest }));
      const signature = await webcrypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, pair.privateKey, text);
      return Buffer.from(signature).toString("base64url");
    },
  };
}

/** The session id of a token, as the browser learns it (AUTH.SESSION.GET). */
export async function sessionIdOf(h: Harness, sessionToken: string): Promise<string> {
  const got = await runCommand(h, "AUTH.SESSION.GET", {}, { sessionToken });
  return (got.data.session as { id: string }).id;
}

/** Registers `device` to the account of `sessionToken`; its id. Throws when refused. */
export async function registerTestDevice(h: Harness, sessionToken: string, device: TestDevice): Promise<string> {
  const registered = await runCommand(h, "AUTH.DEVICE.REGISTER", { publicKey: device.publicKey }, { sessionToken });
  if (!registered.ok) throw new Error(`device registration refused: ${registered.code}`);
  return registered.data.deviceId as string;
}

/** One honest proof, the way the browser makes it; the command's answer. */
export async function proveTestDevice(
  h: Harness,
  sessionToken: string,
  device: TestDevice,
  deviceId: string,
  purpose: "register" | "session" = "session",
) {
  const issued = await runCommand(h, "AUTH.DEVICE.CHALLENGE", { deviceId, purpose }, { sessionToken });
  if (!issued.ok) return issued;
  const signature = await device.sign({ purpose, challenge: issued.data.challenge as string, sessionId: await sessionIdOf(h, sessionToken) });
  return runCommand(h, "AUTH.DEVICE.PROVE", { challengeId: issued.data.challengeId, purpose, signature }, { sessionToken });
}
