import { describe, expect, it } from "vitest";
import {
  TOTP_PERIOD_SECONDS,
  TOTP_SECRET_BYTES,
  base32Secret,
  matchTotpStep,
  newTotpSecret,
  otpauthUri,
  secretFromManualKey,
  totpCodeAt,
  totpStepAt,
} from "./totp-code";

/** RFC 6238 Appendix B: the SHA-1 seed is the 20 ASCII bytes "12345678901234567890". */
const RFC_SECRET = new TextEncoder().encode("12345678901234567890");
/** [unix seconds, 8-digit TOTP] from RFC 6238 Appendix B, SHA-1 rows. */
const RFC_SHA1_VECTORS: ReadonlyArray<readonly [number, string]> = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

const PERIOD_MS = TOTP_PERIOD_SECONDS * 1000;
/** A step boundary well away from the epoch: 1111111110 s is step 37037037 exactly. */
const STEP = 37037037;
const BOUNDARY = new Date(STEP * PERIOD_MS);
const atStep = (step: number) => new Date(step * PERIOD_MS + 7_000);

describe("RFC 6238 Appendix B (SHA-1)", () => {
  it.each(RFC_SHA1_VECTORS)("at T = %i s the 8-digit code is %s, and the 6-digit code its last six digits", (seconds, expected) => {
    const at = new Date(seconds * 1000);
    expect(totpCodeAt(RFC_SECRET, at, { digits: 8 })).toBe(expected);
    expect(totpCodeAt(RFC_SECRET, at)).toBe(expected.slice(-6));
  });

  it("finds the vector's step from its 6-digit code", () => {
    for (const [seconds, expected] of RFC_SHA1_VECTORS) {
      const at = new Date(seconds * 1000);
      expect(matchTotpStep({ secret: RFC_SECRET, code: expected.slice(-6), at, lastUsedStep: null })).toBe(Math.floor(seconds / TOTP_PERIOD_SECONDS));
    }
  });
});

describe("matchTotpStep", () => {
  const secret = newTotpSecret();
  const codeAt = (step: number) => totpCodeAt(secret, atStep(step));

  it("accepts the current step and one either side, and returns which", () => {
    const at = atStep(STEP);
    for (const offset of [-1, 0, 1]) {
      expect(matchTotpStep({ secret, code: codeAt(STEP + offset), at, lastUsedStep: null })).toBe(STEP + offset);
    }
  });

  it("refuses two steps away or more", () => {
    const at = atStep(STEP);
    for (const offset of [-3, -2, 2, 3]) {
      const code = codeAt(STEP + offset);
      // A code equal to a neighbour's (one in a million) would rightly match: skip that coincidence.
      if ([-1, 0, 1].some((near) => codeAt(STEP + near) === code)) continue;
      expect(matchTotpStep({ secret, code, at, lastUsedStep: null })).toBeNull();
    }
  });

  it("refuses a code already accepted, and an older code after a newer one", () => {
    const at = atStep(STEP);
    const step = matchTotpStep({ secret, code: codeAt(STEP), at, lastUsedStep: null });
    expect(step).toBe(STEP);
    expect(matchTotpStep({ secret, code: codeAt(STEP), at, lastUsedStep: step })).toBeNull();
    expect(matchTotpStep({ secret, code: codeAt(STEP - 1), at, lastUsedStep: step })).toBeNull();
    // The next step's code is still good, once.
    expect(matchTotpStep({ secret, code: codeAt(STEP + 1), at, lastUsedStep: step })).toBe(STEP + 1);
    expect(matchTotpStep({ secret, code: codeAt(STEP + 1), at: atStep(STEP + 1), lastUsedStep: STEP + 1 })).toBeNull();
  });

  it("returns the later step when one code is two steps' code, so it is not accepted twice", () => {
    // Found by search: with the RFC secret, steps 37079356 and 37079357 both give 186519.
    const [earlier, later] = [37079356, 37079357];
    expect(totpCodeAt(RFC_SECRET, atStep(earlier))).toBe("186519");
    expect(totpCodeAt(RFC_SECRET, atStep(later))).toBe("186519");
    const step = matchTotpStep({ secret: RFC_SECRET, code: "186519", at: atStep(later), lastUsedStep: null });
    expect(step).toBe(later);
    expect(matchTotpStep({ secret: RFC_SECRET, code: "186519", at: atStep(later), lastUsedStep: step })).toBeNull();
  });

  it("refuses malformed codes without throwing", () => {
    const at = atStep(STEP);
    const good = codeAt(STEP);
    const malformed = [
      "",
      good.slice(1),
      `${good}0`,
      "12345a",
      "abcdef",
      ` ${good.slice(1)}`,
      `${good.slice(0, 3)} ${good.slice(3)}`,
      `${good}\n`,
      // Full-width digits: six characters, eighteen bytes (otpauth's validate throws on these).
      good.replace(/[0-9]/g, (digit) => String.fromCharCode(0xff10 + Number(digit))),
      // Arabic-Indic digits.
      good.replace(/[0-9]/g, (digit) => String.fromCharCode(0x0660 + Number(digit))),
    ];
    for (const code of malformed) {
      expect(() => matchTotpStep({ secret, code, at, lastUsedStep: null })).not.toThrow();
      expect(matchTotpStep({ secret, code, at, lastUsedStep: null })).toBeNull();
    }
  });

  it("puts a time in the right step at a period boundary", () => {
    const justBefore = new Date(BOUNDARY.getTime() - 1);
    expect(totpStepAt(justBefore)).toBe(STEP - 1);
    expect(totpStepAt(BOUNDARY)).toBe(STEP);

    // At 29.999 s into the previous step, the boundary's next step is two away; at 30 s it is one.
    const twoAhead = codeAt(STEP + 1);
    if (codeAt(STEP - 2) !== twoAhead && codeAt(STEP - 1) !== twoAhead && codeAt(STEP) !== twoAhead) {
      expect(matchTotpStep({ secret, code: twoAhead, at: justBefore, lastUsedStep: null })).toBeNull();
    }
    expect(matchTotpStep({ secret, code: twoAhead, at: BOUNDARY, lastUsedStep: null })).toBe(STEP + 1);
    expect(matchTotpStep({ secret, code: codeAt(STEP - 1), at: justBefore, lastUsedStep: null })).toBe(STEP - 1);
    expect(matchTotpStep({ secret, code: codeAt(STEP), at: justBefore, lastUsedStep: null })).toBe(STEP);
  });

  it("at the epoch's 29.999 s and 30 s (RFC 6238 T0 = 0)", () => {
    expect(totpStepAt(new Date(29_999))).toBe(0);
    expect(totpStepAt(new Date(30_000))).toBe(1);
    expect(matchTotpStep({ secret: RFC_SECRET, code: totpCodeAt(RFC_SECRET, new Date(0)), at: new Date(29_999), lastUsedStep: null })).toBe(0);
  });

  it("throws on an invalid date: a broken clock is a bug, not a wrong code", () => {
    expect(() => matchTotpStep({ secret, code: "123456", at: new Date(Number.NaN), lastUsedStep: null })).toThrow(RangeError);
  });
});

