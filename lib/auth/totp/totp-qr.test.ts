import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import { TOTP_QR_MARGIN_MODULES, totpQrSvg } from "./totp-qr";
import { otpauthUri } from "./totp-code";

const uri = otpauthUri({ secret: new TextEncoder().encode("12345678901234567890"), issuer: "Trustladder", accountName: "ana@example.com" });

/**
 * The dark modules the SVG draws, as "row,col" keys: its stroke path is one
 * horizontal run per `h` (`M` starts a row, `m` skips light modules).
 */
function drawnModules(svg: string): Set<string> {
  const path = /<path[^>]*stroke="#000000"[^>]*d="([^"]+)"/.exec(svg)?.[1] ?? "";
  const dark = new Set<string>();
  let x = 0;
  let y = 0;
  for (const [, command, first, second] of path.matchAll(/([Mmh])(-?[0-9.]+)(?: (-?[0-9.]+))?/g)) {
    const value = Number(first);
    if (command === "M") {
      x = value;
      y = Number(second) - 0.5;
    } else if (command === "m") {
      x += value;
    } else {
      for (let i = 0; i < value; i++) dark.add(`${y - TOTP_QR_MARGIN_MODULES},${x + i - TOTP_QR_MARGIN_MODULES}`);
      x += value;
    }
  }
  return dark;
}

function expectedModules(text: string): Set<string> {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const dark = new Set<string>();
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) if (modules.get(row, col)) dark.add(`${row},${col}`);
  }
  return dark;
}

describe("totpQrSvg", () => {
  it("returns one inline-safe <svg> element with no text in it", async () => {
    const svg = await totpQrSvg(uri);
    expect(svg.trim()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 [0-9]+ [0-9]+" shape-rendering="crispEdges">.*<\/svg>$/s);
    expect(svg).not.toContain("otpauth");
    expect(svg).not.toMatch(/<script|<text|<foreignObject|on[a-z]+=/i);
  });

  it("draws exactly the QR symbol of the given URI, with the quiet zone", async () => {
    const svg = await totpQrSvg(uri);
    const { modules, segments } = QRCode.create(uri, { errorCorrectionLevel: "M" });
    // The encoder split the URI into segments (byte, alphanumeric): together they are the URI.
    const encoded = segments.map(({ data }) => (typeof data === "string" ? data : Buffer.from(data).toString("utf8"))).join("");
    expect(encoded).toBe(uri);
    const side = modules.size + 2 * TOTP_QR_MARGIN_MODULES;
    expect(svg).toContain(`viewBox="0 0 ${side} ${side}"`);
    expect(drawnModules(svg)).toEqual(expectedModules(uri));
  });

  it("is the same for the same URI and different for another", async () => {
    const other = otpauthUri({ secret: new TextEncoder().encode("12345678901234567891"), issuer: "Trustladder", accountName: "ana@example.com" });
    expect(await totpQrSvg(uri)).toBe(await totpQrSvg(uri));
    expect(await totpQrSvg(other)).not.toBe(await totpQrSvg(uri));
    expect(drawnModules(await totpQrSvg(other))).toEqual(expectedModules(other));
  });

  it("refuses anything but an otpauth://totp/ URI", async () => {
    await expect(totpQrSvg("https://example.com/")).rejects.toThrow(TypeError);
  });
});
