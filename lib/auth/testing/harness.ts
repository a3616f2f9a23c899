import { MovableClock } from "../../clock";
import type { Db } from "../../db/client";
import { createPostgresTestDatabase, createSqliteTestDatabase, type TestDatabase } from "../../db/test-database";
import { outboxTransport, type EmailTransport } from "../../delivery/email-transport";
import type { Locale } from "../../i18n/locales";
import { databaseAuditLog } from "../core/audit";
import { authCommands } from "../commands";
import type { CommandContext } from "../core/command-types";
import { execute, type ExecuteDeps } from "../core/execute";
import { databaseRateLimits } from "../core/rate-limits";
import { relyingPartyFor } from "../core/relying-party";
import { authStoreFor, type AuthStoreKind } from "../store/select";
import { ipLimitKeyOf, networkLimitKeyOf, type RequestContext } from "../core/request-context";
import { POLICY_TABLE } from "../policy/policy-table";
import { createGeoLocator } from "../risk/geo";
import { parseNetworkList } from "../risk/network-list";
import { createRiskAssessor } from "../risk/risk-assessor";
import { totpKeyFrom } from "../totp/secret-box";

/**
 * Real parts for integration tests: a freshly migrated database (SQLite, or
 * PostgreSQL when TEST_POSTGRES_URL is set), database-backed rate limits,
 * the outbox transport, the batched audit log, and a clock that only moves
 * when a test moves it. No HTTP request and no Next.js runtime needed.
 */

export type Provider = "sqlite" | "postgresql";

/** The providers every integration suite runs on. */
export const PROVIDERS: Provider[] = process.env.TEST_POSTGRES_URL ? ["sqlite", "postgresql"] : ["sqlite"];

/**
 * The auth store the integration suites run on: the default's (`sql`)
 * unless TEST_AUTH_STORE=prisma asks for the reference. The store contract
 * suite (lib/auth/store) runs both whatever this says.
 */
export const TEST_AUTH_STORE: AuthStoreKind = process.env.TEST_AUTH_STORE === "prisma" ? "prisma" : "sql";

export const TEST_SECRET = "test-secret-that-is-long-enough-0123456789";
export const TEST_BASE_URL = "http://localhost:3000";

/** One locator for every harness: the shipped database is read once per test file. */
const TEST_GEO = createGeoLocator();
/** A fixed key, so a test can open what a ceremony sealed. */
export const TEST_TOTP_KEY = totpKeyFrom({ authSecret: TEST_SECRET });
/** The production default: tests move the clock past it. */
export const TEST_DEVICE_PROOF_INTERVAL_SECONDS = 10 * 60;

export interface Harness {
  deps: ExecuteDeps;
  db: Db;
  clock: MovableClock;
  close(): Promise<void>;
}

export async function createHarness(
  provider: Provider,
  options: {
    transport?: EmailTransport;
    start?: string;
    store?: AuthStoreKind;
    /** RISK_BLOCKED_CIDRS for this harness (comma-separated). */
    blockedCidrs?: string;
    /** The anonymizer list's entries (comma-separated). */
    anonymizers?: string;
  } = {},
): Promise<Harness> {
  const database: TestDatabase =
    provider === "postgresql"
      ? await createPostgresTestDatabase(process.env.TEST_POSTGRES_URL as string)
      : await createSqliteTestDatabase();
  const clock = new MovableClock(options.start ?? new Date().toISOString());
  const store = authStoreFor(database.db, options.store ?? TEST_AUTH_STORE);
  const audit = databaseAuditLog(store.audit);
  const limits = databaseRateLimits(database.db);
  const deps: ExecuteDeps = {
    store,
    db: database.db,
    clock,
    limits,
    transport: options.transport ?? outboxTransport,
    audit,
    secret: TEST_SECRET,
    appBaseUrl: TEST_BASE_URL,
    emailFrom: "Trustladder <sign-in@trustladder.test>",
    rp: relyingPartyFor(TEST_BASE_URL),
    policy: {
      table: POLICY_TABLE,
      // The real assessor: the shipped country database, and the networks a test names.
      risk: createRiskAssessor({
        blockedNetworks: parseNetworkList(options.blockedCidrs ?? "", "blockedCidrs"),
        anonymizers: parseNetworkList(options.anonymizers ?? "", "anonymizers"),
        geo: TEST_GEO,
        sessions: store.sessions,
        limits,
      }),
    },
    totpKey: TEST_TOTP_KEY,
    deviceProofIntervalSeconds: TEST_DEVICE_PROOF_INTERVAL_SECONDS,
    // The auth core's commands; an application's harness adds its own (lib/product/testing).
    commands: authCommands,
  };
  return {
    deps,
    db: database.db,
    clock,
    async close() {
      await audit.flush();
      await database.drop();
    },
  };
}

