-- AlterTable
ALTER TABLE "MagicLinkChallenge" ADD COLUMN     "purpose" TEXT NOT NULL DEFAULT 'sign_in';
