import type { Clock } from "../../clock";
import type { Db } from "../../db/client";
import type { EmailTransport } from "../../delivery/email-transport";
import type { RateLimits } from "./rate-limits";
import type { RelyingParty } from "./relying-party";

/**
 * What a ceremony needs from the outside world, passed in so that tests can
 * use a real database with a movable clock and no HTTP request at all.
 * lib/auth/core/server-deps.ts builds the production set from lib/env.ts.
 */
export interface AuthDeps {
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
}
