-- AlterTable
ALTER TABLE "WebAuthnChallenge" ADD COLUMN "action" TEXT;
ALTER TABLE "WebAuthnChallenge" ADD COLUMN "sessionId" TEXT;

-- CreateTable
CREATE TABLE "StepUpGrant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "sessionId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "StepUpGrant_sessionId_fkey" FOREIGN KEY ("sessionId") REFERENCES "Session" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TotpFactor" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "secretSealed" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "confirmedAt" DATETIME,
    "lastUsedStep" INTEGER,
    "failedAttempts" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" DATETIME,
    "lastUsedAt" DATETIME,
    CONSTRAINT "TotpFactor_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
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
    CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Session" ("aal", "absoluteExpiresAt", "country", "createdAt", "expires", "id", "lastSeenAt", "methods", "passkeyId", "sessionToken", "userAgentClass", "userId") SELECT "aal", "absoluteExpiresAt", "country", "createdAt", "expires", "id", "lastSeenAt", "methods", "passkeyId", "sessionToken", "userAgentClass", "userId" FROM "Session";
DROP TABLE "Session";
ALTER TABLE "new_Session" RENAME TO "Session";
CREATE UNIQUE INDEX "Session_sessionToken_key" ON "Session"("sessionToken");
CREATE INDEX "Session_userId_idx" ON "Session"("userId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "StepUpGrant_sessionId_action_idx" ON "StepUpGrant"("sessionId", "action");

-- CreateIndex
CREATE INDEX "TotpFactor_userId_idx" ON "TotpFactor"("userId");
