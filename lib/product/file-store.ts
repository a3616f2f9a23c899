import { randomBytes } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";

/**
 * Where uploaded bytes live: one file per upload in a single directory
 * (FILES_DIR), named by a random storage key. The key is the only thing that
 * ever becomes part of a path, and it is checked to be ours on every call,
 * so even a tampered database row cannot point outside the directory.
 *
 * New bytes are streamed into a temporary file beside their final name
 * (`<key>.partial`), never held whole in memory, and renamed into place only
 * once complete and accepted (lib/product/files.ts does that inside the
 * transaction that writes the file's row). A reader never sees half a file,
 * and a failed write leaves nothing behind.
 */
export interface FileStore {
  /** Opens a temporary file for new bytes under a fresh key. */
  create(): Promise<PendingFile>;
  /**
   * The bytes, or null when the key names nothing (deleted, or never written).
   * `sizeBytes`, the size its row records, lets a small file be read at once
   * (SMALL_FILE_BYTES says why); without it, or when the file is larger, the
   * read runs beside other requests.
   */
  get(key: string, sizeBytes?: number): Promise<Buffer | null>;
  /**
   * The bytes as a stream, for answers too large to hold (the zip export,
   * lib/product/file-export.ts); null when the key names nothing. The file is
   * opened before this resolves, so a missing one is known before any byte is sent.
   */
  stream(key: string): Promise<Readable | null>;
  remove(key: string): Promise<void>;
}

export interface PendingFile {
  /** The storage key the bytes get once committed. */
  readonly key: string;
  write(chunk: Uint8Array): Promise<void>;
  /** Flushes the bytes to disk and closes the temporary file. */
  finish(): Promise<void>;
  /** Renames the finished file into place under `key`. */
  commit(): Promise<void>;
  /** Deletes whatever was written, temporary or committed. Never throws. */
  discard(): Promise<void>;
}

/**
 * The disk failed us: full (ENOSPC), out of quota, read-only, gone or
 * failing. Callers answer 503 (ASVS 16.5.2); the message is the error code
 * only, never a path.
 */
export class FileStoreError extends Error {
  constructor(readonly code: string) {
    super(`file store: ${code}`);
    this.name = "FileStoreError";
  }
}

/** The part of a file handle the store writes through (node's FileHandle has it). */
export interface WritableFileHandle {
  write(buffer: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  datasync(): Promise<void>;
  close(): Promise<void>;
}

export interface DirectoryFileStoreOptions {
  /**
   * Creates the temporary file (it must not exist yet). Default: node's
   * `open(path, "wx", 0o600)`. Tests pass one whose writes fail, as a full
   * disk's do (running as root, a read-only directory would not stop them).
   */
  createFile?: (filePath: string) => Promise<WritableFileHandle>;
}

/**
 * Files up to this size are read synchronously. An asynchronous read is an
 * open, a stat, a read and a close, each a round trip through the thread
 * pool with its promise: 60-100 µs of the server's CPU for a 2 KiB file,
 * where a synchronous read of the same bytes from the page cache takes
 * under 10 µs. Larger files keep the asynchronous read, so that a 10 MB
 * download never holds up every other request while the disk answers.
 */
export const SMALL_FILE_BYTES = 64 * 1024;

/** 128 random bits as hex: unguessable, and safe on case-insensitive file systems. */
const STORAGE_KEY_BYTES = 16;
const STORAGE_KEY = /^[0-9a-f]{32}$/;
const PARTIAL_SUFFIX = ".partial";

export function isStorageKey(value: string): boolean {
  return STORAGE_KEY.test(value);
}

// `wx` refuses to reuse a name that exists; owner-only, as uploads are private.
const createExclusive = (filePath: string): Promise<WritableFileHandle> => open(filePath, "wx", 0o600);

export function directoryFileStore(directory: string, options: DirectoryFileStoreOptions = {}): FileStore {
  const root = path.resolve(directory);
  const createFile = options.createFile ?? createExclusive;

  function pathOf(key: string): string {
    if (!isStorageKey(key)) throw new Error("not a storage key");
    return path.join(root, key);
  }

  return {
    async create() {
      const key = randomBytes(STORAGE_KEY_BYTES).toString("hex");
      const target = pathOf(key);
      const partial = `${target}${PARTIAL_SUFFIX}`;
      const handle = await storeIo(async () => {
        await mkdir(root, { recursive: true, mode: 0o700 });
        return createFile(partial);
      });
      let isOpen = true;
      const close = async () => {
        if (!isOpen) return;
        isOpen = false;
        await handle.close();
      };
      return {
        key,
        write: (chunk) =>
          storeIo(async () => {
            for (let offset = 0; offset < chunk.byteLength; ) {
              offset += (await handle.write(chunk, offset, chunk.byteLength - offset)).bytesWritten;
            }
          }),
        // Synced before the rename, so a crash cannot leave an empty file under a committed key.
        finish: () =>
          storeIo(async () => {
            await handle.datasync();
            await close();
          }),
        commit: () => storeIo(() => rename(partial, target)),
        async discard() {
          await close().catch(() => undefined);
          await Promise.all([rm(partial, { force: true }), rm(target, { force: true })]).catch(() => undefined);
        },
      };
    },
    async get(key, sizeBytes) {
      try {
        const filePath = pathOf(key);
        const small = sizeBytes !== undefined && sizeBytes <= SMALL_FILE_BYTES ? readAtOnce(filePath, sizeBytes) : null;
        return small ?? (await readFile(filePath));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
    async stream(key) {
      try {
        // The handle's stream closes it when done or destroyed (autoClose).
        return (await open(pathOf(key), "r")).createReadStream();
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}

/**
 * A small file's bytes in one synchronous read of at most one byte more than
 * its row records, or null when the file on disk is larger than that (only
 * possible if someone edited FILES_DIR): such a file goes to the
 * asynchronous read, so a synchronous read stays within SMALL_FILE_BYTES
 * and one byte, whatever the disk holds. A read of a regular
 * file returns fewer bytes than asked only at its end, so one read is enough
 * (and, unlike readFileSync, no stat is needed to learn the size).
 */
function readAtOnce(filePath: string, sizeBytes: number): Buffer | null {
  const descriptor = openSync(filePath, "r");
  try {
    // Zeroed and of its own: allocUnsafe would hand out a slice of Node's
    // shared pool, whose ArrayBuffer (bytes.buffer) holds other requests' data.
    const buffer = Buffer.alloc(sizeBytes + 1);
    const length = readSync(descriptor, buffer, 0, buffer.byteLength, 0);
    return length <= sizeBytes ? buffer.subarray(0, length) : null;
  } finally {
    closeSync(descriptor);
  }
}

/** Runs a disk operation; any failure of the disk becomes a FileStoreError. */
async function storeIo<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    throw new FileStoreError(typeof code === "string" ? code : "EIO");
  }
}