describe("enrolment", () => {
  it("makes 20-byte secrets, never the same twice", () => {
    const secrets = Array.from({ length: 200 }, newTotpSecret);
    expect(secrets.every((secret) => secret instanceof Uint8Array && secret.length === TOTP_SECRET_BYTES)).toBe(true);
    expect(new Set(secrets.map((secret) => Buffer.from(secret).toString("hex"))).size).toBe(secrets.length);
  });

  it("builds the otpauth URI with the label escaped and the parameters apps read", () => {
    const uri = new URL(otpauthUri({ secret: RFC_SECRET, issuer: "Trustladder", accountName: "ana+totp@example.com" }));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(uri.pathname).toBe("/Trustladder:ana%2Btotp%40example.com");
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      issuer: "Trustladder",
      secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
      algorithm: "SHA1",
      digits: "6",
      period: "30",
    });
  });

  it("escapes an account name that would break the URI", () => {
    const uri = otpauthUri({ secret: RFC_SECRET, issuer: "Trustladder", accountName: "a b:c/d?e#f&g" });
    expect(uri.startsWith("otpauth://totp/Trustladder:a%20b%3Ac%2Fd%3Fe%23f%26g?issuer=Trustladder&")).toBe(true);
  });

  it("refuses an issuer with a colon", () => {
    expect(() => otpauthUri({ secret: RFC_SECRET, issuer: "Trust:ladder", accountName: "a@example.com" })).toThrow(TypeError);
  });

  it("shows the manual key in groups of four and reads it back", () => {
    expect(base32Secret(RFC_SECRET)).toBe("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ");
    const secret = newTotpSecret();
    expect(secretFromManualKey(base32Secret(secret))).toEqual(secret);
    expect(secretFromManualKey(base32Secret(secret).toLowerCase())).toEqual(secret);
    expect(secretFromManualKey("GEZD GNBV")).toBeNull();
    expect(secretFromManualKey("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJ1")).toBeNull();
  });

  it("reads only the secret's own bytes from a view into a larger buffer", () => {
    const larger = new Uint8Array(64).fill(7);
    larger.set(RFC_SECRET, 10);
    const view = larger.subarray(10, 10 + RFC_SECRET.length);
    expect(totpCodeAt(view, new Date(59_000), { digits: 8 })).toBe("94287082");
  });
});
