-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "RateLimiterFlexible";
PRAGMA foreign_keys=on;

-- CreateTable
-- Edited by hand: WITHOUT ROWID keeps each counter in its primary key's
-- B-tree alone, so counting an attempt writes one page instead of two
-- (a third less CPU per sign-in request's limits; bench/README.md).
-- Prisma's schema cannot say this and its diff does not see it.
CREATE TABLE "rate_limit_counters" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT
) WITHOUT ROWID;
