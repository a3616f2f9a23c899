/**
 * Runs once when a server process starts (Next.js instrumentation hook).
 * It validates the configuration, so a production server without a real
 * AUTH_SECRET refuses to start instead of failing on the first sign-in, and
 * starts the outbox dispatcher that retries emails whose first send failed.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServerProcess } = await import("./lib/server-start");
  startServerProcess();
}
