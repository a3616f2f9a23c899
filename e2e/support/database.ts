import { require as tsxRequire } from "tsx/cjs/api";
import { parseMethodUses } from "../../lib/auth/core/method-uses";
import type * as DbClient from "../../lib/db/client";
import type { Db } from "../../lib/db/client";

/**
 * The two things a journey cannot do through the UI, both about time: the
 * server decides expiry and recent authentication by its own clock, which a
 * browser test cannot move. Everything else goes through the pages.
 *
 * Both write through the app's own Prisma client (`createDb`, the one the
 * server uses), never raw SQL: Prisma stores a date in its own format on
 * each provider (ISO text on SQLite, timestamps on PostgreSQL), and the
 * server compares these columns in SQL, so a value written any other way
 * could compare wrongly on one provider and pass on the other.
 */

/**
 * The server's database through the app's own client factory (`createDb`
 * in lib/db/client.ts), on either provider. Loaded through tsx, as the
 * scripts run it, not imported: Prisma's generated client reads
 * `import.meta.url`, which Playwright's CommonJS transform leaves in place,
 * so Node refuses the file when a spec imports it (Node 20 and 24 alike).
 */
export function openDatabase(url: string): Db {
  // One connection per worker is plenty: a test makes two small updates at most.
  return dbClient().createDb(url, { poolSize: 1 });
}

export function closeDatabase(db: Db): Promise<void> {
  return dbClient().closeDb(db);
}

function dbClient(): typeof DbClient {
  return tsxRequire("../../lib/db/client", __filename);
}

/** When an expired challenge ran out: well before now on the same machine's clock. */
const EXPIRED_AGO_MS = 10 * 60 * 1000;

/**
 * Moves every pending sign-in challenge (link and code) for `email` ten
 * minutes into the past, as if its lifetime had run out, and returns how
 * many it changed. Waiting out the real lifetime per run is not an option.
 */
export async function expireChallenges(db: Db, email: string): Promise<number> {
  const { count } = await db.magicLinkChallenge.updateMany({
    where: { email, status: "pending" },
    data: { expiresAt: new Date(Date.now() - EXPIRED_AGO_MS) },
  });
  return count;
}

/**
 * Moves the times at which `email`'s sessions last proved who they are
 * (sign-in, re-confirmation) `minutes` into the past, as if the person had
 * signed in that long ago. Returns how many sessions changed.
 *
 * Why: adding or removing a factor needs a proof from the last 10 minutes
 * (the `security.factor.*` rows of lib/auth/policy/policy-table.ts), and a
 * journey cannot wait that long to see the emailed-code re-confirmation.
 */
export async function ageSignIns(db: Db, email: string, minutes: number): Promise<number> {
  const sessions = await db.session.findMany({ where: { user: { email } }, select: { id: true, methods: true } });
  const shiftMs = minutes * 60 * 1000;
  for (const session of sessions) {
    const aged = parseMethodUses(session.methods).map((use) => ({
      ...use,
      at: new Date(Date.parse(use.at) - shiftMs).toISOString(),
    }));
    await db.session.update({ where: { id: session.id }, data: { methods: JSON.stringify(aged) } });
  }
  return sessions.length;
}

/** Gives the account the admin role, as the seed gives admin@trustladder.test. */
export async function makeAdmin(db: Db, email: string): Promise<void> {
  await db.user.update({ where: { email }, data: { role: "admin" } });
}

/**
 * How many of `email`'s sessions are bound to a device key. The browser
 * binds its session in the background after a signed-in page loads
 * (components/auth/device-keeper.tsx); a journey that needs a bound
 * session waits for this rather than for a fixed time.
 */
export async function boundSessions(db: Db, email: string): Promise<number> {
  return db.session.count({ where: { user: { email }, binding: "device-key" } });
}

/**
 * Moves every step-up grant of `email`'s sessions an hour into the past,
 * as if its window had run out. Why: a payout change's grant lasts five
 * minutes, and a journey cannot wait that long to be asked again.
 */
export async function expireGrants(db: Db, email: string): Promise<number> {
  const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
  const user = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
  const { count } = await db.stepUpGrant.updateMany({
    where: { userId: user.id },
    data: { createdAt: hourAgo, expiresAt: hourAgo },
  });
  return count;
}
