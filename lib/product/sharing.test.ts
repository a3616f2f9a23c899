import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROVIDERS, TEST_BASE_URL } from "../auth/testing/harness";
import { isolate } from "../i18n/isolate";
import { listIncomingRequests, listSharedWithMe } from "./access-requests";
import { handleDownload } from "./download-http";
import { uploadFile } from "./files";
import { HTTP_OPTIONS, createProductHarness, dataOf, downloadRequest, signedInUser, type ProductHarness, type TestUser } from "./testing/product-harness";

/**
 * The sharing journey across accounts: an owner sends a file to a saved
 * recipient (who is emailed), the recipient signs in with that address and
 * asks for access, and only the owner's approval lets them download it.
 */
describe.each(PROVIDERS)("sending files and access requests on %s", (provider) => {
  let h: ProductHarness;
  let owner: TestUser;
  let recipient: TestUser;
  let stranger: TestUser;
  let fileId: string;
  let recipientId: string;

  beforeEach(async () => {
    h = await createProductHarness(provider);
    owner = await signedInUser(h, "owner@example.com");
    recipient = await signedInUser(h, "ada@example.com", "es");
    stranger = await signedInUser(h, "stranger@example.com");
    const file = await uploadFile(h, owner.id, { name: "Q&A \"plan\".txt", body: [new TextEncoder().encode("top secret plan")] });
    if (!file.ok) throw new Error(file.code);
    fileId = file.value.id;
    const saved = await owner.run("PRODUCT.RECIPIENT.CREATE", { name: "Ada", email: "ada@example.com", country: "ES" });
    recipientId = dataOf(saved).recipient.id;
  });
  afterEach(async () => {
    await h.close();
  });

  async function send(params = { fileId, recipientId }, user = owner, locale: "en" | "es" | "ar" = "en") {
    return user.run("PRODUCT.FILE.SEND", params, locale);
  }

  async function download(user: TestUser) {
    return handleDownload(h.http, downloadRequest(user, fileId), fileId, HTTP_OPTIONS);
  }

  async function requestId(): Promise<string> {
    const requested = await recipient.run("PRODUCT.ACCESS.REQUEST", { fileId });
    expect(requested.status).toBe(200);
    return dataOf(requested).requestId;
  }

  it("queues an email in the recipient's own language saying who sent what, without the file", async () => {
    const sent = await send();
    expect(sent.status).toBe(200);
    // The answer does not tell which language the email went out in: that would say the address has an account.
    expect(Object.keys(dataOf(sent)).sort()).toEqual(["delivered", "transferId"]);

    const mail = await h.db.outboxMessage.findFirstOrThrow({ where: { to: "ada@example.com" } });
    expect(mail).toMatchObject({ template: "file-shared", locale: "es", status: "sent" });
    expect(mail.subject).toBe(`${isolate("owner@example.com")} te ha enviado un archivo`);
    expect(mail.text).toContain(`${TEST_BASE_URL}/es/requests`);
    // The sanitized name, as text (escaped in HTML); the bytes never travel.
    expect(mail.text).toContain("Q&A _plan_.txt");
    expect(mail.html).toContain("Q&amp;A _plan_.txt");
    expect(mail.html + mail.text).not.toContain("top secret plan");

    await h.deps.audit.flush();
    const event = await h.db.authEvent.findFirstOrThrow({ where: { command: "PRODUCT.FILE.SEND" } });
    expect(event).toMatchObject({ outcome: "ok", userId: owner.id });
  });

  it("writes the email in the sender's language when the recipient has no account", async () => {
    const saved = await owner.run("PRODUCT.RECIPIENT.CREATE", { name: "Nour", email: "nour@example.com", country: "EG" });
    const nourId = dataOf(saved).recipient.id;
    await send({ fileId, recipientId: nourId }, owner, "ar");
    const mail = await h.db.outboxMessage.findFirstOrThrow({ where: { to: "nour@example.com" } });
    expect(mail.locale).toBe("ar");
    expect(mail.html).toContain('dir="rtl"');
    expect(mail.text).toContain(`${TEST_BASE_URL}/ar/requests`);
  });

  it("answers NOT_FOUND for another owner's file or recipient, and sends nothing", async () => {
    const strangersFile = await send({ fileId, recipientId }, stranger);
    expect(strangersFile.status).toBe(404);
    const theirs = await stranger.run("PRODUCT.RECIPIENT.CREATE", { name: "X", email: "x@example.com", country: "FR" });
    const theirRecipient = dataOf(theirs).recipient.id;
    expect((await send({ fileId, recipientId: theirRecipient })).envelope.error?.code).toBe("NOT_FOUND");
    expect((await send({ fileId: "nope", recipientId })).envelope.error?.code).toBe("NOT_FOUND");
    expect((await send({ fileId, recipientId: "" })).envelope.error?.fields).toEqual({ recipientId: "RECIPIENT_REQUIRED" });
    expect(await h.db.fileTransfer.count()).toBe(0);
    expect(await h.db.outboxMessage.count()).toBe(0);
  });

  it("request → approve → the requester downloads the file", async () => {
    await send();
    expect((await download(recipient)).status).toBe(404);
    const id = await requestId();
    expect((await download(recipient)).status).toBe(404);

    const approved = await owner.run("PRODUCT.ACCESS.APPROVE", { requestId: id });
    expect(approved.envelope.data).toMatchObject({ status: "approved", changed: true });
    const response = await download(recipient);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("top secret plan");
    // Approval is for this requester only.
    expect((await download(stranger)).status).toBe(404);
  });

  it("request → decline → no download; declining later takes an approval back", async () => {
    await send();
    const id = await requestId();
    expect((await owner.run("PRODUCT.ACCESS.DECLINE", { requestId: id })).envelope.data).toMatchObject({ status: "declined" });
    expect((await download(recipient)).status).toBe(404);

    await owner.run("PRODUCT.ACCESS.APPROVE", { requestId: id });
    expect((await download(recipient)).status).toBe(200);
    await owner.run("PRODUCT.ACCESS.DECLINE", { requestId: id });
    expect((await download(recipient)).status).toBe(404);
  });

  it("answers NOT_FOUND to someone the file was not sent to", async () => {
    await send();
    const result = await stranger.run("PRODUCT.ACCESS.REQUEST", { fileId });
    expect(result.status).toBe(404);
    expect(result.envelope.error?.code).toBe("NOT_FOUND");
    // Nor can the owner ask for their own file, or anyone ask before it was sent.
    expect((await owner.run("PRODUCT.ACCESS.REQUEST", { fileId })).status).toBe(404);
    expect(await h.db.accessRequest.count()).toBe(0);
  });

  it("treats asking twice and approving twice as the same success, not an error", async () => {
    await send();
    await send();
    const first = await requestId();
    const again = await recipient.run("PRODUCT.ACCESS.REQUEST", { fileId });
    expect(again.envelope.data).toMatchObject({ requestId: first, changed: false });

    const approvals = await Promise.all([
      owner.run("PRODUCT.ACCESS.APPROVE", { requestId: first }),
      owner.run("PRODUCT.ACCESS.APPROVE", { requestId: first }),
    ]);
    expect(approvals.map((result) => result.status)).toEqual([200, 200]);
    expect(approvals.map((result) => dataOf(result).changed).sort()).toEqual([false, true]);
    const third = await owner.run("PRODUCT.ACCESS.APPROVE", { requestId: first });
    expect(third.envelope.data).toMatchObject({ status: "approved", changed: false });
  });

  it("lets only the file's owner decide: anyone else's decision is NOT_FOUND", async () => {
    await send();
    const id = await requestId();
    for (const user of [recipient, stranger]) {
      const approve = await user.run("PRODUCT.ACCESS.APPROVE", { requestId: id });
      expect(approve.status).toBe(404);
      expect(approve.envelope.error?.code).toBe("NOT_FOUND");
    }
    expect((await download(recipient)).status).toBe(404);
    expect((await owner.run("PRODUCT.ACCESS.APPROVE", { requestId: "missing" })).status).toBe(404);
  });

  it("lists a file sent twice once for its recipient, and the request for its owner only", async () => {
    await send();
    h.clock.advanceSeconds(60);
    await send();
    expect(await listSharedWithMe(h.db, stranger)).toEqual([]);
    const [shared, ...rest] = await listSharedWithMe(h.db, recipient);
    expect(rest).toEqual([]);
    expect(shared).toMatchObject({ fileId, senderEmail: "owner@example.com", request: null, sizeBytes: 15 });

    const id = await requestId();
    expect((await listSharedWithMe(h.db, recipient))[0].request).toEqual({ id, status: "pending" });
    expect(await listIncomingRequests(h.db, owner.id)).toMatchObject([{ id, fileId, requesterEmail: "ada@example.com", status: "pending" }]);
    expect(await listIncomingRequests(h.db, stranger.id)).toEqual([]);
  });

  it("records the three valuable actions as audit events", async () => {
    await send();
    await owner.run("PRODUCT.ACCESS.APPROVE", { requestId: await requestId() });
    await h.deps.audit.flush();
    const commands = (await h.db.authEvent.findMany({ where: { outcome: "ok" }, orderBy: { at: "asc" } })).map((e) => e.command);
    expect(commands).toEqual(
      expect.arrayContaining(["PRODUCT.RECIPIENT.CREATE", "PRODUCT.FILE.SEND", "PRODUCT.ACCESS.REQUEST", "PRODUCT.ACCESS.APPROVE"]),
    );
  });
});
