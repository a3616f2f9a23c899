import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { LINK_TOKEN_BYTES, digestsEqual, keyedHash, looksLikeToken, randomCode, randomToken, sha256Hex } from "./secrets";

describe("one-time secrets", () => {
  it("hashes with SHA-256 (FIPS 180-2 test vector)", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("keys code hashes by secret and purpose", () => {
    const expected = createHmac("sha256", "k".repeat(32)).update("email-code:1\u0000123456").digest("hex");
    expect(keyedHash("k".repeat(32), "email-code:1", "123456")).toBe(expected);
    expect(keyedHash("k".repeat(32), "email-code:2", "123456")).not.toBe(expected);
    expect(keyedHash("other".repeat(8), "email-code:1", "123456")).not.toBe(expected);
    // The key is made once per secret and kept: after another secret, the first one's hash is unchanged.
    expect(keyedHash("k".repeat(32), "email-code:1", "123456")).toBe(expected);
  });

  it("makes tokens of the asked strength that the token check accepts, and never the same twice", () => {
    const tokens = Array.from({ length: 2000 }, () => randomToken(LINK_TOKEN_BYTES));
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens.slice(0, 50)) {
      expect(Buffer.from(token, "base64url")).toHaveLength(LINK_TOKEN_BYTES);
      expect(looksLikeToken(token, LINK_TOKEN_BYTES)).toBe(true);
    }
    expect(looksLikeToken(randomToken(8), LINK_TOKEN_BYTES)).toBe(false);
    expect(looksLikeToken(`${tokens[0]}=`, LINK_TOKEN_BYTES)).toBe(false);
  });

  it("makes six-digit codes, leading zeros kept", () => {
    const codes = Array.from({ length: 5000 }, randomCode);
    expect(codes.every((code) => /^[0-9]{6}$/.test(code))).toBe(true);
    expect(codes.some((code) => code.startsWith("0"))).toBe(true);
  });

  it("compares digests only when both are real and equal", () => {
    const digest = sha256Hex("x");
    expect(digestsEqual(digest, sha256Hex("x"))).toBe(true);
    expect(digestsEqual(digest, sha256Hex("y"))).toBe(false);
    expect(digestsEqual("", "")).toBe(false);
    expect(digestsEqual(digest, digest.slice(0, 10))).toBe(false);
  });
});
