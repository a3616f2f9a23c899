import type { KeyObject } from "node:crypto";
import type { Clock } from "../../clock";
import type { Db } from "../../db/client";
import type { EmailTransport } from "../../delivery/email-transport";
import type { DeliveryDeps } from "../../delivery/outbox";
import type { PolicyTable } from "../policy/types";
import type { RiskAssessor } from "../risk/risk-assessor";
import type { AuthStore } from "../store/types";
import type { RateLimits } from "./rate-limits";
import type { RelyingParty } from "./relying-party";

/**
 * What a ceremony needs from the outside world, passed in so that tests can
 * use a real database with a movable clock and no HTTP request at all.
 * lib/auth/core/server-deps.ts builds the production set from lib/env.ts.
 */
export interface AuthDeps {
  /** Everything the ceremonies keep, through typed interfaces (lib/auth/store): they never touch `db`. */
  store: AuthStore;
  /** The Prisma client, for the application's own commands (the demo product); not for ceremonies. */
  db: Db;
  clock: Clock;
  limits: RateLimits;
  transport: EmailTransport;
  /** AUTH_SECRET: keys the hash of the 6-digit codes. */
  secret: string;
  /** AUTH_URL without a trailing slash: the only base for links in emails. */
  appBaseUrl: string;
  /** The From header of every email. */
  emailFrom: string;
  /** WebAuthn relying party (RP ID and origin), from AUTH_URL. */
  rp: RelyingParty;
  /** What protected actions need (lib/auth/policy/policy-table.ts) and how a request's risk is read. */
  policy: { table: PolicyTable; risk: RiskAssessor };
  /** Seals authenticator-app secrets at rest (lib/auth/totp/secret-box.ts). */
  totpKey: KeyObject;
  /** DEVICE_PROOF_INTERVAL_SECONDS: how long a bound session is used between device proofs (lib/auth/devices). */
  deviceProofIntervalSeconds: number;
}

/** What the outbox needs to send a ceremony's email. */
export function deliveryDeps(deps: Pick<AuthDeps, "store" | "clock" | "transport" | "emailFrom">): DeliveryDeps {
  return { outbox: deps.store.outbox, clock: deps.clock, transport: deps.transport, from: deps.emailFrom };
}
