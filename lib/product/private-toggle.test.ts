import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { executeCommand } from "../auth/core/execute";
import { unchecked } from "../auth/core/registry";
import { PROVIDERS, TEST_BASE_URL, commandContext, requestContext } from "../auth/testing/harness";
import { uploadFile } from "./files";
import { givePasskey, grantStepUp, secondSession } from "./payout/step-up-test-support";
import { createProductHarness, dataOf, signedInUser, type ProductHarness, type TestUser } from "./testing/product-harness";

/**
 * PRODUCT.FILE.SET_PRIVATE's hostile cases, beside private-files.test.ts:
 * the proof that makes a file public again must be this session's, for
 * this action, still fresh; a forged cross-site call changes nothing.
 */

const VIEW_PRIVATE = "file.view_private";
const TWELVE_HOURS = 12 * 60 * 60;

describe.each(PROVIDERS)("making a file private or not on %s", (provider) => {
  let h: ProductHarness;
  let owner: TestUser;
  let fileId: string;
  beforeEach(async () => {
    h = await createProductHarness(provider);
    owner = await signedInUser(h, "owner@example.com");
    await givePasskey(h, owner);
    const uploaded = await uploadFile(h.http, owner.id, { name: "diary.txt", body: [new TextEncoder().encode("dear diary\n")] });
    if (!uploaded.ok) throw new Error(uploaded.code);
    fileId = uploaded.value.id;
    dataOf(await owner.run("PRODUCT.FILE.SET_PRIVATE", { fileId, private: true }));
  });
  afterEach(async () => {
    await h.close();
  });

  const isPrivate = async () => (await h.db.storedFile.findUniqueOrThrow({ where: { id: fileId } })).private;
  const makePublic = () => owner.run("PRODUCT.FILE.SET_PRIVATE", { fileId, private: false });

  it("marking it private again changes nothing and asks for nothing", async () => {
    expect(dataOf(await owner.run("PRODUCT.FILE.SET_PRIVATE", { fileId, private: true }))).toEqual({ fileId, private: true });
    expect(await isPrivate()).toBe(true);
  });

  it("a grant from another session of the same person does not make it public", async () => {
    await grantStepUp(h, owner, VIEW_PRIVATE, { sessionId: (await secondSession(h, owner)).id, seconds: TWELVE_HOURS });
    expect((await makePublic()).envelope.error?.code).toBe("STEP_UP_REQUIRED");
    expect(await isPrivate()).toBe(true);
  });

  it("a grant for another action does not make it public", async () => {
    await grantStepUp(h, owner, "file.export", { seconds: TWELVE_HOURS });
    expect((await makePublic()).envelope.error?.code).toBe("STEP_UP_REQUIRED");
    expect(await isPrivate()).toBe(true);
  });

  it("an expired grant does not make it public", async () => {
    await grantStepUp(h, owner, VIEW_PRIVATE, { seconds: TWELVE_HOURS });
    h.clock.advanceSeconds(TWELVE_HOURS + 1);
    expect((await makePublic()).envelope.error?.code).toBe("STEP_UP_REQUIRED");
    expect(await isPrivate()).toBe(true);
  });

  it("another person's grant is no key to this file: NOT_FOUND, nothing changes", async () => {
    const stranger = await signedInUser(h, "stranger@example.com");
    await givePasskey(h, stranger);
    await grantStepUp(h, stranger, VIEW_PRIVATE, { seconds: TWELVE_HOURS });
    const refused = await stranger.run("PRODUCT.FILE.SET_PRIVATE", { fileId, private: false });
    expect(refused.envelope.error?.code).toBe("NOT_FOUND");
    expect(await isPrivate()).toBe(true);
  });

  it("refuses a cross-site call riding on the cookie, even with a valid grant", async () => {
    await grantStepUp(h, owner, VIEW_PRIVATE, { seconds: TWELVE_HOURS });
    for (const request of [
      requestContext({ origin: "http://evil.test", fetchSite: "cross-site" }),
      requestContext({ origin: "null", fetchSite: null }),
      requestContext({ origin: null, fetchSite: null }),
    ]) {
      const forged = await executeCommand(h.deps, "PRODUCT.FILE.SET_PRIVATE", { fileId, private: false }, commandContext({
        channel: "browser",
        request,
        sessionToken: owner.token,
        sessionFromCookie: true,
      }));
      expect(forged.envelope.error?.code, String(request.origin)).toBe("ORIGIN_REJECTED");
    }
    expect(await isPrivate()).toBe(true);
    // The same call from our own page goes through.
    const own = commandContext({ channel: "browser", request: requestContext({ origin: TEST_BASE_URL }), sessionToken: owner.token, sessionFromCookie: true });
    expect(dataOf(await executeCommand(h.deps, "PRODUCT.FILE.SET_PRIVATE", { fileId, private: false }, own))).toEqual({ fileId, private: false });
  });

  it("takes only a boolean and the file's id", async () => {
    const run = (params: unknown) => executeCommand(h.deps, "PRODUCT.FILE.SET_PRIVATE", unchecked(params), commandContext({
      channel: "browser",
      request: requestContext(),
      sessionToken: owner.token,
      sessionFromCookie: true,
    }));
    for (const params of [{ fileId, private: "false" }, { fileId, private: false, ownerId: "someone" }, { fileId: "x".repeat(65), private: false }]) {
      expect((await run(params)).envelope.error?.code, JSON.stringify(params).slice(0, 60)).toBe("VALIDATION_FAILED");
    }
    expect(await isPrivate()).toBe(true);
  });
});
