import { describe, expect, it } from "vitest";
import { decide } from "../policy/decide";
import { POLICY_TABLE } from "../policy/policy-table";
import type { PolicyContext } from "../policy/types";
import { NO_RISK } from "../risk/signals";
import { parseMethodUses } from "./method-uses";

const AT = "2026-12-02T04:00:00.000Z";

describe("a session's methods column", () => {
  it("reads the uses this module writes, in order", () => {
    const uses = [
      { method: "magic_link", at: AT },
      { method: "passkey", at: "2026-12-02T04:05:00.000Z" },
    ];
    expect(parseMethodUses(JSON.stringify(uses))).toEqual(uses);
  });

  it.each([
    ["text that is not JSON", "magic_link"],
    ["JSON that is not a list", JSON.stringify({ method: "passkey", at: AT })],
    ["an empty column", ""],
  ])("holds no uses for %s", (_case, stored) => {
    expect(parseMethodUses(stored)).toEqual([]);
  });

  it("drops entries that are not ours instead of trusting them", () => {
    const stored = JSON.stringify([
      { method: "password", at: AT },
      { method: "passkey", at: "yesterday" },
      { method: "passkey" },
      "passkey",
      null,
      { method: "email_code", at: AT },
    ]);
    expect(parseMethodUses(stored)).toEqual([{ method: "email_code", at: AT }]);
  });

  it("lets no unreadable entry make a session recently authenticated", () => {
    const forged = parseMethodUses(JSON.stringify([{ method: "webauthn", at: AT }, { method: "passkey", at: "now" }]));
    expect(forged).toEqual([]);
    // What the policy then sees: no proof, so not even a first factor may be added.
    const context: PolicyContext = {
      now: new Date(AT),
      session: { id: "s1", proofs: forged.map((use) => ({ method: use.method, at: new Date(use.at) })), grants: [], restricted: false },
      account: { role: "user", strongFactors: [] },
      device: { binding: "none", trusted: false },
      signals: NO_RISK,
    };
    expect(decide(POLICY_TABLE, "security.factor.add", context)).toEqual({ kind: "deny", reasons: ["reauthentication_required"] });
  });
});
