import { systemClock } from "../../clock";
import { db } from "../../db";
import { outboxTransport, resendTransport, type EmailTransport } from "../../delivery/email-transport";
import { env } from "../../env";
import { POLICY_TABLE } from "../policy/policy-table";
import { riskAssessorFromEnv } from "../risk/server-risk";
import { serverStore } from "../store/server-store";
import { totpKeyFrom } from "../totp/secret-box";
import { databaseAuditLog } from "./audit";
import type { AuditedDeps } from "./execute";
import { databaseRateLimits } from "./rate-limits";
import { relyingPartyFor } from "./relying-party";

/**
 * The production wiring of every ceremony's dependencies, built once per
 * server process from lib/env.ts. Tests build their own
 * (lib/auth/testing/harness.ts). Which commands exist is the application's
 * choice, so `execute`'s full dependencies are put together outside the
 * core (lib/server/deps.ts).
 */
// Kept on globalThis, declared here: Next.js may bundle this module more
// than once (instrumentation, routes), and every copy must find one set.
declare global {
  var trustladderDeps: AuditedDeps | undefined;
}
const globalForDeps = globalThis;

export function serverDeps(): AuditedDeps {
  if (!globalForDeps.trustladderDeps) {
    const config = env();
    const database = db();
    const store = serverStore();
    const limits = databaseRateLimits(database);
    globalForDeps.trustladderDeps = {
      store,
      db: database,
      clock: systemClock,
      limits,
      transport: emailTransportFromEnv(),
      audit: databaseAuditLog(store.audit),
      secret: config.AUTH_SECRET,
      appBaseUrl: config.appBaseUrl,
      emailFrom: config.EMAIL_FROM,
      rp: relyingPartyFor(config.appBaseUrl),
      policy: { table: POLICY_TABLE, risk: riskAssessorFromEnv(config, { sessions: store.sessions, limits }) },
      totpKey: totpKeyFrom({ totpKey: config.TOTP_ENCRYPTION_KEY, authSecret: config.AUTH_SECRET }),
      deviceProofIntervalSeconds: config.DEVICE_PROOF_INTERVAL_SECONDS,
    };
  }
  return globalForDeps.trustladderDeps;
}

function emailTransportFromEnv(): EmailTransport {
  const config = env();
  if (config.emailTransport === "resend") {
    return resendTransport({ apiKey: config.RESEND_API_KEY ?? "", baseUrl: config.RESEND_BASE_URL });
  }
  return outboxTransport;
}
