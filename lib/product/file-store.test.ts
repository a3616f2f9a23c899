import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { directoryFileStore, SMALL_FILE_BYTES, type FileStore } from "./file-store";

describe("directory file store", () => {
  let directory: string;
  let store: FileStore;
  beforeEach(() => {
    directory = mkdtempSync(path.join(tmpdir(), "trustladder-file-store-"));
    store = directoryFileStore(directory);
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  async function stored(bytes: Buffer): Promise<string> {
    const pending = await store.create();
    await pending.write(bytes);
    await pending.finish();
    await pending.commit();
    return pending.key;
  }

  it("reads the same bytes back whether the file is small (read at once) or large, and nothing for a key that names nothing", async () => {
    for (const size of [0, 2048, SMALL_FILE_BYTES, SMALL_FILE_BYTES + 1, 3 * SMALL_FILE_BYTES]) {
      const bytes = Buffer.alloc(size, size % 251);
      const key = await stored(bytes);
      expect(await store.get(key, size)).toEqual(bytes);
      expect(await store.get(key)).toEqual(bytes);
      await store.remove(key);
      expect(await store.get(key, size)).toBeNull();
      expect(await store.get(key)).toBeNull();
    }
  });

  it("reads a file whole when the disk holds more or fewer bytes than its row records", async () => {
    const bytes = Buffer.alloc(SMALL_FILE_BYTES * 2, 7);
    const key = await stored(bytes);
    // Recorded as small, grown on disk: all of it, not the recorded length.
    expect(await store.get(key, 2048)).toEqual(bytes);
    expect(await store.get(key, SMALL_FILE_BYTES)).toEqual(bytes);
    // Recorded larger than it is: the bytes the disk has, nothing made up.
    const short = await stored(Buffer.from("four"));
    expect(await store.get(short, 2048)).toEqual(Buffer.from("four"));
  });

  it("returns a small file in memory of its own: nothing beside its bytes but zeros", async () => {
    // Leave other data in Node's shared buffer pool, where a pooled read would land beside it.
    Buffer.from("a secret left in the pool by someone else");
    const key = await stored(Buffer.from("public"));
    const read = await store.get(key, 6);
    if (!read) throw new Error("the file was not read");
    expect(read).toEqual(Buffer.from("public"));
    const backing = new Uint8Array(read.buffer);
    expect(backing.byteLength).toBeLessThanOrEqual(7);
    expect(backing.subarray(read.byteOffset + read.byteLength).every((byte) => byte === 0)).toBe(true);
  });

  it("refuses what is not a storage key, on either read", async () => {
    await expect(store.get("../etc/passwd", 10)).rejects.toThrow("not a storage key");
    await expect(store.get("../etc/passwd")).rejects.toThrow("not a storage key");
  });
});