let ipCounter = 0;

/**
 * A browser or API caller's context; each call gets its own IP unless given
 * one, and its rate-limit key follows the IP it ends up with.
 */
export function requestContext(overrides: Partial<RequestContext> = {}): RequestContext {
  ipCounter += 1;
  const ip = "ip" in overrides ? (overrides.ip ?? null) : `198.51.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
  return {
    ip,
    ipLimitKey: ipLimitKeyOf(ip),
    networkLimitKey: networkLimitKeyOf(ip),
    ipPrefix: `198.51.${(ipCounter >> 8) & 255}.0/24`,
    country: "ES",
    edgePosition: null,
    browserSummary: "Firefox · Windows",
    deviceClass: "desktop",
    origin: TEST_BASE_URL,
    fetchSite: "same-origin",
    ...overrides,
  };
}

export function commandContext(overrides: Partial<CommandContext> = {}, locale: Locale = "en"): CommandContext {
  return {
    channel: "api",
    locale,
    request: requestContext({ origin: null, fetchSite: null }),
    sessionToken: null,
    sessionFromCookie: false,
    bindingCookie: null,
    webauthnBindingCookie: null,
    passkeyOnThisBrowser: false,
    ...overrides,
  };
}

export interface DeliveredLink {
  token: string;
  code: string;
  link: string;
  subject: string;
  html: string;
  text: string;
}

/** Reads the newest email to `to` from the outbox, as a person reads their inbox. */
export async function latestEmail(db: Db, to: string): Promise<DeliveredLink> {
  const message = await db.outboxMessage.findFirst({ where: { to }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  if (!message) throw new Error(`no email to ${to}`);
  const link = message.text.match(/https?:\/\/\S+\/magic-link\?token=[A-Za-z0-9_%-]+/)?.[0];
  const code = message.text.match(/^\s*([0-9]{6})\s*$/m)?.[1];
  if (!link || !code) throw new Error(`email to ${to} has no link or code`);
  return {
    link,
    token: decodeURIComponent(new URL(link).searchParams.get("token") ?? ""),
    code,
    subject: message.subject,
    html: message.html,
    text: message.text,
  };
}

export type Json = Record<string, unknown>;

/** An audit event's details, as a test reads them (JSON.parse alone would type them `any`). */
export function auditDetails(event: { details: string } | null | undefined): Json {
  const parsed: unknown = JSON.parse(event?.details ?? "{}");
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("audit details are not a JSON object");
  return parsed as Json;
}

/** Runs a command as an API caller would (`commandContext` plus `ctx`) and returns what tests check. */
export async function runCommand(h: Harness, command: string, params: unknown, ctx: Partial<CommandContext> = {}) {
  const result = await execute(h.deps, command, params, commandContext(ctx));
  return {
    status: result.status,
    ok: result.envelope.ok,
    code: result.envelope.error?.code,
    data: result.envelope.data as Json,
    effects: result.effects,
  };
}

/** Signs `email` in through the API with the link from its email; returns the session token. */
export async function signInByEmail(h: Harness, email: string): Promise<string> {
  const requested = await runCommand(h, "AUTH.MAGIC_LINK.REQUEST", { email });
  const mail = await latestEmail(h.db, email);
  const redeemed = await runCommand(h, "AUTH.MAGIC_LINK.REDEEM", { token: mail.token, binding: requested.data.binding });
  return redeemed.data.sessionToken as string;
}

/** A 6-digit code that is not `code`. */
export function wrongCode(code: string, offset = 1): string {
  return String((Number(code) + offset) % 1_000_000).padStart(6, "0");
}
