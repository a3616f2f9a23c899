import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROVIDERS, createHarness, type Harness } from "../auth/testing/harness";
import { fileRowsFor, type FileRows } from "./file-rows";
import type { AccessStatus } from "./access-requests";

/**
 * Both implementations of FileRows, on both databases, give the same
 * answers: the hot path's SQL (AUTH_STORE=sql) and the Prisma reference.
 * The rows are written through Prisma, so a column the SQL reads in
 * another format than Prisma writes it fails here.
 */
describe.each(PROVIDERS)("file rows on %s", (provider) => {
  let h: Harness;
  let ownerId: string;
  let fileId: string;
  beforeEach(async () => {
    h = await createHarness(provider);
    ownerId = (await h.db.user.create({ data: { email: "owner@example.com" } })).id;
    const file = await h.db.storedFile.create({
      data: {
        ownerId,
        name: "contract.txt",
        storageKey: "0123456789abcdef0123456789abcdef",
        contentType: "text/plain",
        sizeBytes: 7,
        private: true,
        createdAt: new Date("2026-12-01T10:00:00.123Z"),
      },
    });
    fileId = file.id;
  });
  afterEach(async () => {
    await h.close();
  });

  async function requester(email: string, status: AccessStatus | null): Promise<string> {
    const user = await h.db.user.create({ data: { email } });
    if (status) await h.db.accessRequest.create({ data: { fileId, requesterId: user.id, status } });
    return user.id;
  }

  describe.each(["sql", "prisma"] as const)("%s", (kind) => {
    let rows: FileRows;
    beforeEach(() => {
      rows = fileRowsFor(h.db, kind);
    });

    it("answers the owner with the whole row", async () => {
      expect(await rows.findReadable(ownerId, fileId)).toEqual({
        id: fileId,
        name: "contract.txt",
        contentType: "text/plain",
        sizeBytes: 7,
        createdAt: new Date("2026-12-01T10:00:00.123Z"),
        private: true,
        storageKey: "0123456789abcdef0123456789abcdef",
      });
    });

    it("answers a requester the owner approved", async () => {
      const approved = await requester("approved@example.com", "approved");
      expect(await rows.findReadable(approved, fileId)).toMatchObject({ id: fileId, private: true });
    });

    it("answers null to a pending or declined requester, a stranger, and for an id that does not exist", async () => {
      const pending = await requester("pending@example.com", "pending");
      const declined = await requester("declined@example.com", "declined");
      const stranger = await requester("stranger@example.com", null);
      for (const userId of [pending, declined, stranger]) expect(await rows.findReadable(userId, fileId)).toBeNull();
      expect(await rows.findReadable(ownerId, "does-not-exist")).toBeNull();
    });

    it("reads a public file as not private", async () => {
      await h.db.storedFile.update({ where: { id: fileId }, data: { private: false } });
      expect(await rows.findReadable(ownerId, fileId)).toMatchObject({ private: false });
    });
  });
});
