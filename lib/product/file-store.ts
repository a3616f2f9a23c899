import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Where uploaded bytes live: one file per upload in a single directory
 * (FILES_DIR), named by a random storage key. The key is the only thing that
 * ever becomes part of a path, and it is checked to be ours on every call,
 * so even a tampered database row cannot point outside the directory.
 */
export interface FileStore {
  /** Writes new bytes under a fresh key and returns it. Never overwrites. */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes, or null when the key names nothing (deleted, or never written). */
  get(key: string): Promise<Buffer | null>;
  remove(key: string): Promise<void>;
}

/** 128 random bits as hex: unguessable, and safe on case-insensitive file systems. */
const STORAGE_KEY_BYTES = 16;
const STORAGE_KEY = /^[0-9a-f]{32}$/;

export function isStorageKey(value: string): boolean {
  return STORAGE_KEY.test(value);
}

export function directoryFileStore(directory: string): FileStore {
  const root = path.resolve(directory);

  function pathOf(key: string): string {
    if (!isStorageKey(key)) throw new Error("not a storage key");
    return path.join(root, key);
  }

  return {
    async put(bytes) {
      // Owner-only: uploads are private to whoever may download them.
      await mkdir(root, { recursive: true, mode: 0o700 });
      const key = randomBytes(STORAGE_KEY_BYTES).toString("hex");
      const target = pathOf(key);
      // Written beside the target and renamed into place, so a reader never
      // sees half a file; `wx` refuses to reuse a name that exists.
      const partial = `${target}.partial`;
      await writeFile(partial, bytes, { flag: "wx", mode: 0o600 });
      await rename(partial, target);
      return key;
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
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
