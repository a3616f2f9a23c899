import type Database from "better-sqlite3";

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
