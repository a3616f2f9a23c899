import { createDb } from "../lib/db/client";

/**
 * Demo data for a fresh database: one regular user and one admin. Both sign
 * in like anyone else, with a link sent to the development mailbox
 * (/dev/mailbox). Running it twice changes nothing.
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
  } finally {
    await db.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error("seed failed:", error instanceof Error ? error.message : error);
  process.exit(1);
});
