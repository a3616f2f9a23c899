import { defineConfig } from "@playwright/test";
import type { LocaleOptions } from "./e2e/fixtures";
import { LOCALE_PROJECTS } from "./e2e/support/locales";
import { E2E_BASE_URL, E2E_DATABASE_URL, E2E_PORT } from "./e2e/support/server";

const CI = Boolean(process.env.CI);

/**
 * The browser journeys: every spec in e2e/ once per locale, in the system's
 * Chromium (Playwright cannot download its own browser on every machine;
 * scripts/ensure-chromium.sh installs Debian's), against the production
 * build on its own port and database (scripts/e2e-server.sh).
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
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: LOCALE_PROJECTS.map(({ appLocale, browserLocale, dir }) => ({
    name: appLocale,
    use: { browserName: "chromium" as const, appLocale, dir, locale: browserLocale },
  })),
  webServer: {
    command: "bash scripts/e2e-server.sh",
    url: `${E2E_BASE_URL}/api/dev/mailbox`,
    env: { E2E_PORT: String(E2E_PORT), E2E_DATABASE_URL },
    reuseExistingServer: !CI,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
  },
});
