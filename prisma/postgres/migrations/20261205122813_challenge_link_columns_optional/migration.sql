-- AlterTable
ALTER TABLE "MagicLinkChallenge" ALTER COLUMN "tokenHash" DROP NOT NULL,
ALTER COLUMN "bindingHash" DROP NOT NULL;

-- Re-confirmation challenges were written with a random link token and
-- binding that were never sent anywhere: only a sign-in link has them.
UPDATE "MagicLinkChallenge" SET "tokenHash" = NULL, "bindingHash" = NULL WHERE "purpose" <> 'sign_in';
