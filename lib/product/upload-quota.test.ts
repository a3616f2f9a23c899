import { readdirSync, writeFileSync } from "node:fs";
import { open as openFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PROVIDERS, TEST_BASE_URL } from "../auth/testing/harness";
import { messagesByLocale } from "../i18n/messages";
import { directoryFileStore, type WritableFileHandle } from "./file-store";
import { MAX_STORED_BYTES_PER_USER, MAX_STORED_MEGABYTES_PER_USER, MAX_UPLOAD_BYTES } from "./file-rules";
import { UPLOADS_PER_USER_PER_HOUR } from "./product-limits";
import { handleUpload } from "./upload-http";
import {
  HTTP_OPTIONS,
  browserHeaders,
  createProductHarness,
  signedInUser,
  uploadRequest,
  type ProductHarness,
  type TestUser,
} from "./testing/product-harness";

/**
 * Uploads write to the server's disk, and anyone can create an account:
 * each account may upload 30 times an hour and keep 100 MB, parallel
 * uploads cannot pass the quota, and a failing disk leaves nothing behind.
 */
const HOUR_SECONDS = 60 * 60;
const MIB = 1024 * 1024;

interface Envelope {
  ok: boolean;
  data: { file: { id: string; sizeBytes: number } } | null;
  error: { code: string; message: string } | null;
}

