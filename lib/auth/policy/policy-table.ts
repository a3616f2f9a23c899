import type { PolicyTable } from "./types";

const MINUTE = 60;
const HOUR = 60 * MINUTE;

/**
 * The policy as code: every protected action, what it needs, in one table.
 * A fork changes its policy here (decide.ts says how a row is read;
 * docs/assurance-model.md why each value is what it is). The file, payout
 * and admin rows protect the demo product's actions; the names are plain
 * strings, so removing the product leaves them unused, not broken.
 *
 * Email and SMS never appear: they do not satisfy a step-up (B4 §3.1.3.1).
 */
export const POLICY_TABLE = {
  /** Judged when an emailed link or code is redeemed. */
  sign_in: {
    denyWhen: ["blockedNetwork"],
    // The email alone is not enough when the sign-in looks like someone
    // else's: far too far from the last one, or a new device together with
    // another sign that it is not the person's usual way in.
    escalateWhen: [
      ["impossibleTravel"],
      ["newDevice", "newCountry"],
      ["newDevice", "anonymizer"],
      ["newDevice", "manyRecentFailures"],
    ],
    notifyWhen: ["newDevice"],
  },
  "file.view_private": {
    denyWhen: ["blockedNetwork"],
    proof: { methods: ["passkey", "totp"], maxAgeSeconds: 12 * HOUR },
  },
  "file.export": {
    denyWhen: ["blockedNetwork"],
    proof: { methods: ["passkey", "totp"], maxAgeSeconds: 12 * HOUR },
  },
  "payout.change": {
    // Money moves on this: only from a device a passkey has vouched for,
    // confirmed minutes ago with that passkey or on that very device, and
    // never right after an account was recovered.
    denyWhen: ["blockedNetwork", "recentRecovery"],
    escalateWhen: [["anonymizer"], ["impossibleTravel"]],
    trustedDevice: true,
    proof: { methods: ["passkey", "device"], maxAgeSeconds: 5 * MINUTE },
  },
  "security.factor.add": {
    denyWhen: ["blockedNetwork"],
    proof: { methods: "strongest", maxAgeSeconds: 10 * MINUTE },
    // Adding a first strong factor is how a restricted session ends.
    allowedWhenRestricted: true,
  },
  "security.factor.remove": {
    denyWhen: ["blockedNetwork"],
    proof: { methods: "strongest", maxAgeSeconds: 10 * MINUTE },
  },
  "admin.view": {
    roles: ["admin"],
    denyWhen: ["blockedNetwork", "anonymizer"],
    // A trusted device is needed but not enough: the admin area always wants the passkey itself.
    trustedDevice: true,
    proof: { methods: ["passkey"], maxAgeSeconds: 1 * HOUR },
  },
} as const satisfies PolicyTable;

export type PolicyAction = keyof typeof POLICY_TABLE;

export const POLICY_ACTIONS = Object.keys(POLICY_TABLE) as PolicyAction[];
