import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { executeHttp } from "../../auth/core/api-execute";
import { PROVIDERS, TEST_BASE_URL } from "../../auth/testing/harness";
import { HTTP_OPTIONS, createProductHarness, dataOf, signedInUser, type ProductHarness, type TestUser } from "../testing/product-harness";
import { givePasskey, grantStepUp, putOnDevice, secondSession } from "./step-up-test-support";

const UPDATE = "PRODUCT.PAYOUT.UPDATE";
const DETAILS = { holderName: "  Ada   Lovelace ", iban: "gb82 west 1234 5698 7654 32", country: "gb" };
const IBAN = "GB82WEST12345698765432";
const FIVE_MINUTES = 5 * 60;

describe.each(PROVIDERS)("payout details on %s", (provider) => {
  let h: ProductHarness;
  let owner: TestUser;
  beforeEach(async () => {
    h = await createProductHarness(provider);
    owner = await signedInUser(h, "owner@example.com");
    await givePasskey(h, owner);
    await putOnDevice(h, owner, "trusted");
  });
  afterEach(async () => {
    await h.close();
  });

  async function nothingWritten() {
    expect(await h.db.payoutDetails.count()).toBe(0);
    expect(await h.db.outboxMessage.count({ where: { template: "payout-changed" } })).toBe(0);
  }

  it("reads none at first, and only the masked IBAN once saved", async () => {
    expect(dataOf(await owner.run("PRODUCT.PAYOUT.GET", {}))).toEqual({ payout: null });
    await grantStepUp(h, owner, "payout.change");
    const saved = dataOf(await owner.run(UPDATE, DETAILS));
    const expected = { holderName: "Ada Lovelace", ibanMasked: "GB82 •••• 5432", country: "GB" };
    expect(saved.payout).toMatchObject(expected);
    const read = dataOf(await owner.run("PRODUCT.PAYOUT.GET", {}));
    expect(read.payout).toMatchObject(expected);
    expect(JSON.stringify(read)).not.toContain(IBAN);
    // Stored normalized, for the payouts themselves.
    expect(await h.db.payoutDetails.findUniqueOrThrow({ where: { userId: owner.id } })).toMatchObject({ iban: IBAN, country: "GB" });
  });

  it("asks a session with only its email sign-in for the passkey or this trusted device, and writes nothing", async () => {
    const refused = await owner.run(UPDATE, DETAILS);
    expect(refused.status).toBe(403);
    expect(refused.envelope.error).toMatchObject({
      code: "STEP_UP_REQUIRED",
      details: { action: "payout.change", methods: ["passkey", "device"], maxAgeSeconds: FIVE_MINUTES },
    });
    await nothingWritten();
  });

  it("refuses an account without a passkey on a device nothing vouched for, outright", async () => {
    const emailOnly = await signedInUser(h, "email-only@example.com");
    await putOnDevice(h, emailOnly, "new");
    const refused = await emailOnly.run(UPDATE, DETAILS);
    expect(refused.envelope.error).toMatchObject({ code: "ACTION_DENIED", details: { reasons: ["untrusted_device", "no_strong_factor"] } });
    await nothingWritten();
  });

  it("refuses a session with no device key (a private window), even with a fresh grant", async () => {
    const privateWindow = await signedInUser(h, "private@example.com");
    await givePasskey(h, privateWindow);
    await grantStepUp(h, privateWindow, "payout.change");
    const refused = await privateWindow.run(UPDATE, DETAILS);
    expect(refused.status).toBe(403);
    expect(refused.envelope.error).toMatchObject({ code: "ACTION_DENIED", details: { reasons: ["no_device_key"] } });
    await nothingWritten();
  });

  it("changes them with a fresh passkey grant for payout.change, emails the account and audits no IBAN or name", async () => {
    await grantStepUp(h, owner, "payout.change");
    const saved = await owner.run(UPDATE, DETAILS);
    expect(saved.status).toBe(200);

    const mail = await h.db.outboxMessage.findFirstOrThrow({ where: { to: owner.email, template: "payout-changed" } });
    expect(mail).toMatchObject({ locale: "en", subject: "Your payout details were changed" });
    expect(mail.text).toContain("GB82 •••• 5432");
    expect(mail.text + mail.html).not.toContain(IBAN);
    expect(mail.text + mail.html).not.toContain("WEST1234");

    await h.deps.audit.flush();
    const event = await h.db.authEvent.findFirstOrThrow({ where: { command: UPDATE, outcome: "ok" } });
    expect(event.userId).toBe(owner.id);
    for (const secret of [IBAN, "5432", "Lovelace"]) expect(event.details).not.toContain(secret);
  });

  it("writes the notice in the account's own language", async () => {
    const spanish = await signedInUser(h, "es@example.com", "es");
    await givePasskey(h, spanish);
    await putOnDevice(h, spanish, "trusted");
    await grantStepUp(h, spanish, "payout.change");
    const saved = await spanish.run(UPDATE, { holderName: "Ana", iban: "ES91 2100 0418 4502 0005 1332", country: "ES" }, "en");
    expect(saved.status).toBe(200);
    const mail = await h.db.outboxMessage.findFirstOrThrow({ where: { to: spanish.email, template: "payout-changed" } });
    expect(mail).toMatchObject({ locale: "es", subject: "Se cambiaron tus datos de cobro" });
    expect(mail.text).toContain("ES91 •••• 1332");
  });

  it("refuses a grant for another action, an expired grant and another session's grant", async () => {
    await grantStepUp(h, owner, "file.view_private", { seconds: 12 * 60 * 60 });
    expect((await owner.run(UPDATE, DETAILS)).envelope.error?.code).toBe("STEP_UP_REQUIRED");

    const other = await secondSession(h, owner);
    await grantStepUp(h, owner, "payout.change", { sessionId: other.id });
    expect((await owner.run(UPDATE, DETAILS)).envelope.error?.code).toBe("STEP_UP_REQUIRED");

    await grantStepUp(h, owner, "payout.change");
    h.clock.advanceSeconds(FIVE_MINUTES + 1);
    expect((await owner.run(UPDATE, DETAILS)).envelope.error?.code).toBe("STEP_UP_REQUIRED");
    await nothingWritten();
  });

  it("answers invalid fields beside each field, 400, and writes nothing", async () => {
    await grantStepUp(h, owner, "payout.change");
    const invalid = await owner.run(UPDATE, { holderName: " ", iban: "GB82 WEST 1234 5698 7654 33", country: "GB" });
    expect(invalid.status).toBe(400);
    expect(invalid.envelope.error).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { holderName: "HOLDER_NAME_INVALID", iban: "IBAN_INVALID" },
    });
    for (const [params, field, key] of [
      [{ ...DETAILS, country: "DE" }, "iban", "IBAN_COUNTRY_MISMATCH"],
      [{ ...DETAILS, iban: "GB82 WEST 1234 5698 7654 3" }, "iban", "IBAN_INVALID"],
      [{ ...DETAILS, iban: "US12 3456 7890 1234 5678 90" }, "iban", "IBAN_INVALID"],
      [{ ...DETAILS, iban: "x".repeat(101) }, "iban", "IBAN_INVALID"],
      [{ ...DETAILS, country: "ZZ" }, "country", "COUNTRY_INVALID"],
      [{ ...DETAILS, holderName: "x".repeat(141) }, "holderName", "HOLDER_NAME_INVALID"],
      [{ ...DETAILS, holderName: "Ada\u0000Lovelace" }, "holderName", "HOLDER_NAME_INVALID"],
      [{ ...DETAILS, holderName: "Ada\u202ELovelace" }, "holderName", "HOLDER_NAME_INVALID"],
    ] as const) {
      const result = await owner.run(UPDATE, params);
      expect(result.status, JSON.stringify(params)).toBe(400);
      expect(result.envelope.error?.fields?.[field], JSON.stringify(params)).toBe(key);
    }
    // 140 characters (counted as people see them, not UTF-16 units) are enough.
    expect((await owner.run(UPDATE, { ...DETAILS, holderName: "é".repeat(140) })).status).toBe(200);
  });

  describe("through the HTTP API with the session cookie", () => {
    const API_URL = `${TEST_BASE_URL}/api/v1/execute`;
    const body = JSON.stringify({ command: UPDATE, params: DETAILS });

    function post(payload: string, headers: Record<string, string>) {
      return executeHttp(h.deps, new Request(API_URL, { method: "POST", body: payload, headers: { cookie: owner.cookie, ...headers } }), HTTP_OPTIONS);
    }

    it("refuses every cross-site POST, even with a valid grant, and writes nothing", async () => {
      await grantStepUp(h, owner, "payout.change");
      const form = new URLSearchParams({ command: UPDATE, ...DETAILS }).toString();
      const attempts = [
        // A plain HTML form: no JSON to read.
        post(form, { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example", "sec-fetch-site": "cross-site" }),
        // A form with enctype="text/plain" can carry JSON-looking text.
        post(body, { "content-type": "text/plain", origin: "https://evil.example", "sec-fetch-site": "cross-site" }),
        // A sandboxed frame or a redirect chain sends Origin: null.
        post(body, { "content-type": "text/plain", origin: "null" }),
        post(body, { "content-type": "application/json", origin: "null" }),
        // No Origin at all, but the browser says it came from elsewhere.
        post(body, { "content-type": "text/plain", "sec-fetch-site": "cross-site" }),
      ];
      const answers = await Promise.all(
        (await Promise.all(attempts)).map(async (response) => [response.status, ((await response.json()) as { error: { code: string } }).error.code]),
      );
      expect(answers).toEqual([
        [400, "VALIDATION_FAILED"],
        [403, "ORIGIN_REJECTED"],
        [403, "ORIGIN_REJECTED"],
        [403, "ORIGIN_REJECTED"],
        [403, "ORIGIN_REJECTED"],
      ]);
      await nothingWritten();

      // The same request from this site's own page goes through.
      const own = await post(body, { "content-type": "application/json", origin: TEST_BASE_URL, "sec-fetch-site": "same-origin" });
      expect(own.status).toBe(200);
    });
  });
});
