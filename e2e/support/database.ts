import type Database from "better-sqlite3";
import { parseMethodUses } from "../../lib/auth/method-uses";

/**
 * Moves every pending challenge for `email` ten minutes into the past, as
 * if the link's lifetime had run out, and returns how many it changed.
 *
 * Why reach into the database: expiry is decided by the server's clock,
 * which a browser test cannot move, and waiting out MAGIC_LINK_TTL_SECONDS
 * (10 minutes) per run is not an option. Everything else in the journeys
 * goes through the UI.
 */
export function expireChallenges(db: Database.Database, email: string): number {
  const sample = db
    .prepare("SELECT expiresAt FROM MagicLinkChallenge WHERE email = ? AND status = 'pending' LIMIT 1")
    .get(email) as { expiresAt: number | string } | undefined;
  if (!sample) return 0;
  const past = new Date(Date.now() - 10 * 60 * 1000);
  return db
    .prepare("UPDATE MagicLinkChallenge SET expiresAt = ? WHERE email = ? AND status = 'pending'")
    .run(storedLike(sample.expiresAt, past), email).changes;
}

/**
 * A date in the column's own format. Prisma's SQLite adapter writes ISO
 * text (`2026-11-22T04:27:57.323+00:00`) and the server also compares the
 * column in SQL (`expiresAt > now`), where text compares as text, so the
 * new value must look exactly like the ones the adapter writes. Older
 * Prisma engines wrote INTEGER milliseconds instead.
 */
function storedLike(existing: number | string, date: Date): number | string {
  if (typeof existing === "number") return date.getTime();
  const iso = date.toISOString();
  return existing.endsWith("Z") ? iso : iso.replace(/Z$/, "+00:00");
}

/**
 * Moves the times at which `email`'s sessions last proved who they are
 * (sign-in, re-confirmation) `minutes` into the past, as if the person had
 * signed in that long ago. Returns how many sessions changed.
 *
 * Why: adding or removing a passkey needs a proof from the last 10 minutes
 * (lib/auth/recent-auth.ts), and a journey cannot wait that long to see the
 * re-confirmation step.
 */
export function ageSignIns(db: Database.Database, email: string, minutes: number): number {
  const sessions = db
    .prepare('SELECT s.id, s.methods FROM "Session" s JOIN "User" u ON u.id = s.userId WHERE u.email = ?')
    .all(email) as { id: string; methods: string }[];
  const shift = minutes * 60 * 1000;
  const update = db.prepare('UPDATE "Session" SET methods = ? WHERE id = ?');
  for (const session of sessions) {
    const methods = parseMethodUses(session.methods);
    const aged = methods.map((use) => ({ ...use, at: new Date(new Date(use.at).getTime() - shift).toISOString() }));
    update.run(JSON.stringify(aged), session.id);
  }
  return sessions.length;
}
