-- AlterTable
ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT 'member';
