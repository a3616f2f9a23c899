import type { LaunchOptions } from "@playwright/test";

/**
 * How the system's Chromium is launched, by the browser journeys
 * (playwright.config.ts) and by the bench's measure of the sign-in page's
 * JavaScript (bench/client-js.ts) alike, so both run the same browser the
 * same way. Playwright cannot download its own browser on every machine;
 * scripts/ensure-chromium.sh installs Debian's at the default path.
 *
 * Only a type comes from Playwright here: the bench imports this file
 * without loading the test runner's configuration.
 */
export const CHROMIUM_LAUNCH_OPTIONS = {
  /** Default `/usr/bin/chromium`; CHROMIUM_PATH names another. */
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    // Chromium will not start its sandbox as root, as on CI machines and in containers.
    "--no-sandbox",
    // A server has no GPU.
    "--disable-gpu",
    // No traffic of the browser's own (updates, sync, first-run pages) beside
    // what a journey or a measurement asks for.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
  ],
} satisfies LaunchOptions;
