import { describe, expect, it } from "vitest";
import { NO_RISK, type RiskSignals } from "../risk/signals";
import { decide, ESCALATED_PROOF_SECONDS, MANY_RECENT_FAILURES } from "./decide";
import { POLICY_TABLE } from "./policy-table";
import type { Decision, Grant, Obligation, PolicyContext, Proof, Reason, StepUpMethod, StrongMethod } from "./types";

/**
 * The policy as a table of cases: no database, no clock, plain data in and
 * a decision out. Each case names the situation as a person would.
 */

const NOW = new Date("2026-12-05T12:00:00Z");
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const from = (ms: number) => new Date(NOW.getTime() + ms);

interface Situation {
  signedIn?: boolean;
  proofs?: [string, number][];
  grants?: Partial<Grant>[];
  restricted?: boolean;
  role?: string;
  factors?: StrongMethod[];
  /** Default: bound to a trusted device, so that only the cases about devices are about them. */
  device?: "none" | "new" | "trusted";
  signals?: Partial<RiskSignals>;
}

function context(situation: Situation): PolicyContext {
  const proofs: Proof[] = (situation.proofs ?? []).map(([method, age]) => ({ method, at: ago(age) }));
  const grants: Grant[] = (situation.grants ?? []).map((grant) => ({
    action: "file.view_private",
    method: "passkey",
    grantedAt: ago(MINUTE),
    expiresAt: from(HOUR),
    ...grant,
  }));
  return {
    now: NOW,
    session: situation.signedIn === false ? null : { id: "s1", proofs, grants, restricted: situation.restricted ?? false },
    account: { role: situation.role ?? "user", strongFactors: situation.factors ?? [] },
    device: { binding: situation.device === "none" ? "none" : "device-key", trusted: (situation.device ?? "trusted") === "trusted" },
    signals: { ...NO_RISK, ...situation.signals },
  };
}

const allow = (obligations: Obligation[] = [], reasons: Reason[] = []): Decision => ({ kind: "allow", obligations, reasons });
const stepUp = (methods: StepUpMethod[], maxAgeSeconds: number, reasons: Reason[] = ["proof_too_old"]): Decision => ({
  kind: "step_up",
  methods,
  maxAgeSeconds,
  reasons,
});
const deny = (...reasons: Reason[]): Decision => ({ kind: "deny", reasons });

type Case = [name: string, action: string, situation: Situation, expected: Decision];

const signIn = { signedIn: false } as const;

