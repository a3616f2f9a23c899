import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { handleDownload } from "./download-http";
import { listFiles, uploadFile } from "./files";
import { givePasskey, grantStepUp, secondSession } from "./payout/step-up-test-support";
import { PROVIDERS, TEST_BASE_URL } from "../auth/testing/harness";
import {
  HTTP_OPTIONS,
  browserHeaders,
  createProductHarness,
  dataOf,
  downloadRequest,
  signedInUser,
  type ProductHarness,
  type TestUser,
} from "./testing/product-harness";

const VIEW_PRIVATE = "file.view_private";
const TWELVE_HOURS = 12 * 60 * 60;

describe.each(PROVIDERS)("private files on %s", (provider) => {
  let h: ProductHarness;
  let owner: TestUser;
  let stranger: TestUser;
  let fileId: string;
  beforeEach(async () => {
    h = await createProductHarness(provider);
    owner = await signedInUser(h, "owner@example.com");
    stranger = await signedInUser(h, "stranger@example.com");
    await givePasskey(h, owner);
    const uploaded = await uploadFile(h.http, owner.id, { name: "contract.txt", body: [new TextEncoder().encode("signed\n")] });
    if (!uploaded.ok) throw new Error(uploaded.code);
    fileId = uploaded.value.id;
  });
  afterEach(async () => {
    await h.close();
  });

  const download = (request: Request = downloadRequest(owner, fileId)) => handleDownload(h.http, request, fileId, HTTP_OPTIONS);
  const isPrivate = async () => (await h.db.storedFile.findUniqueOrThrow({ where: { id: fileId } })).private;

  it("lets the owner mark a file private, and lists it so", async () => {
    expect((await listFiles(h.db, owner.id))[0]).toMatchObject({ id: fileId, private: false });
    expect(dataOf(await owner.run("PRODUCT.FILE.SET_PRIVATE", { fileId, private: true }))).toEqual({ fileId, private: true });
    expect((await listFiles(h.db, owner.id))[0]).toMatchObject({ id: fileId, private: true });
  });

  it("answers another account NOT_FOUND, as for a file that does not exist, and changes nothing", async () => {
    const theirs = await stranger.run("PRODUCT.FILE.SET_PRIVATE", { fileId, private: true });
    const missing = await stranger.run("PRODUCT.FILE.SET_PRIVATE", { fileId: "does-not-exist", private: true });
    expect([theirs.status, theirs.envelope.error?.code]).toEqual([404, "NOT_FOUND"]);
    expect(theirs.envelope.error).toEqual(missing.envelope.error);
    expect(await isPrivate()).toBe(false);
  });

  it("makes a private file public again only with the proof its reader would need", async () => {
    await owner.run("PRODUCT.FILE.SET_PRIVATE", { fileId, private: true });
    const refused = await owner.run("PRODUCT.FILE.SET_PRIVATE", { fileId, private: false });
    expect(refused.envelope.error).toMatchObject({ code: "STEP_UP_REQUIRED", details: { action: VIEW_PRIVATE } });
    expect(await isPrivate()).toBe(true);

    await grantStepUp(h, owner, VIEW_PRIVATE, { seconds: TWELVE_HOURS });
    expect(dataOf(await owner.run("PRODUCT.FILE.SET_PRIVATE", { fileId, private: false }))).toEqual({ fileId, private: false });
    expect(await isPrivate()).toBe(false);
  });

  it("downloads a public file without any proof", async () => {
    expect((await download()).status).toBe(200);
  });

  describe("once private", () => {
    beforeEach(async () => {
      await owner.run("PRODUCT.FILE.SET_PRIVATE", { fileId, private: true });
    });

    it("refuses the download without a grant: 403 with the code, no bytes, audited with the action", async () => {
      const refused = await download();
      expect(refused.status).toBe(403);
      const text = await refused.text();
      expect(text).not.toContain("signed");
      expect(text.length).toBeGreaterThan(0);

      await h.deps.audit.flush();
      const event = await h.db.authEvent.findFirstOrThrow({ where: { command: "PRODUCT.FILE.DOWNLOAD", userId: owner.id } });
      expect(event).toMatchObject({ outcome: "refused", errorCode: "STEP_UP_REQUIRED" });
      expect(event.details).toContain(VIEW_PRIVATE);
    });

    it("sends a browser navigation to the step-up page, which brings it back to this download", async () => {
      const request = new Request(downloadRequest(owner, fileId).url, {
        headers: browserHeaders(owner, { "sec-fetch-mode": "navigate", "accept-language": "es-ES,es;q=0.9" }),
      });
      const redirected = await download(request);
      expect(redirected.status).toBe(303);
      const location = new URL(redirected.headers.get("location") ?? "", TEST_BASE_URL);
      expect(location.pathname).toBe("/es/step-up");
      expect(location.searchParams.get("action")).toBe(VIEW_PRIVATE);
      expect(location.searchParams.get("returnTo")).toBe(`/api/files/${fileId}`);
    });

    it("downloads with a grant for file.view_private, and not with one for another action or session", async () => {
      await grantStepUp(h, owner, "payout.change", { seconds: TWELVE_HOURS });
      await grantStepUp(h, owner, VIEW_PRIVATE, { sessionId: (await secondSession(h, owner)).id, seconds: TWELVE_HOURS });
      expect((await download()).status).toBe(403);

      await grantStepUp(h, owner, VIEW_PRIVATE, { seconds: TWELVE_HOURS });
      const allowed = await download();
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toBe("signed\n");
    });

    it("still answers a stranger 404, not a step-up: the file's privacy is not revealed", async () => {
      const theirs = await download(downloadRequest(stranger, fileId));
      expect(theirs.status).toBe(404);
    });
  });
});
