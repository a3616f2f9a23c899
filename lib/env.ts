import path from "node:path";
import { z } from "zod";
import { DEFAULT_COUNTRY_DB_PATH } from "./auth/risk/geo-record";
import { networkListProblems } from "./auth/risk/network-list";

/**
 * The only reader of `process.env` (docs/architecture.md § Code conventions). Parsed once, on first
 * use, with a readable message when something is wrong. Every variable is
 * listed in the README's configuration table with its default.
 */

const DEVELOPMENT_SECRET_HINT =
  "AUTH_SECRET is missing. Run `npm run quickstart` (it writes a development secret to .env.local) " +
  "or set AUTH_SECRET to at least 32 random bytes, e.g. `openssl rand -base64 32`.";

/** The demo product's upload directory when FILES_DIR is not set. prisma/seed.ts uses it too. */
export const DEFAULT_FILES_DIR = "./data/files";

/**
 * "development" only in code that `next dev` compiled. Next.js replaces this
 * exact expression when it compiles the server (its define-env): with
 * "development" under `next dev` and "production" in a `next build`,
 * whatever NODE_ENV says when `next start` runs; so a production build
 * started with NODE_ENV=test, development or unset still reads "production"
 * here (checked against Next.js 16.4). Hence the literal expression rather
 * than the parsed object below, which holds the run-time value. Outside
 * Next.js (Vitest, tsx scripts) it is the variable's value.
 */
function compiledNodeEnv(): string | undefined {
  return process.env.NODE_ENV;
}

const booleanFlag = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((value) => value === "1" || value === "true");

