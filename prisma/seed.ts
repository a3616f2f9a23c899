import { systemClock } from "../lib/clock";
import { closeDb, createDb } from "../lib/db/client";
import { DEFAULT_FILES_DIR } from "../lib/env";
import { seedDemoProduct } from "../lib/product/demo-seed";
import { directoryFileStore } from "../lib/product/file-store";

/**
 * Demo data for a fresh database: one regular user and one admin. Both sign
 * in like anyone else, with a link sent to the development mailbox
 * (/dev/mailbox). The demo user also has a file in FILES_DIR, sent to the
 * admin as a saved recipient. Running it twice changes nothing.
 */
const DEMO_USERS = [
  { email: "demo@trustladder.test", name: "Dana Demo", role: "user", locale: "en" },
  { email: "admin@trustladder.test", name: "Ada Admin", role: "admin", locale: "en" },
] as const;

async function main(): Promise<void> {
  const db = createDb(process.env.DATABASE_URL ?? "file:./data/dev.db");
  try {
    for (const user of DEMO_USERS) {
      await db.user.upsert({
        where: { email: user.email },
        create: { ...user, emailVerified: new Date() },
        update: {},
      });
      console.log(`seed: ${user.role} ${user.email}`);
    }
    const files = directoryFileStore(process.env.FILES_DIR ?? DEFAULT_FILES_DIR);
    const seeded = await seedDemoProduct(
      { db, clock: systemClock, files },
      { ownerEmail: "demo@trustladder.test", recipient: { name: "Ada Admin", email: "admin@trustladder.test", country: "GB" } },
    );
    if (!seeded.ok) throw new Error(`demo product: ${seeded.code}`);
    console.log("seed: demo@trustladder.test sent welcome.txt to admin@trustladder.test");
  } finally {
    await closeDb(db);
  }
}

main().catch((error: unknown) => {
  console.error("seed failed:", error instanceof Error ? error.message : error);
  process.exit(1);
});
