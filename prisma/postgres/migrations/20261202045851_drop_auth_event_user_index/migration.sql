-- DropIndex
DROP INDEX "AuthEvent_userId_at_idx";