const schema = z
  .object({
    /** `file:./data/dev.db` (SQLite) unless it starts with postgres:// or postgresql:// */
    DATABASE_URL: z.string().min(1).default("file:./data/dev.db"),
    /** `sql`: the store with the hot path's plain SQL (lib/db/hot-path); `prisma`: the reference, Prisma only (lib/auth/store/prisma). */
    AUTH_STORE: z.enum(["sql", "prisma"]).default("sql"),
    AUTH_SECRET: z.string().optional(),
    /** Public base URL: links in emails and the origin every POST must come from. */
    AUTH_URL: z.url().default("http://localhost:3000"),
    /** `outbox` keeps mail in the database (only with the development mailbox); `resend` sends it. */
    EMAIL_TRANSPORT: z.enum(["outbox", "resend"]).optional(),
    EMAIL_FROM: z.string().min(3).default("Trustladder <sign-in@trustladder.test>"),
    RESEND_API_KEY: z.string().optional(),
    /** Where the Resend SDK sends its calls; tests point it at a local stand-in. */
    RESEND_BASE_URL: z.url().optional(),
    /** Serves /dev/mailbox outside `next dev` (the quick start, e2e). Never set this in a real deployment. */
    DEV_MAILBOX: booleanFlag,
    /** How many reverse proxies in front of the app append to X-Forwarded-For. */
    TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
    /** A header set by a trusted edge with the client's ISO country, e.g. `cf-ipcountry`. */
    COUNTRY_HEADER: z.string().toLowerCase().optional(),
    /** Where uploaded files' bytes live (relative to the working directory); rows name them by a random key. */
    FILES_DIR: z.string().min(1).default(DEFAULT_FILES_DIR),
    /** Networks the risk policy refuses outright: IPv4/IPv6 CIDRs or addresses, comma- or space-separated. */
    RISK_BLOCKED_CIDRS: z
      .string()
      .default("")
      .superRefine((value, ctx) => {
        for (const message of networkListProblems(value)) ctx.addIssue({ code: "custom", message });
      }),
    /** A file of anonymizer addresses (one IP or CIDR a line, # comments), e.g. Tor exits; read at start. */
    RISK_ANONYMIZER_LIST: z.string().min(1).default("lib/auth/risk/anonymizers.example.txt"),
    /** An MMDB database with countries; the default is the installed IPtoASN one (public domain). */
    RISK_COUNTRY_DB: z.string().min(1).default(DEFAULT_COUNTRY_DB_PATH),
    /** An MMDB database with positions (GeoLite2-City, DB-IP City Lite), for impossible travel. */
    RISK_CITY_DB: z.string().min(1).optional(),
    /** Headers a trusted edge sets with the client's position, e.g. `cf-iplatitude` and `cf-iplongitude`. */
    LATITUDE_HEADER: z.string().toLowerCase().optional(),
    LONGITUDE_HEADER: z.string().toLowerCase().optional(),
    /** How long a session bound to a device key is used before the browser proves the key again (lib/auth/devices). */
    DEVICE_PROOF_INTERVAL_SECONDS: z.coerce.number().int().min(30).max(24 * 60 * 60).default(10 * 60),
    /** The key that seals authenticator-app secrets: base64url of 32 bytes; derived from AUTH_SECRET when unset. */
    TOTP_ENCRYPTION_KEY: z
      .string()
      .regex(/^[A-Za-z0-9_-]{43}$/, "TOTP_ENCRYPTION_KEY must be base64url of 32 bytes (43 characters), e.g. `openssl rand 32 | basenc --base64url | tr -d =`.")
      .optional(),
  })
  .transform((raw, ctx) => {
    const nodeEnv = compiledNodeEnv();
    const production = nodeEnv === "production";
    // The development mailbox hands every sign-in link to whoever asks, and
    // the outbox transport never sends mail: both only under `next dev` or
    // when DEV_MAILBOX=1 says this is a local demo (the quick start and the
    // e2e server, which listen on loopback only). Never merely because
    // NODE_ENV is something other than "production": NODE_ENV=test or an
    // unset one keeps them off.
    const devMailboxEnabled = nodeEnv === "development" || raw.DEV_MAILBOX;
    const secret = raw.AUTH_SECRET ?? "";
    if (secret.length < 32) {
      ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: DEVELOPMENT_SECRET_HINT });
      return z.NEVER;
    }
    const emailTransport = raw.EMAIL_TRANSPORT ?? (devMailboxEnabled ? "outbox" : "resend");
    if (emailTransport === "outbox" && !devMailboxEnabled) {
      ctx.addIssue({
        code: "custom",
        path: ["EMAIL_TRANSPORT"],
        message:
          "EMAIL_TRANSPORT=outbox keeps sign-in links in the database, where only the development mailbox shows them " +
          "(`next dev`, or DEV_MAILBOX=1 for a local demo); a deployment needs EMAIL_TRANSPORT=resend.",
      });
      return z.NEVER;
    }
    if (emailTransport === "resend" && !raw.RESEND_API_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["RESEND_API_KEY"],
        message: "EMAIL_TRANSPORT=resend needs RESEND_API_KEY.",
      });
      return z.NEVER;
    }
    if (Boolean(raw.LATITUDE_HEADER) !== Boolean(raw.LONGITUDE_HEADER)) {
      ctx.addIssue({
        code: "custom",
        path: ["LATITUDE_HEADER"],
        message: "LATITUDE_HEADER and LONGITUDE_HEADER name one position: set both or neither.",
      });
      return z.NEVER;
    }
    const databaseProvider: "postgresql" | "sqlite" = /^postgres(ql)?:\/\//.test(raw.DATABASE_URL)
      ? "postgresql"
      : "sqlite";
    const authUrl = new URL(raw.AUTH_URL);
    return {
      ...raw,
      AUTH_SECRET: secret,
      /** Running a `next build` (outside Next.js: NODE_ENV=production). */
      production,
      emailTransport,
      databaseProvider,
      /** Origin (scheme://host[:port]) that every state-changing request must come from. */
      appOrigin: authUrl.origin,
      /** AUTH_URL without a trailing slash. */
      appBaseUrl: authUrl.href.replace(/\/$/, ""),
      secureCookies: authUrl.protocol === "https:",
      /** /dev/mailbox and /api/dev/mailbox answer: only under `next dev` or with DEV_MAILBOX=1. */
      devMailboxEnabled,
      /** FILES_DIR as an absolute path, so a later chdir cannot move the uploads. */
      filesDir: path.resolve(raw.FILES_DIR),
      /** The risk signals' files as absolute paths (lib/auth/risk). */
      anonymizerListPath: path.resolve(raw.RISK_ANONYMIZER_LIST),
      countryDbPath: path.resolve(raw.RISK_COUNTRY_DB),
      cityDbPath: raw.RISK_CITY_DB ? path.resolve(raw.RISK_CITY_DB) : undefined,
    };
  });

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Trustladder configuration is invalid:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** Tests change variables between cases; this makes the next call re-read them. */
export function resetEnvForTests(): void {
  cached = undefined;
}
