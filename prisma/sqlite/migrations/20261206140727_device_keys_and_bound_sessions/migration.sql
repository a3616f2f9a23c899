-- AlterTable
ALTER TABLE "WebAuthnChallenge" ADD COLUMN "deviceId" TEXT;

-- CreateTable
CREATE TABLE "Device" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "trust" TEXT NOT NULL DEFAULT 'new',
    "createdAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "country" TEXT,
    "trustedAt" DATETIME,
    "revokedAt" DATETIME,
    CONSTRAINT "Device_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionToken" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expires" DATETIME NOT NULL,
    "absoluteExpiresAt" DATETIME NOT NULL,
    "aal" INTEGER NOT NULL DEFAULT 1,
    "methods" TEXT NOT NULL DEFAULT '[]',
    "userAgentClass" TEXT NOT NULL DEFAULT 'unknown',
    "country" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "passkeyId" TEXT,
    "restricted" BOOLEAN NOT NULL DEFAULT false,
    "latitude" REAL,
    "longitude" REAL,
    "binding" TEXT NOT NULL DEFAULT 'none',
    "deviceId" TEXT,
    "proofDueAt" DATETIME,
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Session" ("aal", "absoluteExpiresAt", "country", "createdAt", "expires", "id", "lastSeenAt", "latitude", "longitude", "methods", "passkeyId", "restricted", "sessionToken", "userAgentClass", "userId") SELECT "aal", "absoluteExpiresAt", "country", "createdAt", "expires", "id", "lastSeenAt", "latitude", "longitude", "methods", "passkeyId", "restricted", "sessionToken", "userAgentClass", "userId" FROM "Session";
DROP TABLE "Session";
ALTER TABLE "new_Session" RENAME TO "Session";
CREATE UNIQUE INDEX "Session_sessionToken_key" ON "Session"("sessionToken");
CREATE INDEX "Session_userId_idx" ON "Session"("userId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Device_userId_idx" ON "Device"("userId");
