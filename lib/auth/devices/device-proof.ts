import { webcrypto } from "node:crypto";
import { z } from "zod";
import { deviceProofText, type DeviceProofStatement } from "./device-proof-statement";

export { DEVICE_PROOF_PURPOSES, DEVICE_PROOF_VERSION, deviceProofText } from "./device-proof-statement";
export type { DeviceProofPurpose, DeviceProofStatement } from "./device-proof-statement";

/**
 * A device proof (docs/device-proof.md): the browser's device key, an
 * ECDSA P-256 key pair made with WebCrypto and never extractable, signs a
 * five-line statement naming what it proves, for whom and where. The
 * server checks the signature against the public key the device
 * registered. This file is the protocol alone, with no storage: which
 * challenge is live, which key is registered or revoked, is the
 * ceremony's business (device-proving.ts).
 *
 * The signature is IEEE P1363 (r ‖ s, 64 bytes), what WebCrypto produces
 * and checks; a DER-encoded one (what OpenSSL and most JOSE-less tools
 * emit) is refused rather than converted, so that one byte string means
 * one thing.
 */

/** P1363: r and s, 32 bytes each. */
const SIGNATURE_BYTES = 64;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** A P-256 coordinate: 32 bytes, 43 base64url characters without padding. */
const coordinate = z.string().regex(BASE64URL).length(43);

/**
 * A device's public key as the browser exports it (`exportKey("jwk")`).
 * Anything else is refused: another curve or key type, and above all a
 * key that carries its private part (`d`): a client that sends one has
 * made its key extractable, and the server must never hold it.
 */
export const devicePublicKeySchema = z.strictObject({
  kty: z.literal("EC"),
  crv: z.literal("P-256"),
  x: coordinate,
  y: coordinate,
  ext: z.boolean().optional(),
  key_ops: z.array(z.literal("verify")).optional(),
});

export type DevicePublicKey = z.infer<typeof devicePublicKeySchema>;

/**
 * Whether `signature` (base64url P1363) is the device key's signature over
 * the statement. False, never an exception, for a malformed signature or a
 * key that is not a valid point on the curve.
 */
export async function verifyDeviceProof(input: {
  publicKey: DevicePublicKey;
  statement: DeviceProofStatement;
  signature: string;
}): Promise<boolean> {
  const signature = decodeSignature(input.signature);
  if (!signature) return false;
  let key: webcrypto.CryptoKey;
  try {
    const { kty, crv, x, y } = input.publicKey;
    key = await webcrypto.subtle.importKey("jwk", { kty, crv, x, y }, { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
  } catch {
    // Coordinates that are not a point on P-256.
    return false;
  }
  const text = new TextEncoder().encode(deviceProofText(input.statement));
  return webcrypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, signature, text);
}

function decodeSignature(value: string): Uint8Array | null {
  if (!BASE64URL.test(value)) return null;
  const bytes = Buffer.from(value, "base64url");
  // The round trip refuses non-canonical encodings (stray bits in the last character).
  if (bytes.length !== SIGNATURE_BYTES || bytes.toString("base64url") !== value) return null;
  return new Uint8Array(bytes);
}

/** base64url of a 64-byte P1363 signature is 86 characters; more is not one. */
export const deviceSignatureSchema = z.string().min(1).max(128);
