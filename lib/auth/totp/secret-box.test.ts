import { createSecretKey, hkdfSync, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SECRET_BOX_IV_BYTES, SECRET_BOX_TAG_BYTES, openTotpSecret, sealTotpSecret, totpKeyFrom } from "./secret-box";
import { newTotpSecret } from "./totp-code";

const key = createSecretKey(randomBytes(32));
const associatedData = "totp:user-1:factor-1";
const secret = newTotpSecret();
const sealed = sealTotpSecret({ key, secret, associatedData });

/** The stored string with one bit of one part's bytes flipped, re-encoded. */
function flipBit(text: string, partIndex: number, byteIndex = 0): string {
  const parts = text.split(".");
  const bytes = Buffer.from(parts[partIndex], "base64url");
  bytes[byteIndex] ^= 0x01;
  parts[partIndex] = bytes.toString("base64url");
  return parts.join(".");
}

describe("sealTotpSecret and openTotpSecret", () => {
  it("round-trips, in one self-describing string", () => {
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const [, iv, , tag] = sealed.split(".");
    expect(Buffer.from(iv, "base64url")).toHaveLength(SECRET_BOX_IV_BYTES);
    expect(Buffer.from(tag, "base64url")).toHaveLength(SECRET_BOX_TAG_BYTES);
    expect(openTotpSecret({ key, sealed, associatedData })).toEqual({ ok: true, secret });
  });

  it("never gives the same string twice for the same secret", () => {
    const again = sealTotpSecret({ key, secret, associatedData });
    expect(again).not.toBe(sealed);
    expect(again.split(".")[1]).not.toBe(sealed.split(".")[1]);
    expect(openTotpSecret({ key, sealed: again, associatedData })).toEqual({ ok: true, secret });
  });

  it("refuses another key", () => {
    const other = createSecretKey(randomBytes(32));
    expect(openTotpSecret({ key: other, sealed, associatedData })).toEqual({ ok: false, reason: "not-authentic" });
  });

  it("refuses a ciphertext copied into another row", () => {
    for (const elsewhere of ["totp:user-1:factor-2", "totp:user-2:factor-1", `${associatedData} `]) {
      expect(openTotpSecret({ key, sealed, associatedData: elsewhere })).toEqual({ ok: false, reason: "not-authentic" });
    }
  });

  it("refuses a flipped bit in the IV, the ciphertext or the tag", () => {
    for (const part of [1, 2, 3]) {
      for (const byte of [0, 5, 11]) {
        expect(openTotpSecret({ key, sealed: flipBit(sealed, part, byte), associatedData })).toEqual({ ok: false, reason: "not-authentic" });
      }
    }
  });

  it("refuses truncated, padded or malformed strings as values, without throwing", () => {
    const [version, iv, ciphertext, tag] = sealed.split(".");
    const shortTag = Buffer.from(tag, "base64url").subarray(0, 12).toString("base64url");
    const cases: Array<[string, string]> = [
      ["", "malformed"],
      ["v1", "malformed"],
      [sealed.slice(0, -1), "malformed"],
      [sealed.slice(0, sealed.lastIndexOf(".")), "malformed"],
      [`${version}.${iv}.${ciphertext}.${shortTag}`, "malformed"],
      [`${version}.${iv}.${ciphertext}.${tag}.${tag}`, "malformed"],
      [`${version}.${iv}..${tag}`, "malformed"],
      [`${version}.${iv}.${ciphertext}.${tag}=`, "malformed"],
      [`${version}.${iv}.${ciphertext}.${tag.slice(0, 4)}+${tag.slice(5)}`, "malformed"],
      [`${version}.${iv.slice(0, -2)}.${ciphertext}.${tag}`, "malformed"],
      [`v2.${iv}.${ciphertext}.${tag}`, "unsupported-version"],
      [`V1.${iv}.${ciphertext}.${tag}`, "malformed"],
      ["not a sealed secret at all", "malformed"],
    ];
    for (const [text, reason] of cases) {
      expect(() => openTotpSecret({ key, sealed: text, associatedData })).not.toThrow();
      expect(openTotpSecret({ key, sealed: text, associatedData })).toEqual({ ok: false, reason });
    }
  });

  it("refuses a stored string whose last character differs only in unused bits", () => {
    // 20 bytes of ciphertext are 27 base64url characters, the last carrying 2 spare bits: Node would decode both alike.
    const [version, iv, ciphertext, tag] = sealed.split(".");
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet.indexOf(ciphertext.at(-1) ?? "");
    const sibling = `${ciphertext.slice(0, -1)}${alphabet[last ^ 0b01]}`;
    expect(Buffer.from(sibling, "base64url")).toEqual(Buffer.from(ciphertext, "base64url"));
    expect(openTotpSecret({ key, sealed: `${version}.${iv}.${sibling}.${tag}`, associatedData })).toEqual({ ok: false, reason: "malformed" });
  });

  it("throws for a caller's bug: a key of the wrong size, no associated data", () => {
    const shortKey = createSecretKey(randomBytes(16));
    expect(() => sealTotpSecret({ key: shortKey, secret, associatedData })).toThrow(TypeError);
    expect(() => openTotpSecret({ key: shortKey, sealed, associatedData })).toThrow(TypeError);
    expect(() => sealTotpSecret({ key, secret, associatedData: "" })).toThrow(TypeError);
  });
});

