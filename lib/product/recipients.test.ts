import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROVIDERS } from "../auth/testing/harness";
import { COUNTRY_CODES, countryOptions } from "./countries";
import { createProductHarness, dataOf, signedInUser, type ProductHarness, type TestUser } from "./testing/product-harness";
import { uploadFile } from "./files";

const ADA = { name: "Ada Lovelace", email: "Ada@Example.COM", country: "GB" };

describe.each(PROVIDERS)("recipients on %s", (provider) => {
  let h: ProductHarness;
  let owner: TestUser;
  let other: TestUser;
  beforeEach(async () => {
    h = await createProductHarness(provider);
    owner = await signedInUser(h, "owner@example.com");
    other = await signedInUser(h, "other@example.com");
  });
  afterEach(async () => {
    await h.close();
  });

  it("saves a recipient with a canonical address and an ISO country, and audits it", async () => {
    const created = await owner.run("PRODUCT.RECIPIENT.CREATE", ADA);
    expect(created.status).toBe(200);
    expect(created.envelope.data).toMatchObject({ recipient: { name: "Ada Lovelace", email: "ada@example.com", country: "GB" } });

    await h.deps.audit.flush();
    const event = await h.db.authEvent.findFirstOrThrow({ where: { command: "PRODUCT.RECIPIENT.CREATE" } });
    expect(event).toMatchObject({ outcome: "ok", userId: owner.id });
    expect(event.details).not.toContain("ada@example.com");
  });

  it("reports each invalid field beside it", async () => {
    const invalid = await owner.run("PRODUCT.RECIPIENT.CREATE", { name: " ", email: "not an email", country: "ZZ" });
    expect(invalid.status).toBe(400);
    expect(invalid.envelope.error).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: { name: "NAME_REQUIRED", email: "EMAIL_INVALID", country: "COUNTRY_INVALID" },
    });
    for (const [params, field, key] of [
      [{ ...ADA, country: "EU" }, "country", "COUNTRY_INVALID"],
      [{ ...ADA, country: "" }, "country", "COUNTRY_REQUIRED"],
      [{ ...ADA, email: "a@b.c@d.com" }, "email", "EMAIL_INVALID"],
      [{ ...ADA, email: '"x@evil.com"@victim.com' }, "email", "EMAIL_INVALID"],
      [{ ...ADA, name: "x".repeat(101) }, "name", "NAME_TOO_LONG"],
      [{ ...ADA, name: "Ada\u202Emoc.live" }, "name", "NAME_INVALID"],
    ] as const) {
      const result = await owner.run("PRODUCT.RECIPIENT.CREATE", params);
      expect(result.envelope.error?.fields?.[field], JSON.stringify(params)).toBe(key);
    }
    expect(await h.db.recipient.count()).toBe(0);
  });

  it("answers a duplicate address with RECIPIENT_EXISTS (409), however it is spelled", async () => {
    await owner.run("PRODUCT.RECIPIENT.CREATE", ADA);
    const again = await owner.run("PRODUCT.RECIPIENT.CREATE", { ...ADA, name: "Someone else", email: " ada@EXAMPLE.com " });
    expect(again.status).toBe(409);
    expect(again.envelope.error?.code).toBe("RECIPIENT_EXISTS");
    // Two owners may each save the same person.
    expect((await other.run("PRODUCT.RECIPIENT.CREATE", ADA)).status).toBe(200);
  });

  it("gives one winner and one RECIPIENT_EXISTS when two saves race", async () => {
    const results = await Promise.all([owner.run("PRODUCT.RECIPIENT.CREATE", ADA), owner.run("PRODUCT.RECIPIENT.CREATE", ADA)]);
    expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
  });

  it("edits and deletes only the owner's recipients: another owner's id is NOT_FOUND", async () => {
    const created = await owner.run("PRODUCT.RECIPIENT.CREATE", ADA);
    const recipientId = dataOf(created).recipient.id;

    const theirEdit = await other.run("PRODUCT.RECIPIENT.UPDATE", { recipientId, ...ADA, name: "Hijacked" });
    const theirDelete = await other.run("PRODUCT.RECIPIENT.DELETE", { recipientId });
    expect([theirEdit.status, theirDelete.status]).toEqual([404, 404]);
    expect(theirEdit.envelope.error?.code).toBe("NOT_FOUND");

    const edited = await owner.run("PRODUCT.RECIPIENT.UPDATE", { recipientId, ...ADA, name: "Ada King", country: "IT" });
    expect(edited.envelope.data).toMatchObject({ recipient: { name: "Ada King", country: "IT" } });
    expect((await owner.run("PRODUCT.RECIPIENT.DELETE", { recipientId })).status).toBe(200);
    expect((await owner.run("PRODUCT.RECIPIENT.DELETE", { recipientId })).envelope.error?.code).toBe("NOT_FOUND");
  });

  it("refuses to edit an address onto another saved one, or once a file was sent to it", async () => {
    const ada = await owner.run("PRODUCT.RECIPIENT.CREATE", ADA);
    await owner.run("PRODUCT.RECIPIENT.CREATE", { ...ADA, name: "Bob", email: "bob@example.com" });
    const adaId = dataOf(ada).recipient.id;
    const clash = await owner.run("PRODUCT.RECIPIENT.UPDATE", { recipientId: adaId, ...ADA, email: "BOB@example.com" });
    expect(clash.envelope.error?.code).toBe("RECIPIENT_EXISTS");

    const file = await uploadFile(h, owner.id, { name: "a.txt", body: [new TextEncoder().encode("a")] });
    if (!file.ok) throw new Error(file.code);
    await owner.run("PRODUCT.FILE.SEND", { fileId: file.value.id, recipientId: adaId });
    const moved = await owner.run("PRODUCT.RECIPIENT.UPDATE", { recipientId: adaId, ...ADA, email: "carol@example.com" });
    expect(moved.status).toBe(409);
    expect(moved.envelope.error?.code).toBe("RECIPIENT_IN_USE");
    // Everything but the address can still change.
    expect((await owner.run("PRODUCT.RECIPIENT.UPDATE", { recipientId: adaId, ...ADA, name: "Ada L." })).status).toBe(200);
  });

  it("refuses to save without a session", async () => {
    const result = await owner.run("PRODUCT.RECIPIENT.CREATE", ADA);
    expect(result.status).toBe(200);
    await h.db.session.deleteMany({ where: { userId: owner.id } });
    expect((await owner.run("PRODUCT.RECIPIENT.CREATE", { ...ADA, email: "x@example.com" })).envelope.error?.code).toBe(
      "UNAUTHENTICATED",
    );
  });
});

describe("countries", () => {
  it("lists the 249 ISO 3166-1 codes, named and sorted in the page's language", () => {
    expect(COUNTRY_CODES).toHaveLength(249);
    expect(new Set(COUNTRY_CODES).size).toBe(249);
    const spanish = countryOptions("es");
    expect(spanish.find((country) => country.code === "DE")?.name).toBe("Alemania");
    const arabic = countryOptions("ar");
    expect(arabic.find((country) => country.code === "EG")?.name).toBe("مصر");
    const names = spanish.map((country) => country.name);
    expect(names).toEqual([...names].sort(new Intl.Collator("es").compare));
  });
});
