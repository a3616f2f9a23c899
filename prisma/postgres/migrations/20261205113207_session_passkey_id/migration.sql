-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "passkeyId" TEXT;