const CASES: Case[] = [
  // sign_in
  ["a plain sign-in", "sign_in", signIn, allow()],
  ["a sign-in from a blocked network", "sign_in", { ...signIn, signals: { blockedNetwork: true } }, deny("blocked_network")],
  ["a blocked network wins over a passkey on the account", "sign_in", { ...signIn, factors: ["passkey"], signals: { blockedNetwork: true, newDevice: true } }, deny("blocked_network")],
  ["a new device alone: a 'new sign-in' email, no second step", "sign_in", { ...signIn, factors: ["passkey"], signals: { newDevice: true } }, allow(["notify_new_sign_in"], ["new_device"])],
  ["a new country alone: nothing", "sign_in", { ...signIn, factors: ["passkey"], signals: { newCountry: true } }, allow()],
  ["an anonymizer alone: nothing", "sign_in", { ...signIn, factors: ["passkey"], signals: { anonymizer: true } }, allow()],
  ["new device + new country, passkey on the account", "sign_in", { ...signIn, factors: ["passkey"], signals: { newDevice: true, newCountry: true } }, stepUp(["passkey"], ESCALATED_PROOF_SECONDS, ["new_device", "new_country"])],
  ["new device + anonymizer, an app on the account", "sign_in", { ...signIn, factors: ["totp"], signals: { newDevice: true, anonymizer: true } }, stepUp(["totp"], ESCALATED_PROOF_SECONDS, ["new_device", "anonymizer"])],
  ["impossible travel, both factors: passkey offered first", "sign_in", { ...signIn, factors: ["totp", "passkey"], signals: { impossibleTravel: true } }, stepUp(["passkey", "totp"], ESCALATED_PROOF_SECONDS, ["impossible_travel"])],
  ["impossible travel, no strong factor: restricted and told", "sign_in", { ...signIn, signals: { impossibleTravel: true } }, allow(["restrict_session", "notify_new_sign_in"], ["impossible_travel"])],
  ["new device + new country, no strong factor: restricted and told", "sign_in", { ...signIn, signals: { newDevice: true, newCountry: true } }, allow(["restrict_session", "notify_new_sign_in"], ["new_device", "new_country"])],
  ["new device + many failures", "sign_in", { ...signIn, factors: ["passkey"], signals: { newDevice: true, recentFailures: MANY_RECENT_FAILURES } }, stepUp(["passkey"], ESCALATED_PROOF_SECONDS, ["new_device", "failed_attempts"])],
  ["new device + failures below the threshold: only told", "sign_in", { ...signIn, factors: ["passkey"], signals: { newDevice: true, recentFailures: MANY_RECENT_FAILURES - 1 } }, allow(["notify_new_sign_in"], ["new_device"])],

  // file.view_private / file.export
  ["private file, passkey sign-in 2 h ago", "file.view_private", { factors: ["passkey"], proofs: [["passkey", 2 * HOUR]] }, allow()],
  ["private file, passkey sign-in 13 h ago", "file.view_private", { factors: ["passkey"], proofs: [["passkey", 13 * HOUR]] }, stepUp(["passkey"], 12 * 3600)],
  ["private file, email sign-in 1 min ago: email is never a step-up", "file.view_private", { factors: ["passkey", "totp"], proofs: [["magic_link", MINUTE]] }, stepUp(["passkey", "totp"], 12 * 3600)],
  ["private file, only an app: the app is offered", "file.view_private", { factors: ["totp"], proofs: [["magic_link", MINUTE]] }, stepUp(["totp"], 12 * 3600)],
  ["private file, no strong factor at all", "file.view_private", { proofs: [["magic_link", MINUTE]] }, deny("no_strong_factor")],
  ["private file, a grant for it", "file.view_private", { factors: ["passkey"], proofs: [["magic_link", HOUR]], grants: [{}] }, allow()],
  ["private file, a TOTP grant for it", "file.view_private", { factors: ["totp"], grants: [{ method: "totp" }] }, allow()],
  ["private file, a grant for another action", "file.view_private", { factors: ["passkey"], grants: [{ action: "file.export" }] }, stepUp(["passkey"], 12 * 3600)],
  ["private file, an expired grant", "file.view_private", { factors: ["passkey"], grants: [{ expiresAt: ago(1) }] }, stepUp(["passkey"], 12 * 3600)],
  ["private file, a grant from the future (a moved clock) counts for nothing", "file.view_private", { factors: ["passkey"], grants: [{ grantedAt: from(MINUTE) }] }, stepUp(["passkey"], 12 * 3600)],
  ["a proof dated in the future counts for nothing", "file.view_private", { factors: ["passkey"], proofs: [["passkey", -MINUTE]] }, stepUp(["passkey"], 12 * 3600)],
  ["export, TOTP re-confirmation 11 h ago", "file.export", { factors: ["totp"], proofs: [["magic_link", 20 * HOUR], ["totp", 11 * HOUR]] }, allow()],
  ["export from a blocked network, even freshly proven", "file.export", { factors: ["passkey"], proofs: [["passkey", MINUTE]], signals: { blockedNetwork: true } }, deny("blocked_network")],

  // payout.change
  ["payout, passkey 4 min ago", "payout.change", { factors: ["passkey"], proofs: [["passkey", 4 * MINUTE]] }, allow()],
  ["payout, passkey 6 min ago: the passkey or this trusted device", "payout.change", { factors: ["passkey"], proofs: [["passkey", 6 * MINUTE]] }, stepUp(["passkey", "device"], 300)],
  ["payout, an app is not enough", "payout.change", { factors: ["passkey", "totp"], proofs: [["totp", MINUTE]] }, stepUp(["passkey", "device"], 300)],
  ["payout, an app-only account on a trusted device: the device", "payout.change", { factors: ["totp"], proofs: [["totp", MINUTE]] }, stepUp(["device"], 300)],
  ["payout, confirmed on this trusted device 4 min ago", "payout.change", { factors: ["passkey"], grants: [{ action: "payout.change", method: "device", grantedAt: ago(4 * MINUTE) }] }, allow()],
  ["payout, a device confirmation 6 min old", "payout.change", { factors: ["passkey"], grants: [{ action: "payout.change", method: "device", grantedAt: ago(6 * MINUTE) }] }, stepUp(["passkey", "device"], 300)],
  ["payout, a device confirmation for private files does not move money", "payout.change", { factors: ["passkey"], grants: [{ method: "device" }] }, stepUp(["passkey", "device"], 300)],
  ["payout with no device key (a private window), even just proven", "payout.change", { factors: ["passkey"], proofs: [["passkey", MINUTE]], device: "none" }, deny("no_device_key")],
  ["payout on a device no passkey vouched for: a passkey on it", "payout.change", { factors: ["passkey"], device: "new" }, stepUp(["passkey"], 300, ["untrusted_device"])],
  ["payout on an untrusted device, a device confirmation counts for nothing", "payout.change", { factors: ["passkey"], device: "new", grants: [{ action: "payout.change", method: "device" }] }, stepUp(["passkey"], 300, ["untrusted_device"])],
  ["payout on an untrusted device of an app-only account", "payout.change", { factors: ["totp"], device: "new" }, deny("untrusted_device", "no_strong_factor")],
  ["payout, a fresh passkey grant for it", "payout.change", { factors: ["passkey"], grants: [{ action: "payout.change", grantedAt: ago(MINUTE), expiresAt: from(4 * MINUTE) }] }, allow()],
  ["payout, a grant for private files does not move money", "payout.change", { factors: ["passkey"], grants: [{ action: "file.view_private" }] }, stepUp(["passkey", "device"], 300)],
  ["payout, right after a recovery", "payout.change", { factors: ["passkey"], proofs: [["passkey", MINUTE]], signals: { recentRecovery: true } }, deny("recent_recovery")],
  ["payout through an anonymizer: a fresh passkey", "payout.change", { factors: ["passkey"], proofs: [["passkey", 6 * MINUTE]], signals: { anonymizer: true } }, stepUp(["passkey"], ESCALATED_PROOF_SECONDS, ["anonymizer"])],
  ["payout through an anonymizer, just proven: allowed", "payout.change", { factors: ["passkey"], proofs: [["passkey", MINUTE]], signals: { anonymizer: true } }, allow()],
  ["payout through an anonymizer, no strong factor", "payout.change", { signals: { anonymizer: true } }, deny("anonymizer", "no_strong_factor")],
  ["payout, a restricted session", "payout.change", { factors: [], restricted: true }, deny("restricted_session")],

  // security.factor.*
  ["first passkey after an email sign-in 5 min ago", "security.factor.add", { proofs: [["magic_link", 5 * MINUTE]] }, allow()],
  ["first passkey, email sign-in 11 min ago", "security.factor.add", { proofs: [["magic_link", 11 * MINUTE]] }, deny("reauthentication_required")],
  ["first factor on a restricted session: allowed (it lifts the restriction)", "security.factor.add", { restricted: true, proofs: [["email_code", MINUTE]] }, allow()],
  ["a second factor with a passkey account: an email is not enough", "security.factor.add", { factors: ["passkey"], proofs: [["email_code", MINUTE]] }, stepUp(["passkey"], 600)],
  ["a second factor, passkey re-confirmed 9 min ago", "security.factor.add", { factors: ["passkey"], proofs: [["passkey", 9 * MINUTE]] }, allow()],
  ["a second factor, passkey proof exactly at the window's edge", "security.factor.add", { factors: ["passkey"], proofs: [["passkey", 10 * MINUTE]] }, allow()],
  ["a second factor, passkey proof a second past the window", "security.factor.add", { factors: ["passkey"], proofs: [["passkey", 10 * MINUTE + 1000]] }, stepUp(["passkey"], 600)],
  ["a second factor, a fresh email code on an old passkey session", "security.factor.add", { factors: ["passkey"], proofs: [["passkey", HOUR], ["email_code", 1000]] }, stepUp(["passkey"], 600)],
  ["a second factor on an app account: an email sign-in is not enough", "security.factor.add", { factors: ["totp"], proofs: [["magic_link", MINUTE]] }, stepUp(["totp"], 600)],
  ["first factor, no proof at all", "security.factor.add", { proofs: [] }, deny("reauthentication_required")],
  ["first factor, an old sign-in re-confirmed by an emailed code", "security.factor.add", { proofs: [["magic_link", HOUR], ["email_code", MINUTE]] }, allow()],
  ["removing with a passkey grant for removing", "security.factor.remove", { factors: ["passkey"], proofs: [["magic_link", MINUTE]], grants: [{ action: "security.factor.remove" }] }, allow()],
  ["removing with a grant 11 min old", "security.factor.remove", { factors: ["passkey"], grants: [{ action: "security.factor.remove", grantedAt: ago(11 * MINUTE) }] }, stepUp(["passkey"], 600)],
  ["removing a factor on an app-only account: the app", "security.factor.remove", { factors: ["totp"], proofs: [["magic_link", MINUTE]] }, stepUp(["totp"], 600)],
  ["removing with both: only the passkey, the strongest", "security.factor.remove", { factors: ["passkey", "totp"], proofs: [["totp", MINUTE]] }, stepUp(["passkey"], 600)],
  ["removing on a restricted session", "security.factor.remove", { restricted: true, factors: ["totp"], proofs: [["totp", MINUTE]] }, deny("restricted_session")],
  ["a grant for adding does not remove", "security.factor.remove", { factors: ["passkey"], grants: [{ action: "security.factor.add" }] }, stepUp(["passkey"], 600)],

  // admin.view
  ["admin, passkey 30 min ago", "admin.view", { role: "admin", factors: ["passkey"], proofs: [["passkey", 30 * MINUTE]] }, allow()],
  ["admin, passkey 2 h ago", "admin.view", { role: "admin", factors: ["passkey"], proofs: [["passkey", 2 * HOUR]] }, stepUp(["passkey"], 3600)],
  ["admin without a passkey", "admin.view", { role: "admin", factors: ["totp"], proofs: [["totp", MINUTE]] }, deny("no_strong_factor")],
  ["not an admin, however proven", "admin.view", { role: "user", factors: ["passkey"], proofs: [["passkey", MINUTE]] }, deny("role_required")],
  ["admin, a device confirmation is not the passkey", "admin.view", { role: "admin", factors: ["passkey"], grants: [{ action: "admin.view", method: "device" }] }, stepUp(["passkey"], 3600)],
  ["admin with no device key", "admin.view", { role: "admin", factors: ["passkey"], proofs: [["passkey", MINUTE]], device: "none" }, deny("no_device_key")],
  ["admin on an untrusted device", "admin.view", { role: "admin", factors: ["passkey"], proofs: [["passkey", MINUTE]], device: "new" }, stepUp(["passkey"], 3600, ["untrusted_device"])],
  ["a private file needs no device key", "file.view_private", { factors: ["passkey"], proofs: [["passkey", MINUTE]], device: "none" }, allow()],
  ["admin through an anonymizer", "admin.view", { role: "admin", factors: ["passkey"], proofs: [["passkey", MINUTE]], signals: { anonymizer: true } }, deny("anonymizer")],

  // the table itself
  ["an action nobody listed", "payout.delete_everything", { factors: ["passkey"], proofs: [["passkey", 0]] }, deny("unknown_action")],
  ["a name from Object's prototype is no action", "toString", {}, deny("unknown_action")],
];

describe("decide", () => {
  it("has at least 40 cases", () => expect(CASES.length).toBeGreaterThanOrEqual(40));

  it.each(CASES)("%s", (_name, action, situation, expected) => {
    expect(decide(POLICY_TABLE, action, context(situation))).toEqual(expected);
  });

  it("never offers email or SMS, in any case above", () => {
    for (const [, action, situation] of CASES) {
      const decision = decide(POLICY_TABLE, action, context(situation));
      if (decision.kind === "step_up") expect(decision.methods.every((method) => ["passkey", "totp", "device"].includes(method))).toBe(true);
    }
  });

  it("offers a device's confirmation only on a session bound to a trusted device", () => {
    for (const [, action, situation] of CASES) {
      const decision = decide(POLICY_TABLE, action, context(situation));
      if (decision.kind === "step_up" && decision.methods.includes("device")) expect(situation.device ?? "trusted").toBe("trusted");
    }
  });
});
