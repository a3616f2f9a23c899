import type { AuthStoreKind } from "../auth/store/select";
import { hotPath, type Db } from "../db/client";
import type { AccessStatus } from "./access-requests";
import type { FileSummary } from "./files";

/**
 * The row a download opens: the file, for its owner or a requester the
 * owner approved. Every download makes this read (and a private file's
 * makes it before the policy's guard), so with AUTH_STORE=sql (the default)
 * it is one plain statement on the hot path's connection (lib/db/hot-path):
 * about 5 µs of CPU on SQLite, where the Prisma call spent about 120 µs
 * (docs/performance.md). The Prisma reference below is the same rule as a
 * fork reads it; file-rows.test.ts holds the two to the same answers on both
 * databases.
 */
export interface FileRows {
  /**
   * The file `fileId`, if `userId` owns it or was approved to read it; null
   * otherwise, and for an id that does not exist: the caller answers both
   * alike, so guessing ids reveals nothing.
   */
  findReadable(userId: string, fileId: string): Promise<ReadableFileRow | null>;
}

/** What a download needs: the summary, and where its bytes are. */
export interface ReadableFileRow extends FileSummary {
  storageKey: string;
}

const APPROVED: AccessStatus = "approved";

/** The reference: Prisma, the rule written as a `where`. */
export function prismaFileRows(db: Db): FileRows {
  return {
    findReadable: (userId, fileId) =>
      db.storedFile.findFirst({
        where: { id: fileId, OR: [{ ownerId: userId }, { accessRequests: { some: { requesterId: userId, status: APPROVED } } }] },
        select: { id: true, name: true, contentType: true, sizeBytes: true, createdAt: true, private: true, storageKey: true },
      }),
  };
}

/** The same rule as one statement (quoted identifiers read the same on SQLite and PostgreSQL). */
const SELECT_READABLE_FILE = `
  SELECT f."id", f."name", f."contentType", f."sizeBytes", f."createdAt", f."private", f."storageKey"
  FROM "StoredFile" f
  WHERE f."id" = ? AND (f."ownerId" = ? OR EXISTS (
    SELECT 1 FROM "AccessRequest" a
    WHERE a."fileId" = f."id" AND a."requesterId" = ? AND a."status" = ?))`;

/** The row as either driver reads it: SQLite hands over a time as ISO text and a boolean as 0 or 1. */
type ReadableFileValues = Omit<ReadableFileRow, "createdAt" | "private"> & { createdAt: Date | string; private: boolean | number };

export function sqlFileRows(db: Db): FileRows {
  const fast = hotPath(db);
  return {
    async findReadable(userId, fileId) {
      const row = await fast.selectOne<ReadableFileValues>(SELECT_READABLE_FILE, [fileId, userId, userId, APPROVED]);
      return row ? { ...row, createdAt: new Date(row.createdAt), private: Boolean(row.private) } : null;
    },
  };
}

/** The implementation AUTH_STORE chooses (lib/env.ts), as it chooses the auth store's. */
export function fileRowsFor(db: Db, kind: AuthStoreKind): FileRows {
  return kind === "sql" ? sqlFileRows(db) : prismaFileRows(db);
}
