import type { Clock } from "../clock";
import type { Db } from "../db/client";
import { failure, success, type Result } from "../auth/errors";
import type { AccessStatus } from "./access-requests";
import { extensionOf, sanitizeFileName } from "./file-name";
import { MAX_UPLOAD_BYTES } from "./file-rules";
import type { FileStore } from "./file-store";
import { detectContentType } from "./file-type";

/**
 * Files: upload, list your own, open one you may read. Who may read a file
 * is decided in one query (`readableBy`), used by every path that hands out
 * bytes, so "owner or approved requester" is written exactly once.
 */

export interface FileDeps {
  db: Db;
  clock: Clock;
  files: FileStore;
}

export interface FileSummary {
  id: string;
  name: string;
  contentType: string;
  sizeBytes: number;
  createdAt: Date;
}

export interface OwnFile extends FileSummary {
  /** Newest first. */
  sentTo: { recipientName: string; recipientEmail: string; at: Date }[];
}

export interface Upload {
  /** As the client sent it; sanitized here. */
  name: string;
  bytes: Uint8Array;
}

/** The files page lists at most this many (newest first); paging is future work. */
export const MAX_LISTED_FILES = 200;

const summarySelect = { id: true, name: true, contentType: true, sizeBytes: true, createdAt: true } as const;

export async function uploadFile(deps: FileDeps, ownerId: string, upload: Upload): Promise<Result<FileSummary>> {
  const size = upload.bytes.byteLength;
  if (size > MAX_UPLOAD_BYTES) return failure("FILE_TOO_LARGE");
  const name = sanitizeFileName(upload.name);
  if (!name) {
    return failure("VALIDATION_FAILED", { fields: { file: upload.name.trim() ? "FILE_NAME_INVALID" : "FILE_REQUIRED" } });
  }
  if (size === 0) return failure("VALIDATION_FAILED", { fields: { file: "FILE_EMPTY" } });
  const contentType = detectContentType(upload.bytes, extensionOf(name));
  if (!contentType) return failure("FILE_TYPE_NOT_ALLOWED");

  const storageKey = await deps.files.put(upload.bytes);
  try {
    const file = await deps.db.storedFile.create({
      data: { ownerId, name, storageKey, contentType, sizeBytes: size, createdAt: deps.clock.now() },
      select: summarySelect,
    });
    return success(file);
  } catch (error) {
    // No row, no bytes: an orphan would be unreachable and never cleaned up.
    await deps.files.remove(storageKey).catch(() => undefined);
    throw error;
  }
}

export async function listFiles(db: Db, ownerId: string): Promise<OwnFile[]> {
  const rows = await db.storedFile.findMany({
    where: { ownerId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: MAX_LISTED_FILES,
    select: {
      ...summarySelect,
      transfers: {
        orderBy: { createdAt: "desc" },
        select: { createdAt: true, recipient: { select: { name: true, email: true } } },
      },
    },
  });
  return rows.map(({ transfers, ...file }) => ({
    ...file,
    sentTo: transfers.map((transfer) => ({
      recipientName: transfer.recipient.name,
      recipientEmail: transfer.recipient.email,
      at: transfer.createdAt,
    })),
  }));
}

/**
 * The file and its bytes, for its owner or for someone whose access request
 * the owner approved. Everyone else, and every id that does not exist, gets
 * the same NOT_FOUND: guessing ids reveals nothing.
 */
export async function openFile(
  deps: Pick<FileDeps, "db" | "files">,
  userId: string,
  fileId: string,
): Promise<Result<{ file: FileSummary; bytes: Buffer }>> {
  const row = await deps.db.storedFile.findFirst({
    where: readableBy(userId, fileId),
    select: { ...summarySelect, storageKey: true },
  });
  if (!row) return failure("NOT_FOUND");
  const { storageKey, ...file } = row;
  const bytes = await deps.files.get(storageKey);
  if (!bytes) {
    // The row outlived its bytes (a restored database, a wiped FILES_DIR).
    console.error(`files: stored bytes missing for file ${file.id}`);
    return failure("NOT_FOUND");
  }
  return success({ file, bytes });
}

const APPROVED: AccessStatus = "approved";
/** Ids are cuids; anything much longer is not one of ours. */
const MAX_ID_LENGTH = 64;

function readableBy(userId: string, fileId: string) {
  return {
    id: fileId.slice(0, MAX_ID_LENGTH + 1),
    OR: [{ ownerId: userId }, { accessRequests: { some: { requesterId: userId, status: APPROVED } } }],
  };
}
