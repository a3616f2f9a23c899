import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditDetails, PROVIDERS, TEST_BASE_URL } from "../auth/testing/harness";
import { handleExport } from "./export-http";
import { uploadFile } from "./files";
import { givePasskey, grantStepUp, secondSession } from "./payout/step-up-test-support";
import { readZip } from "./testing/read-zip";
import { HTTP_OPTIONS, browserHeaders, createProductHarness, signedInUser, type ProductHarness, type TestUser } from "./testing/product-harness";

const EXPORT = "file.export";
const TWELVE_HOURS = 12 * 60 * 60;
const EXPORT_URL = `${TEST_BASE_URL}/api/files/export`;

interface Envelope {
  ok: boolean;
  error: { code: string; message: string; details?: Record<string, unknown> } | null;
}

describe.each(PROVIDERS)("export all my files on %s", (provider) => {
  let h: ProductHarness;
  let owner: TestUser;
  beforeEach(async () => {
    h = await createProductHarness(provider);
    owner = await signedInUser(h, "owner@example.com");
    await givePasskey(h, owner);
  });
  afterEach(async () => {
    await h.close();
  });

  async function upload(user: TestUser, name: string, contents: string): Promise<string> {
    const uploaded = await uploadFile(h.http, user.id, { name, body: [new TextEncoder().encode(contents)] });
    if (!uploaded.ok) throw new Error(uploaded.code);
    // One second apart, so "oldest first" is the upload order on every database.
    h.clock.advanceSeconds(1);
    return uploaded.value.id;
  }

  const exportAs = (user: TestUser | null, headers: Record<string, string> = {}) =>
    handleExport(h.http, new Request(EXPORT_URL, { headers: browserHeaders(user, headers) }), HTTP_OPTIONS);

  async function expectStepUpRequired(response: Response) {
    expect(response.status).toBe(403);
    const body = (await response.json()) as Envelope;
    expect(body.error?.code).toBe("STEP_UP_REQUIRED");
    return body;
  }

  it("answers 403 STEP_UP_REQUIRED without a grant, with what would satisfy it, and audits it", async () => {
    await upload(owner, "notes.txt", "secret notes");
    const refused = await exportAs(owner);
    expect(refused.headers.get("cache-control")).toContain("no-store");
    const body = await expectStepUpRequired(refused);
    // The methods the policy accepts that this account has: a passkey (no authenticator app).
    expect(body.error?.details).toMatchObject({ action: EXPORT, methods: ["passkey"], maxAgeSeconds: TWELVE_HOURS });
    expect(JSON.stringify(body)).not.toContain("secret notes");

    await h.deps.audit.flush();
    const event = await h.db.authEvent.findFirstOrThrow({ where: { command: "PRODUCT.FILE.EXPORT", userId: owner.id } });
    expect(event).toMatchObject({ outcome: "refused", errorCode: "STEP_UP_REQUIRED" });
    expect(event.details).toContain(EXPORT);
  });

  it("sends a browser navigation to the step-up page, which brings it back to the export", async () => {
    const redirected = await exportAs(owner, { "sec-fetch-mode": "navigate", "accept-language": "ar" });
    expect(redirected.status).toBe(303);
    const location = new URL(redirected.headers.get("location") ?? "", TEST_BASE_URL);
    expect(location.pathname).toBe("/ar/step-up");
    expect(location.searchParams.get("action")).toBe(EXPORT);
    expect(location.searchParams.get("returnTo")).toBe("/api/files/export");
  });

  it("is not opened by a grant for another action, from another session, or past its expiry", async () => {
    await grantStepUp(h, owner, "file.view_private", { seconds: TWELVE_HOURS });
    await expectStepUpRequired(await exportAs(owner));

    await grantStepUp(h, owner, EXPORT, { sessionId: (await secondSession(h, owner)).id, seconds: TWELVE_HOURS });
    await expectStepUpRequired(await exportAs(owner));

    await grantStepUp(h, owner, EXPORT, { seconds: TWELVE_HOURS });
    expect((await exportAs(owner)).status).toBe(200);
    h.clock.advanceSeconds(TWELVE_HOURS + 1);
    await expectStepUpRequired(await exportAs(owner));
  });

  it("refuses a cross-site request even with a valid grant, and never redirects it", async () => {
    await grantStepUp(h, owner, EXPORT, { seconds: TWELVE_HOURS });
    const forged: Record<string, string>[] = [
      { origin: "http://evil.test", "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate" },
      { "sec-fetch-site": "same-site", "sec-fetch-mode": "navigate" },
      { origin: "http://localhost:3000.evil.test", "sec-fetch-site": "same-origin" },
    ];
    for (const headers of forged) {
      const request = new Request(EXPORT_URL, { headers: browserHeaders(owner, headers) });
      if (!("origin" in headers)) request.headers.delete("origin");
      const refused = await handleExport(h.http, request, HTTP_OPTIONS);
      expect(refused.status, JSON.stringify(headers)).toBe(403);
      expect(refused.headers.get("content-type")).not.toContain("zip");
    }
    // An old browser that sends no Sec-Fetch-Site: a foreign Origin, or "null", is still refused.
    for (const origin of ["http://evil.test", "null"]) {
      const request = new Request(EXPORT_URL, { headers: browserHeaders(owner, { origin }) });
      request.headers.delete("sec-fetch-site");
      expect((await handleExport(h.http, request, HTTP_OPTIONS)).status, origin).toBe(403);
    }
    await h.deps.audit.flush();
    const refusals = await h.db.authEvent.count({ where: { command: "PRODUCT.FILE.EXPORT", errorCode: "ORIGIN_REJECTED" } });
    expect(refusals).toBe(6);
  });

  it("streams every own file back, names made unique and safe, and no one else's", async () => {
    const stranger = await signedInUser(h, "stranger@example.com");
    await upload(stranger, "theirs.txt", "not yours");
    const files: [string, string][] = [
      ["notes.txt", "first notes\n"],
      ["notes.txt", "second notes\n"],
      ["NOTES.TXT", "shouting notes\n"],
      ["../../etc/passwd.txt", "not a path\n"],
      ["table.csv", "a,b\n1,2\n"],
    ];
    const ids = [];
    for (const [name, contents] of files) ids.push(await upload(owner, name, contents));
    await owner.run("PRODUCT.FILE.SET_PRIVATE", { fileId: ids[4], private: true });
    // A row tampered with after the upload still cannot name a path in the zip.
    await h.db.storedFile.update({ where: { id: ids[3] }, data: { name: "../../../tmp/evil.txt" } });

    await grantStepUp(h, owner, EXPORT, { seconds: TWELVE_HOURS });
    const response = await exportAs(owner, { "sec-fetch-mode": "navigate", "sec-fetch-site": "none" });
    expect(response.status).toBe(200);
    const day = h.clock.now().toISOString().slice(0, 10);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="trustladder-files-${day}.zip"; filename*=UTF-8''trustladder-files-${day}.zip`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    });

    const entries = await readZip(Buffer.from(await response.arrayBuffer()));
    expect(entries.map((entry) => [entry.name, entry.bytes.toString("utf8")])).toEqual([
      ["notes.txt", "first notes\n"],
      ["notes (2).txt", "second notes\n"],
      ["NOTES (3).TXT", "shouting notes\n"],
      ["evil.txt", "not a path\n"],
      ["table.csv", "a,b\n1,2\n"],
    ]);

    await h.deps.audit.flush();
    const event = await h.db.authEvent.findFirstOrThrow({ where: { command: "PRODUCT.FILE.EXPORT", outcome: "ok" } });
    expect(event).toMatchObject({ userId: owner.id, errorCode: null });
    expect(auditDetails(event)).toMatchObject({ fileCount: 5 });
  });

  it("gives an account without files a valid, empty zip", async () => {
    await grantStepUp(h, owner, EXPORT, { seconds: TWELVE_HOURS });
    const response = await exportAs(owner);
    expect(response.status).toBe(200);
    expect(await readZip(Buffer.from(await response.arrayBuffer()))).toEqual([]);
  });

  it("reads the files as streams, one open at a time, and leaves out a file whose bytes are gone", async () => {
    for (const index of [1, 2, 3]) await upload(owner, `part-${index}.txt`, `part ${index}\n`);
    const gone = await h.db.storedFile.findFirstOrThrow({ where: { name: "part-2.txt" } });
    await h.files.remove(gone.storageKey);

    let open = 0;
    let mostOpen = 0;
    const watched = {
      ...h.http,
      files: {
        ...h.files,
        get: () => Promise.reject(new Error("the export must not read whole files")),
        async stream(key: string) {
          const stream = await h.files.stream(key);
          if (!stream) return null;
          open += 1;
          mostOpen = Math.max(mostOpen, open);
          stream.once("close", () => (open -= 1));
          return stream;
        },
      },
    };
    await grantStepUp(h, owner, EXPORT, { seconds: TWELVE_HOURS });
    const response = await handleExport(watched, new Request(EXPORT_URL, { headers: browserHeaders(owner) }), HTTP_OPTIONS);
    const entries = await readZip(Buffer.from(await response.arrayBuffer()));
    expect(entries.map((entry) => entry.name)).toEqual(["part-1.txt", "part-3.txt"]);
    expect(mostOpen).toBe(1);
    expect(open).toBe(0);
  });

  it("closes the open file when the client goes away mid-export", async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(4 * 1024 * 1024)]);
    const uploaded = await uploadFile(h.http, owner.id, { name: "large.png", body: [png] });
    if (!uploaded.ok) throw new Error(uploaded.code);
    const closed: string[] = [];
    const watched = {
      ...h.http,
      files: {
        ...h.files,
        async stream(key: string) {
          const stream = await h.files.stream(key);
          stream?.once("close", () => closed.push(key));
          return stream;
        },
      },
    };
    await grantStepUp(h, owner, EXPORT, { seconds: TWELVE_HOURS });
    const response = await handleExport(watched, new Request(EXPORT_URL, { headers: browserHeaders(owner) }), HTTP_OPTIONS);
    const reader = response.body?.getReader();
    expect((await reader?.read())?.done).toBe(false);
    await reader?.cancel();
    await expect.poll(() => closed.length).toBe(1);
  });

  it("tells an account without a passkey or app why not: ACTION_DENIED, or the step-up page that explains it", async () => {
    const newcomer = await signedInUser(h, "newcomer@example.com");
    const refused = await exportAs(newcomer);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Envelope).error).toMatchObject({ code: "ACTION_DENIED", details: { action: EXPORT } });
    const page = await exportAs(newcomer, { "sec-fetch-mode": "navigate" });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toContain("/step-up?action=file.export");
  });

  it("sends a signed-out browser to sign-in", async () => {
    const response = await exportAs(null);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toMatch(/^\/[a-z]{2}\/sign-in\?callbackUrl=/);
  });
});
