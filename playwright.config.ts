import { defineConfig } from "@playwright/test";
import type { LocaleOptions } from "./e2e/fixtures";
import { CHROMIUM_LAUNCH_OPTIONS } from "./e2e/support/chromium";
import { LOCALE_PROJECTS } from "./e2e/support/locales";
import {
  E2E_BASE_URL,
  E2E_BLOCKED_NETWORK,
  E2E_DATABASE_URL,
  E2E_PORT,
  RUN_DATABASE_NAME_VARIABLE,
  e2eRunDatabaseName,
} from "./e2e/support/server";

const CI = Boolean(process.env.CI);

// A PostgreSQL run names its own database here, once, in the main process
// (the workers inherit the name); the server script creates and drops it.
const runDatabaseName = e2eRunDatabaseName();

/**
 * How long the server script may take to stop once signalled: the server
 * stops at once, then it drops a PostgreSQL run's database (a few seconds,
 * most of them starting tsx on a busy machine).
 */
const SERVER_SHUTDOWN_TIMEOUT_MS = 30_000;

/**
 * The browser journeys: every spec in e2e/ once per locale, in the system's
 * Chromium (Playwright cannot download its own browser on every machine;
 * scripts/ensure-chromium.sh installs Debian's), against the production
 * build on its own port and database (scripts/e2e-server.sh): a fresh
 * SQLite file, or with E2E_DATABASE_URL=postgres://… a fresh PostgreSQL
 * database on that server (e2e/support/server.ts).
 */
export default defineConfig<LocaleOptions>({
  testDir: "e2e",
  // Never Vitest's *.test.ts files.
  testMatch: "**/*.spec.ts",
  fullyParallel: true,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  // Two cores: the server and one browser per worker already fill them.
  workers: 2,
  reporter: [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: E2E_BASE_URL,
    trace: "retain-on-failure",
    launchOptions: CHROMIUM_LAUNCH_OPTIONS,
  },
  projects: LOCALE_PROJECTS.map(({ appLocale, browserLocale, dir }) => ({
    name: appLocale,
    use: { browserName: "chromium" as const, appLocale, dir, locale: browserLocale },
  })),
  webServer: {
    command: "bash scripts/e2e-server.sh",
    url: `${E2E_BASE_URL}/api/dev/mailbox`,
    env: {
      E2E_PORT: String(E2E_PORT),
      E2E_DATABASE_URL,
      // The sign-in policy's blocked network, reached through one trusted proxy hop.
      RISK_BLOCKED_CIDRS: E2E_BLOCKED_NETWORK,
      TRUST_PROXY_HOPS: "1",
      ...(runDatabaseName ? { [RUN_DATABASE_NAME_VARIABLE]: runDatabaseName } : {}),
    },
    // A server already running has its own database, which a PostgreSQL
    // run's fixtures would not know (they open the one named above).
    reuseExistingServer: !CI && !runDatabaseName,
    // Without it Playwright kills the server at once (SIGKILL), and the
    // script's trap could not drop the run's PostgreSQL database.
    gracefulShutdown: { signal: "SIGTERM", timeout: SERVER_SHUTDOWN_TIMEOUT_MS },
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
