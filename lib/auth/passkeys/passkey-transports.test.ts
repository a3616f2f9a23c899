import { describe, expect, it } from "vitest";
import { storedTransports } from "./passkey-transports";

describe("a passkey's stored transports", () => {
  it("reads what registration stored", () => {
    expect(storedTransports('["internal","hybrid"]')).toEqual(["internal", "hybrid"]);
    expect(storedTransports("[]")).toEqual([]);
  });

  it.each([
    ["text that is not JSON", "internal,usb"],
    ["JSON that is not a list", '{"0":"usb"}'],
    ["a transport WebAuthn does not name", '["usb","carrier-pigeon"]'],
    ["a list longer than any browser reports", JSON.stringify(Array(9).fill("usb"))],
    ["an empty column", ""],
  ])("answers no hints for %s, so the ceremony still runs", (_case, stored) => {
    expect(storedTransports(stored)).toEqual([]);
  });
});
