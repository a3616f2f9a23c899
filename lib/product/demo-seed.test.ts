import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROVIDERS } from "../auth/testing/harness";
import { DEMO_FILE, seedDemoProduct } from "./demo-seed";
import { openFile } from "./files";
import { createProductHarness, type ProductHarness } from "./testing/product-harness";

const INPUT = { ownerEmail: "demo@trustladder.test", recipient: { name: "Ada Admin", email: "admin@trustladder.test", country: "GB" } };

describe.each(PROVIDERS)("demo seed on %s", (provider) => {
  let h: ProductHarness;
  beforeEach(async () => {
    h = await createProductHarness(provider);
    await h.db.user.create({ data: { email: INPUT.ownerEmail } });
  });
  afterEach(async () => {
    await h.close();
  });

  it("gives the demo user a file sent to the admin, and changes nothing the second time", async () => {
    const first = await seedDemoProduct(h, INPUT);
    const second = await seedDemoProduct(h, INPUT);
    expect(first.ok && second.ok && first.value.fileId === second.value.fileId).toBe(true);
    expect(await h.db.storedFile.count()).toBe(1);
    expect(await h.db.recipient.count()).toBe(1);
    expect(await h.db.fileTransfer.count()).toBe(1);
    expect(await h.db.outboxMessage.count()).toBe(0);
    expect(readdirSync(h.filesDir)).toHaveLength(1);
  });

  it("uploads the file again when FILES_DIR lost its bytes", async () => {
    await seedDemoProduct(h, INPUT);
    for (const entry of readdirSync(h.filesDir)) rmSync(path.join(h.filesDir, entry));
    const again = await seedDemoProduct(h, INPUT);
    if (!again.ok) throw new Error(again.code);
    const owner = await h.db.user.findUniqueOrThrow({ where: { email: INPUT.ownerEmail } });
    const opened = await openFile(h, owner.id, again.value.fileId);
    expect(opened.ok && opened.value.bytes.toString("utf8")).toBe(DEMO_FILE.text);
    expect(await h.db.fileTransfer.count()).toBe(1);
  });
});
