import type { Clock } from "../clock";
import { databaseProvider, type Db } from "../db/client";
import { failure, success, type Failure, type Result } from "../auth/core/errors";
import { extensionOf, sanitizeFileName } from "./file-name";
import type { FileRows } from "./file-rows";
import { MAX_STORED_BYTES_PER_USER, MAX_UPLOAD_BYTES } from "./file-rules";
import { FileStoreError, type FileStore, type PendingFile } from "./file-store";
import { contentCheck, type ContentCheck } from "./file-type";

/**
 * Files: upload, list your own, open one you may read. Who may read a file
 * is decided by one read (`FileRows.findReadable`, lib/product/file-rows.ts),
 * used by every path that hands out one file's bytes.
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
  /** Viewing it needs a fresh strong proof (the policy's `file.view_private`). */
  private: boolean;
}

export interface OwnFile extends FileSummary {
  /** Newest first. */
  sentTo: { recipientName: string; recipientEmail: string; at: Date }[];
}

export interface Upload {
  /** As the client sent it; sanitized here. */
  name: string;
  /** The bytes as they arrive (a request body's file part, or one array). */
  body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

/** The files page lists at most this many (newest first); paging is future work. */
export const MAX_LISTED_FILES = 200;

const summarySelect = { id: true, name: true, contentType: true, sizeBytes: true, createdAt: true, private: true } as const;

/**
 * Stores one file for `ownerId`. The bytes go straight to a temporary file
 * while their size and type are checked (never several copies in memory);
 * the file is renamed into place and its row written only when all of it
 * was accepted and fits the owner's quota. Any refusal or disk failure
 * deletes what was written: no temporary file, no row.
 */
export async function uploadFile(deps: FileDeps, ownerId: string, upload: Upload): Promise<Result<FileSummary>> {
  const name = sanitizeFileName(upload.name);
  if (!name) {
    return failure("VALIDATION_FAILED", { fields: { file: upload.name.trim() ? "FILE_NAME_INVALID" : "FILE_REQUIRED" } });
  }
  // An early, cheap refusal before any byte is written; the check that
  // holds under parallel uploads is the one in `insertWithinQuota`.
  if ((await storedBytes(deps.db, ownerId)) >= MAX_STORED_BYTES_PER_USER) return failure("QUOTA_EXCEEDED");

  let pending: PendingFile | null = null;
  let committed = false;
  try {
    pending = await deps.files.create();
    const received = await receive(upload.body, pending, contentCheck(extensionOf(name)));
    if (!received.ok) return received;
    await pending.finish();
    const stored = await insertWithinQuota(deps, ownerId, pending, { name, ...received.value });
    committed = stored.ok;
    return stored;
  } catch (error) {
    if (error instanceof FileStoreError) {
      // A full or failing disk: the service is unavailable, the upload is not wrong (ASVS 16.5.2).
      console.error(`files: upload not stored (${error.code})`);
      return failure("SERVICE_UNAVAILABLE");
    }
    throw error;
  } finally {
    if (!committed) await pending?.discard();
  }
}

/** Streams the body into `pending`, stopping at the first chunk that breaks a rule. */
async function receive(
  body: Upload["body"],
  pending: PendingFile,
  check: ContentCheck,
): Promise<Result<{ sizeBytes: number; contentType: string }>> {
  let sizeBytes = 0;
  for await (const chunk of body) {
    sizeBytes += chunk.byteLength;
    if (sizeBytes > MAX_UPLOAD_BYTES) return failure("FILE_TOO_LARGE");
    check.push(chunk);
    if (check.failed) return failure("FILE_TYPE_NOT_ALLOWED");
    await pending.write(chunk);
  }
  if (sizeBytes === 0) return failure("VALIDATION_FAILED", { fields: { file: "FILE_EMPTY" } });
  const contentType = check.result();
  return contentType ? success({ sizeBytes, contentType }) : failure("FILE_TYPE_NOT_ALLOWED");
}

/**
 * The quota check and the row, in one transaction that no other upload of
 * the same owner runs beside: on PostgreSQL a transaction-scoped advisory
 * lock per owner; on SQLite every transaction already runs alone (one
 * writer, and Prisma's adapter queues transactions on its connection).
 * Parallel uploads therefore cannot pass the quota by even one file. The
 * bytes are renamed into place inside it, so a committed row always has
 * its bytes, and a failed rename or commit leaves no row.
 */
async function insertWithinQuota(
  deps: FileDeps,
  ownerId: string,
  pending: PendingFile,
  file: { name: string; sizeBytes: number; contentType: string },
): Promise<Result<FileSummary>> {
  const postgres = databaseProvider(deps.db) === "postgresql";
  return deps.db.$transaction(async (tx): Promise<Result<FileSummary>> => {
    if (postgres) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`trustladder:stored-files:${ownerId}`}))`;
    const used = await tx.storedFile.aggregate({ where: { ownerId }, _sum: { sizeBytes: true } });
    if ((used._sum.sizeBytes ?? 0) + file.sizeBytes > MAX_STORED_BYTES_PER_USER) return failure("QUOTA_EXCEEDED");
    const row = await tx.storedFile.create({
      data: { ownerId, ...file, storageKey: pending.key, createdAt: deps.clock.now() },
      select: summarySelect,
    });
    await pending.commit();
    return success(row);
  });
}

/** The bytes `ownerId` has stored: what the quota counts. */
export async function storedBytes(db: Db, ownerId: string): Promise<number> {
  const used = await db.storedFile.aggregate({ where: { ownerId }, _sum: { sizeBytes: true } });
  return used._sum.sizeBytes ?? 0;
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
 * the same NOT_FOUND: guessing ids reveals nothing. `guard` runs once the
 * reader may see the file and before any byte is read (the download route
 * asks the policy there about a private file); a failure it answers is the answer.
 */
export async function openFile(
  deps: { fileRows: FileRows; files: FileStore },
  userId: string,
  fileId: string,
  guard: (file: FileSummary) => Promise<Failure | null> = async () => null,
): Promise<Result<{ file: FileSummary; bytes: Buffer }>> {
  const row = await deps.fileRows.findReadable(userId, fileId.slice(0, MAX_ID_LENGTH + 1));
  if (!row) return failure("NOT_FOUND");
  const { storageKey, ...file } = row;
  const refused = await guard(file);
  if (refused) return refused;
  const bytes = await deps.files.get(storageKey, file.sizeBytes);
  if (!bytes) {
    // The row outlived its bytes (a restored database, a wiped FILES_DIR).
    console.error(`files: stored bytes missing for file ${file.id}`);
    return failure("NOT_FOUND");
  }
  return success({ file, bytes });
}

/**
 * Marks one of the owner's files private or public again. Someone else's
 * file answers NOT_FOUND, like a missing one. Making a private file public
 * lets anyone with access read it without a proof, so it needs the proof a
 * private file's reader needs: `mayMakePublic` asks the policy for it (the
 * command passes requireAction for `file.view_private`).
 */
export async function setFilePrivate(
  deps: Pick<FileDeps, "db">,
  ownerId: string,
  fileId: string,
  makePrivate: boolean,
  mayMakePublic: () => Promise<Failure | null>,
): Promise<Result<{ fileId: string; private: boolean; changed: boolean }>> {
  const where = { id: fileId.slice(0, MAX_ID_LENGTH + 1), ownerId };
  const row = await deps.db.storedFile.findFirst({ where, select: { id: true, private: true } });
  if (!row) return failure("NOT_FOUND");
  if (row.private === makePrivate) return success({ fileId: row.id, private: makePrivate, changed: false });
  if (!makePrivate) {
    const refused = await mayMakePublic();
    if (refused) return refused;
  }
  // Conditional on the state just read, so two racing changes cannot both count as one.
  const updated = await deps.db.storedFile.updateMany({ where: { ...where, private: row.private }, data: { private: makePrivate } });
  return success({ fileId: row.id, private: makePrivate, changed: updated.count === 1 });
}

/** Ids are cuids; anything much longer is not one of ours. */
const MAX_ID_LENGTH = 64;
