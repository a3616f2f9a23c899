import { createPrivateKey, sign, webcrypto } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEVICE_PROOF_VERSION, devicePublicKeySchema, deviceProofText, verifyDeviceProof, type DeviceProofStatement, type DevicePublicKey } from "./device-proof";

/**
 * The device proof's protocol with keys made here as a browser makes them
 * (WebCrypto, P-256, a non-extractable private key), and every way a proof
 * made for something else must fail.
 */

const STATEMENT: DeviceProofStatement = {
  origin: "https://app.example.com",
  purpose: "session",
  challenge: "q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c",
  sessionId: "0193a5c2-7d1e-7b4a-9c3d-2e1f0a9b8c7d",
};

async function deviceKey() {
  const pair = await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  const publicKey = devicePublicKeySchema.parse(await webcrypto.subtle.exportKey("jwk", pair.publicKey));
  const signText = async (text: string) =>
    Buffer.from(await webcrypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, pair.privateKey, new TextEncoder().encode(text))).toString(
      "base64url",
    );
  return { publicKey, signText, proveFor: (statement: DeviceProofStatement) => signText(deviceProofText(statement)) };
}

describe("the device proof", () => {
  it("signs five lines joined by a newline, version first", () => {
    expect(deviceProofText(STATEMENT)).toBe(
      [DEVICE_PROOF_VERSION, "https://app.example.com", "session", STATEMENT.challenge, STATEMENT.sessionId].join("\n"),
    );
  });

  it("accepts the device's own signature over the statement", async () => {
    const device = await deviceKey();
    expect(await verifyDeviceProof({ publicKey: device.publicKey, statement: STATEMENT, signature: await device.proveFor(STATEMENT) })).toBe(true);
  });

  it.each([
    ["another origin", { origin: "https://evil.example" }],
    ["another purpose", { purpose: "step_up" as const }],
    ["another challenge", { challenge: "z".repeat(43) }],
    ["another session", { sessionId: "0193a5c2-0000-7b4a-9c3d-2e1f0a9b8c7d" }],
  ])("refuses a proof made for %s", async (_, change) => {
    const device = await deviceKey();
    const signature = await device.proveFor(STATEMENT);
    expect(await verifyDeviceProof({ publicKey: device.publicKey, statement: { ...STATEMENT, ...change }, signature })).toBe(false);
  });

  it("refuses another device's signature, a changed bit, and malformed signatures", async () => {
    const device = await deviceKey();
    const other = await deviceKey();
    const signature = await device.proveFor(STATEMENT);
    const check = (candidate: string, publicKey: DevicePublicKey = device.publicKey) =>
      verifyDeviceProof({ publicKey, statement: STATEMENT, signature: candidate });

    expect(await check(signature, other.publicKey)).toBe(false);
    const flipped = Buffer.from(signature, "base64url");
    flipped[10] ^= 1;
    expect(await check(flipped.toString("base64url"))).toBe(false);
    expect(await check("")).toBe(false);
    expect(await check(`${signature}=`)).toBe(false);
    expect(await check(signature.slice(0, -2))).toBe(false);
    expect(await check(Buffer.alloc(64).toString("base64url"))).toBe(false);
  });

  it("refuses a DER-encoded signature of the right text: one encoding only (IEEE P1363)", async () => {
    const pair = await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
    const publicKey = devicePublicKeySchema.parse(await webcrypto.subtle.exportKey("jwk", pair.publicKey));
    const { kty, crv, x, y, d } = await webcrypto.subtle.exportKey("jwk", pair.privateKey);
    const privateKey = createPrivateKey({ key: { kty, crv, x, y, d }, format: "jwk" });
    const text = deviceProofText(STATEMENT);
    const der = sign("sha256", Buffer.from(text), { key: privateKey, dsaEncoding: "der" }).toString("base64url");
    const p1363 = sign("sha256", Buffer.from(text), { key: privateKey, dsaEncoding: "ieee-p1363" }).toString("base64url");
    expect(await verifyDeviceProof({ publicKey, statement: STATEMENT, signature: der })).toBe(false);
    expect(await verifyDeviceProof({ publicKey, statement: STATEMENT, signature: p1363 })).toBe(true);
  });

  it("takes a public key only: never a private part, another curve, or a point off the curve", async () => {
    const extractable = await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]);
    const privateJwk = await webcrypto.subtle.exportKey("jwk", extractable.privateKey);
    expect(devicePublicKeySchema.safeParse(privateJwk).success).toBe(false);
    const p384 = await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-384" }, true, ["sign", "verify"]);
    expect(devicePublicKeySchema.safeParse(await webcrypto.subtle.exportKey("jwk", p384.publicKey)).success).toBe(false);
    expect(devicePublicKeySchema.safeParse({ kty: "RSA", n: "AQAB", e: "AQAB" }).success).toBe(false);

    const device = await deviceKey();
    const offCurve = { ...device.publicKey, y: Buffer.alloc(32, 1).toString("base64url") };
    expect(await verifyDeviceProof({ publicKey: offCurve, statement: STATEMENT, signature: await device.proveFor(STATEMENT) })).toBe(false);
  });

  it("verifies the test vector in docs/device-proof.md, and not with one line changed", async () => {
    const doc = readFileSync(path.join(__dirname, "../../../docs/device-proof.md"), "utf8");
    const vector = JSON.parse(/## Test vector[\s\S]*?```json\n([\s\S]*?)```/.exec(doc)?.[1] ?? "null") as {
      publicKey: unknown;
      signature: string;
    };
    const publicKey = devicePublicKeySchema.parse(vector.publicKey);
    expect(await verifyDeviceProof({ publicKey, statement: STATEMENT, signature: vector.signature })).toBe(true);
    expect(await verifyDeviceProof({ publicKey, statement: { ...STATEMENT, purpose: "register" }, signature: vector.signature })).toBe(false);
  });

  it("refuses to build a statement whose field would add a line", () => {
    expect(() => deviceProofText({ ...STATEMENT, sessionId: "a\nsession\nb" })).toThrow();
    expect(() => deviceProofText({ ...STATEMENT, origin: "" })).toThrow();
  });
});
