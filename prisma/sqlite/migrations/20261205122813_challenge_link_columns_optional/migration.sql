-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_MagicLinkChallenge" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "userId" TEXT,
    "tokenHash" TEXT,
    "codeHash" TEXT NOT NULL,
    "bindingHash" TEXT,
    "purpose" TEXT NOT NULL DEFAULT 'sign_in',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "failedCodeAttempts" INTEGER NOT NULL DEFAULT 0,
    "locale" TEXT NOT NULL,
    "callbackPath" TEXT NOT NULL DEFAULT '/',
    "requestUserAgent" TEXT NOT NULL DEFAULT 'unknown',
    "requestCountry" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "redeemedAt" DATETIME,
    CONSTRAINT "MagicLinkChallenge_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_MagicLinkChallenge" ("bindingHash", "callbackPath", "codeHash", "createdAt", "email", "expiresAt", "failedCodeAttempts", "id", "locale", "purpose", "redeemedAt", "requestCountry", "requestUserAgent", "status", "tokenHash", "userId") SELECT "bindingHash", "callbackPath", "codeHash", "createdAt", "email", "expiresAt", "failedCodeAttempts", "id", "locale", "purpose", "redeemedAt", "requestCountry", "requestUserAgent", "status", "tokenHash", "userId" FROM "MagicLinkChallenge";
DROP TABLE "MagicLinkChallenge";
ALTER TABLE "new_MagicLinkChallenge" RENAME TO "MagicLinkChallenge";
CREATE UNIQUE INDEX "MagicLinkChallenge_tokenHash_key" ON "MagicLinkChallenge"("tokenHash");
CREATE INDEX "MagicLinkChallenge_email_status_idx" ON "MagicLinkChallenge"("email", "status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Re-confirmation challenges were written with a random link token and
-- binding that were never sent anywhere: only a sign-in link has them.
UPDATE "MagicLinkChallenge" SET "tokenHash" = NULL, "bindingHash" = NULL WHERE "purpose" <> 'sign_in';