describe("totpKeyFrom", () => {
  const authSecret = "a".repeat(43);

  it("uses a dedicated key of 32 bytes in base64url", () => {
    const bytes = randomBytes(32);
    const configured = totpKeyFrom({ totpKey: bytes.toString("base64url"), authSecret });
    expect(configured.export()).toEqual(bytes);
    const box = sealTotpSecret({ key: configured, secret, associatedData });
    expect(openTotpSecret({ key: createSecretKey(bytes), sealed: box, associatedData })).toEqual({ ok: true, secret });
  });

  it("refuses a dedicated key of any other length or encoding, readably", () => {
    const wrong = [
      "",
      randomBytes(16).toString("base64url"),
      randomBytes(33).toString("base64url"),
      randomBytes(32).toString("hex"),
      // Standard base64 ("+/v7…=") is not base64url.
      Buffer.alloc(32, 0xfb).toString("base64"),
    ];
    for (const totpKey of wrong) {
      expect(() => totpKeyFrom({ totpKey, authSecret })).toThrow(/TOTP encryption key must be 32 random bytes in base64url/);
    }
    expect(() => totpKeyFrom({ totpKey: randomBytes(16).toString("base64url"), authSecret })).toThrow(/decodes to 16 bytes/);
  });

  it("otherwise derives the key from AUTH_SECRET with HKDF-SHA-256, the same every time", () => {
    const derived = totpKeyFrom({ authSecret });
    const expected = Buffer.from(hkdfSync("sha256", Buffer.from(authSecret), Buffer.alloc(0), "trustladder totp secret v1", 32));
    expect(derived.export()).toEqual(expected);
    expect(totpKeyFrom({ authSecret }).equals(derived)).toBe(true);
    expect(totpKeyFrom({ authSecret: "b".repeat(43) }).equals(derived)).toBe(false);
    // Rotating AUTH_SECRET makes what the old key sealed unreadable: the documented trade-off.
    const box = sealTotpSecret({ key: derived, secret, associatedData });
    expect(openTotpSecret({ key: totpKeyFrom({ authSecret: "b".repeat(43) }), sealed: box, associatedData }).ok).toBe(false);
  });

  it("refuses to derive from an AUTH_SECRET shorter than lib/env.ts allows", () => {
    expect(() => totpKeyFrom({ authSecret: "short" })).toThrow(/AUTH_SECRET/);
  });
});