describe.each(PROVIDERS)("upload quota and rate limit on %s", (provider) => {
  let h: ProductHarness;
  let owner: TestUser;

  beforeEach(async () => {
    h = await createProductHarness(provider);
    owner = await signedInUser(h, "owner@example.com");
  });
  afterEach(async () => {
    vi.useRealTimers();
    await h.close();
  });

  async function upload(bytes: Uint8Array | string, deps = h.http) {
    const response = await handleUpload(deps, uploadRequest(owner, { name: "data.txt", bytes }), HTTP_OPTIONS);
    return { response, body: (await response.json()) as Envelope };
  }

  /** What the owner already stores, as rows only: the quota counts rows, so no bytes are needed for them. */
  async function alreadyStored(sizeBytes: number) {
    await h.db.storedFile.create({
      data: { ownerId: owner.id, name: "old.txt", storageKey: "f".repeat(32), contentType: "text/plain", sizeBytes, createdAt: h.clock.now() },
    });
  }

  const entries = () => readdirSync(h.filesDir);

  it(`refuses an upload after ${UPLOADS_PER_USER_PER_HOUR} in an hour with 429 and Retry-After, and an hour later accepts it`, async () => {
    // The limiter times its window with Date.now(): moved with the harness clock.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(h.clock.now());
    for (let n = 0; n < UPLOADS_PER_USER_PER_HOUR; n += 1) {
      expect((await upload(`file ${n}`)).response.status, `upload ${n + 1}`).toBe(200);
    }
    const { response, body } = await upload("one too many");
    expect(response.status).toBe(429);
    expect(body.error?.code).toBe("RATE_LIMITED");
    const retryAfter = Number(response.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(HOUR_SECONDS);
    expect(await h.db.storedFile.count()).toBe(UPLOADS_PER_USER_PER_HOUR);

    // A form navigation is sent back to the files page with the wait.
    const page = await handleUpload(h.http, uploadRequest(owner, { name: "a.txt", bytes: "a" }, { accept: "text/html" }), HTTP_OPTIONS);
    expect(page.headers.get("location")).toMatch(/^\/en\/files\?error=RATE_LIMITED&retry=\d+$/);

    h.clock.advanceSeconds(HOUR_SECONDS);
    vi.setSystemTime(h.clock.now());
    expect((await upload("next hour")).response.status).toBe(200);
  });

  it(`refuses to store past ${MAX_STORED_MEGABYTES_PER_USER} MB with QUOTA_EXCEEDED (413), counting the real sizes`, async () => {
    await alreadyStored(MAX_STORED_BYTES_PER_USER - MAX_UPLOAD_BYTES - 1);
    // A full-size upload fits with one byte to spare; then that byte fits; then nothing does.
    expect((await upload(new Uint8Array(MAX_UPLOAD_BYTES).fill(0x61))).response.status).toBe(200);
    expect((await upload("a")).response.status).toBe(200);
    const { response, body } = await upload("b");
    expect(response.status).toBe(413);
    expect(body.error?.code).toBe("QUOTA_EXCEEDED");
    // The message spells the quota out; it must say what the constant says.
    expect(body.error?.message).toBe(messagesByLocale.en.errors.QUOTA_EXCEEDED);
    expect(body.error?.message).toContain(`${MAX_STORED_MEGABYTES_PER_USER} MB`);

    const rows = await h.db.storedFile.aggregate({ where: { ownerId: owner.id }, _sum: { sizeBytes: true } });
    expect(rows._sum.sizeBytes).toBe(MAX_STORED_BYTES_PER_USER);
    expect(entries()).toHaveLength(2);
    // Another account's quota is its own.
    const other = await signedInUser(h, "other@example.com");
    const theirs = await handleUpload(h.http, uploadRequest(other, { name: "x.txt", bytes: "x" }), HTTP_OPTIONS);
    expect(theirs.status).toBe(200);
  });

  it("refuses an upload that would pass the quota only by its last bytes, and keeps none of them", async () => {
    await alreadyStored(MAX_STORED_BYTES_PER_USER - MIB);
    const { response, body } = await upload(new Uint8Array(MIB + 1).fill(0x61));
    expect(response.status).toBe(413);
    expect(body.error?.code).toBe("QUOTA_EXCEEDED");
    expect(entries()).toEqual([]);
    expect(await h.db.storedFile.count()).toBe(1);
  });

  it("lets parallel uploads pass the quota by not even one file", async () => {
    // Room for two and a half of these; five race for it.
    await alreadyStored(MAX_STORED_BYTES_PER_USER - 2.5 * MIB);
    const results = await Promise.all(Array.from({ length: 5 }, () => upload(new Uint8Array(MIB).fill(0x61))));
    const statuses = results.map(({ response }) => response.status).sort();
    expect(statuses).toEqual([200, 200, 413, 413, 413]);
    const used = await h.db.storedFile.aggregate({ where: { ownerId: owner.id }, _sum: { sizeBytes: true } });
    expect(used._sum.sizeBytes).toBeLessThanOrEqual(MAX_STORED_BYTES_PER_USER);
    expect(entries()).toHaveLength(2);
  });

  it("answers a full disk with 503 and leaves no temporary file and no row", async () => {
    // Running as root, a read-only directory would not stop the write: the
    // store is given a file whose writes fail as a full disk's do, after the
    // temporary file really exists in FILES_DIR.
    const createFile = async (filePath: string): Promise<WritableFileHandle> => {
      const handle = await openFile(filePath, "wx", 0o600);
      return {
        write: async () => {
          throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
        },
        datasync: () => handle.datasync(),
        close: () => handle.close(),
      };
    };
    const files = directoryFileStore(h.filesDir, { createFile });
    const { response, body } = await upload("this will not fit", { ...h.http, files });
    expect(response.status).toBe(503);
    expect(body.error?.code).toBe("SERVICE_UNAVAILABLE");
    expect(entries()).toEqual([]);
    expect(await h.db.storedFile.count()).toBe(0);
  });

  it("answers 503 when FILES_DIR cannot be created, and writes no row", async () => {
    const notADirectory = path.join(h.filesDir, "plain-file");
    writeFileSync(notADirectory, "");
    const files = directoryFileStore(path.join(notADirectory, "uploads"));
    const { response } = await upload("nowhere to go", { ...h.http, files });
    expect(response.status).toBe(503);
    expect(entries()).toEqual(["plain-file"]);
    expect(await h.db.storedFile.count()).toBe(0);
  });

  it("leaves no temporary file after a body cut short, a refused type or an oversized file", async () => {
    const boundary = "cut-short";
    const truncated = new Request(`${TEST_BASE_URL}/api/files?locale=en`, {
      method: "POST",
      body: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhalf of a fi`,
      headers: browserHeaders(owner, { "content-type": `multipart/form-data; boundary=${boundary}` }),
    });
    expect((await handleUpload(h.http, truncated, HTTP_OPTIONS)).status).toBe(400);
    expect((await upload(new Uint8Array([0x4d, 0x5a, 0x90, 0]))).response.status).toBe(415);
    expect((await upload(new Uint8Array(MAX_UPLOAD_BYTES + 1).fill(0x61))).response.status).toBe(413);
    expect(entries()).toEqual([]);
    expect(await h.db.storedFile.count()).toBe(0);
  });
});

