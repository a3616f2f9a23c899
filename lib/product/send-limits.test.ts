import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PROVIDERS } from "../auth/testing/harness";
import { isolate } from "../i18n/isolate";
import { uploadFile } from "./files";
import {
  RECIPIENTS_CREATED_PER_USER_PER_DAY,
  SENDS_PER_RECIPIENT_ADDRESS_PER_DAY,
  SENDS_PER_SENDER_PER_DAY,
  SENDS_PER_SENDER_PER_HOUR,
} from "./product-limits";
import { MAX_SEND_NOTE_LENGTH } from "./send-note";
import { createProductHarness, dataOf, signedInUser, type ProductHarness, type TestUser } from "./testing/product-harness";

/**
 * Sending a file emails someone else, and anyone can create an account: the
 * sends are limited per sender and per recipient address, saved recipients
 * per account, the answer does not tell whether the address has an account,
 * and the sender's own words are short and marked as theirs.
 *
 * rate-limiter-flexible times its windows with Date.now(), so the tests
 * move Date (fake, and only Date) together with the harness clock.
 */
const HOUR_SECONDS = 60 * 60;
const DAY_SECONDS = 24 * HOUR_SECONDS;

describe.each(PROVIDERS)("send and recipient limits on %s", (provider) => {
  let h: ProductHarness;
  let owner: TestUser;

  beforeEach(async () => {
    h = await createProductHarness(provider);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(h.clock.now());
    owner = await signedInUser(h, "owner@example.com");
  });
  afterEach(async () => {
    vi.useRealTimers();
    await h.close();
  });

  function advance(seconds: number) {
    h.clock.advanceSeconds(seconds);
    vi.setSystemTime(h.clock.now());
  }

  async function fileOf(user: TestUser): Promise<string> {
    const file = await uploadFile(h, user.id, { name: "plan.txt", body: [new TextEncoder().encode("the plan")] });
    if (!file.ok) throw new Error(file.code);
    return file.value.id;
  }

  async function recipientOf(user: TestUser, email: string): Promise<string> {
    const saved = await user.run("PRODUCT.RECIPIENT.CREATE", { name: "Someone", email, country: "ES" });
    if (!saved.envelope.ok) throw new Error(saved.envelope.error?.code);
    return dataOf(saved).recipient.id;
  }

  it(`refuses a send after ${SENDS_PER_SENDER_PER_HOUR} in an hour with RATE_LIMITED and a retry-after, and an hour later sends again`, async () => {
    const fileId = await fileOf(owner);
    // Spread over addresses, so that only the sender's own limit is reached.
    const recipients = await Promise.all([0, 1, 2].map((n) => recipientOf(owner, `r${n}@example.com`)));
    for (let n = 0; n < SENDS_PER_SENDER_PER_HOUR; n += 1) {
      const sent = await owner.run("PRODUCT.FILE.SEND", { fileId, recipientId: recipients[n % 3] });
      expect(sent.status, `send ${n + 1}`).toBe(200);
    }
    const refused = await owner.run("PRODUCT.FILE.SEND", { fileId, recipientId: recipients[2] });
    expect(refused.status).toBe(429);
    expect(refused.envelope.error?.code).toBe("RATE_LIMITED");
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(HOUR_SECONDS);
    // Nothing was written or mailed for the refused send.
    expect(await h.db.fileTransfer.count()).toBe(SENDS_PER_SENDER_PER_HOUR);
    expect(await h.db.outboxMessage.count()).toBe(SENDS_PER_SENDER_PER_HOUR);

    advance(HOUR_SECONDS);
    expect((await owner.run("PRODUCT.FILE.SEND", { fileId, recipientId: recipients[2] })).status).toBe(200);
  });

  it(`refuses a send after ${SENDS_PER_SENDER_PER_DAY} in a day, even spread over hours`, async () => {
    const fileId = await fileOf(owner);
    const addresses = SENDS_PER_SENDER_PER_DAY / SENDS_PER_RECIPIENT_ADDRESS_PER_DAY + 1;
    const recipients: string[] = [];
    for (let n = 0; n < addresses; n += 1) recipients.push(await recipientOf(owner, `d${n}@example.com`));
    for (let n = 0; n < SENDS_PER_SENDER_PER_DAY; n += 1) {
      if (n > 0 && n % SENDS_PER_SENDER_PER_HOUR === 0) advance(HOUR_SECONDS);
      const recipientId = recipients[Math.floor(n / SENDS_PER_RECIPIENT_ADDRESS_PER_DAY)];
      expect((await owner.run("PRODUCT.FILE.SEND", { fileId, recipientId })).status, `send ${n + 1}`).toBe(200);
    }
    advance(HOUR_SECONDS);
    const refused = await owner.run("PRODUCT.FILE.SEND", { fileId, recipientId: recipients[addresses - 1] });
    expect(refused.envelope.error?.code).toBe("RATE_LIMITED");
    expect(refused.retryAfterSeconds).toBeGreaterThan(HOUR_SECONDS);
    advance(DAY_SECONDS);
    expect((await owner.run("PRODUCT.FILE.SEND", { fileId, recipientId: recipients[addresses - 1] })).status).toBe(200);
  });

  it(`refuses an email to one address after ${SENDS_PER_RECIPIENT_ADDRESS_PER_DAY} in a day from different senders, and not the next day`, async () => {
    const victim = "victim@example.com";
    const senders: { user: TestUser; fileId: string; recipientId: string }[] = [];
    for (let n = 0; n <= SENDS_PER_RECIPIENT_ADDRESS_PER_DAY; n += 1) {
      const user = await signedInUser(h, `sender${n}@example.com`);
      senders.push({ user, fileId: await fileOf(user), recipientId: await recipientOf(user, victim) });
    }
    for (const [n, sender] of senders.slice(0, -1).entries()) {
      const sent = await sender.user.run("PRODUCT.FILE.SEND", { fileId: sender.fileId, recipientId: sender.recipientId });
      expect(sent.status, `sender ${n + 1}`).toBe(200);
    }
    const last = senders[senders.length - 1];
    const refused = await last.user.run("PRODUCT.FILE.SEND", { fileId: last.fileId, recipientId: last.recipientId });
    expect(refused.status).toBe(429);
    expect(refused.envelope.error?.code).toBe("RATE_LIMITED");
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(await h.db.outboxMessage.count({ where: { to: victim } })).toBe(SENDS_PER_RECIPIENT_ADDRESS_PER_DAY);

    advance(DAY_SECONDS);
    expect((await last.user.run("PRODUCT.FILE.SEND", { fileId: last.fileId, recipientId: last.recipientId })).status).toBe(200);
  });

  it("answers the same for a recipient with an account and one without (ASVS 6.3.8)", async () => {
    await signedInUser(h, "member@example.com", "es");
    const fileId = await fileOf(owner);
    const member = await recipientOf(owner, "member@example.com");
    const stranger = await recipientOf(owner, "stranger@example.com");
    const answers = [];
    for (const recipientId of [member, stranger]) {
      advance(1);
      const sent = await owner.run("PRODUCT.FILE.SEND", { fileId, recipientId }, "ar");
      const { transferId, ...rest } = dataOf(sent);
      expect(transferId).toEqual(expect.any(String));
      answers.push({ status: sent.status, effects: sent.effects, envelope: { ...sent.envelope, data: rest } });
    }
    expect(answers[0]).toEqual(answers[1]);
    // The emails themselves still go out in the reader's language: Spanish for the member, the sender's Arabic otherwise.
    const mails = await h.db.outboxMessage.findMany({ orderBy: { createdAt: "asc" }, select: { to: true, locale: true } });
    expect(mails).toEqual([
      { to: "member@example.com", locale: "es" },
      { to: "stranger@example.com", locale: "ar" },
    ]);
  });

  it("quotes the sender's note as theirs, not ours, in every language", async () => {
    const fileId = await fileOf(owner);
    const recipientId = await recipientOf(owner, "reader@example.com");
    const note = "Here is <b>the plan</b> we discussed.";
    for (const locale of ["en", "es", "ar"] as const) {
      advance(1);
      expect((await owner.run("PRODUCT.FILE.SEND", { fileId, recipientId, note }, locale)).status).toBe(200);
    }
    const mails = await h.db.outboxMessage.findMany({ orderBy: { createdAt: "asc" } });
    const sender = isolate("owner@example.com");
    const intros = [`Message from ${sender}, not from Trustladder:`, `Mensaje de ${sender}, no de Trustladder:`, `رسالة من ${sender}، وليست من Trustladder:`];
    for (const [index, mail] of mails.entries()) {
      expect(mail.text).toContain(intros[index]);
      expect(mail.text).toContain(isolate(note));
      // Escaped like any other value: the sender's markup is text.
      expect(mail.html).toContain("Here is &lt;b&gt;the plan&lt;/b&gt; we discussed.");
      expect(mail.html).not.toContain("<b>the plan</b>");
    }
    // Without a note there is no quotation at all.
    advance(1);
    await owner.run("PRODUCT.FILE.SEND", { fileId, recipientId, note: "   " });
    const plain = await h.db.outboxMessage.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    expect(plain.text).not.toContain("not from Trustladder");
  });

  it(`refuses a note over ${MAX_SEND_NOTE_LENGTH} characters, or with hidden characters, and sends nothing`, async () => {
    const fileId = await fileOf(owner);
    const recipientId = await recipientOf(owner, "reader@example.com");
    const tooLong = await owner.run("PRODUCT.FILE.SEND", { fileId, recipientId, note: "x".repeat(MAX_SEND_NOTE_LENGTH + 1) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.envelope.error).toMatchObject({ code: "VALIDATION_FAILED", fields: { note: "NOTE_TOO_LONG" } });
    const hidden = await owner.run("PRODUCT.FILE.SEND", { fileId, recipientId, note: "pay here \u202Egnp.exe" });
    expect(hidden.envelope.error).toMatchObject({ code: "VALIDATION_FAILED", fields: { note: "NOTE_INVALID" } });
    expect(await h.db.outboxMessage.count()).toBe(0);
    // Line breaks become spaces (one line), and exactly the limit is fine.
    expect((await owner.run("PRODUCT.FILE.SEND", { fileId, recipientId, note: "a\nb" })).status).toBe(200);
    expect((await h.db.outboxMessage.findFirstOrThrow()).text).toContain(isolate("a b"));
    expect((await owner.run("PRODUCT.FILE.SEND", { fileId, recipientId, note: "x".repeat(MAX_SEND_NOTE_LENGTH) })).status).toBe(200);
  });

  it(`refuses a recipient after ${RECIPIENTS_CREATED_PER_USER_PER_DAY} saved in a day, and not the next day`, async () => {
    for (let n = 0; n < RECIPIENTS_CREATED_PER_USER_PER_DAY; n += 1) await recipientOf(owner, `c${n}@example.com`);
    const refused = await owner.run("PRODUCT.RECIPIENT.CREATE", { name: "One more", email: "more@example.com", country: "ES" });
    expect(refused.status).toBe(429);
    expect(refused.envelope.error?.code).toBe("RATE_LIMITED");
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(await h.db.recipient.count()).toBe(RECIPIENTS_CREATED_PER_USER_PER_DAY);
    advance(DAY_SECONDS);
    expect((await owner.run("PRODUCT.RECIPIENT.CREATE", { name: "One more", email: "more@example.com", country: "ES" })).status).toBe(200);
  });
});
