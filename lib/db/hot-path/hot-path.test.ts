import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROVIDERS, createHarness, type Harness } from "../../auth/testing/harness";
import { hotPath } from "../client";
import { writeGroupsOf } from "./sqlite-write-group";
import { RATE_LIMITS, databaseRateLimits } from "../../auth/core/rate-limits";
import type { NewSignInChallenge } from "../../auth/store/types";
import type { NewOutboxEmail } from "../../delivery/outbox-store";
import type { SqliteStoreClient } from "./types";

/**
 * What the hot path adds beyond the store contract (lib/auth/store/
 * store-contract.test.ts runs its methods against the reference): the rate
 * limiter's counts, and on SQLite the turns its connection takes with
 * Prisma's on the same file.
 */
describe.each(PROVIDERS)("hot path on %s", (provider) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  // Milliseconds that are not round, so a lost fraction or a time-zone shift shows.
  const at = (iso: string) => new Date(iso);

  function challenge(email: string): NewSignInChallenge {
    return {
      id: randomUUID(),
      email,
      tokenHash: randomUUID(),
      codeHash: "code-hash",
      bindingHash: "binding-hash",
      locale: "es",
      callbackPath: "/files",
      requestUserAgent: "Firefox · Windows",
      requestCountry: null,
      createdAt: at("2026-03-29T01:59:59.123Z"),
      expiresAt: at("2026-03-29T02:09:59.123Z"),
    };
  }

  function outbox(to: string, challengeId: string): NewOutboxEmail {
    return {
      id: randomUUID(),
      to,
      subject: "Sign in",
      text: "text",
      html: "<p>html</p>",
      locale: "es",
      template: "magic-link",
      challengeId,
      transport: "resend",
      sentAt: null,
      createdAt: at("2026-03-29T01:59:59.123Z"),
      nextAttemptAt: at("2026-03-29T02:00:29.123Z"),
    };
  }

  it("counts every rate-limited attempt once, however many arrive together", async () => {
    const limit = RATE_LIMITS.requestPerIp.points;
    const key = "203.0.113.7";
    const first = await Promise.all(Array.from({ length: limit - 1 }, () => h.deps.limits.consume("requestPerIp", key)));
    expect(first.every((outcome) => outcome.ok)).toBe(true);
    const [last, over] = await Promise.all([h.deps.limits.consume("requestPerIp", key), h.deps.limits.consume("requestPerIp", key)]);
    expect([last.ok, over.ok].sort()).toEqual([false, true]);
    expect(await h.deps.limits.check("requestPerIp", key)).toMatchObject({ ok: false, reason: "limited" });
    // Another key is counted apart.
    expect(await h.deps.limits.consume("requestPerIp", "203.0.113.8")).toEqual({ ok: true });
  });

  /**
   * A Prisma transaction that writes a user and then waits, across an await,
   * until `end` says how it finishes: another request's interactive
   * transaction, holding SQLite's write lock across its awaits.
   */
  async function openPrismaTransaction(email: string) {
    let decide!: (outcome: "commit" | "roll back") => void;
    const decided = new Promise<"commit" | "roll back">((resolve) => (decide = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const finished = h.db
      .$transaction(async (tx) => {
        await tx.user.create({ data: { email } });
        entered();
        if ((await decided) === "roll back") throw new Error("roll back");
      })
      .then(
        () => "committed",
        () => "rolled back",
      );
    await inside;
    return {
      end(outcome: "commit" | "roll back") {
        decide(outcome);
        return finished;
      },
    };
  }

  if (provider === "sqlite") {
    it("keeps Prisma's plain queries out of another request's open transaction too", async () => {
      await h.db.user.create({ data: { email: "bystander@example.com", locale: "en" } });
      const doomed = await openPrismaTransaction("doomed@example.com");

      // Another request reads and writes while that transaction waits: it
      // must neither see the uncommitted row nor lose its write to the rollback.
      let readDone = false;
      const read = h.db.user.count({ where: { email: "doomed@example.com" } }).finally(() => (readDone = true));
      const write = h.db.$executeRaw`UPDATE "User" SET "locale" = 'es' WHERE "email" = 'bystander@example.com'`;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(readDone).toBe(false);

      expect(await doomed.end("roll back")).toBe("rolled back");
      expect(await read).toBe(0);
      expect(await write).toBe(1);
      expect(await h.db.user.findUniqueOrThrow({ where: { email: "bystander@example.com" } })).toMatchObject({ locale: "es" });
    });

    it("refuses to count a rate-limited attempt inside someone else's open transaction", async () => {
      const { client } = (await hotPath(h.db).rateLimiterStore()) as { client: SqliteStoreClient };
      expect(client.transaction(() => "counted")()).toBe("counted");

      const holding = await openPrismaTransaction("holding@example.com");
      // Counted there, the attempt would vanish if that transaction rolled back.
      expect(() => client.transaction(() => "counted")()).toThrow(/SQLITE_BUSY/);
      expect(await holding.end("commit")).toBe("committed");
      expect(client.transaction(() => "counted")()).toBe("counted");
    });

    it("counts an attempt made while Prisma's transaction is open once it has ended, not inside it", async () => {
      const limits = databaseRateLimits(h.db);
      expect(await limits.consume("requestPerAddress", "waiting@example.com")).toEqual({ ok: true });

      const doomed = await openPrismaTransaction("doomed-too@example.com");
      let counted = false;
      const attempt = limits.consume("requestPerAddress", "waiting@example.com").finally(() => (counted = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(counted).toBe(false); // it waits for the transaction to end

      expect(await doomed.end("roll back")).toBe("rolled back");
      expect(await attempt).toEqual({ ok: true });
      const [row] = await h.db.$queryRaw<{ points: number }[]>`
        SELECT "points" FROM "rate_limit_counters" WHERE "key" = 'requestPerAddress:waiting@example.com'`;
      expect(Number(row.points)).toBe(2); // both attempts, neither lost to the rollback
    });

    it("lets Prisma start a transaction while a write group is open, once the group has committed", async () => {
      const store = hotPath(h.db);
      const { client } = (await store.rateLimiterStore()) as { client: SqliteStoreClient };
      const database = client.prepare("SELECT 1").database;
      const issued = challenge("grouped@example.com");
      const write = store.emailChallenges.issueSignIn(issued, outbox("grouped@example.com", issued.id));
      await Promise.resolve(); // the write's unit has run: its group is open until this turn ends
      expect(writeGroupsOf(database).open).toBe(true);

      // Prisma's BEGIN would fail inside the open group; it must wait for the commit instead.
      const created = await h.db.$transaction(async (tx) => tx.user.create({ data: { email: "prisma-tx@example.com" } }));
      await write;
      expect(created.email).toBe("prisma-tx@example.com");
      expect(await h.db.magicLinkChallenge.count({ where: { id: issued.id } })).toBe(1);
    });

    it("never writes while a Prisma transaction is open (it would block on its lock, or break it)", async () => {
      const store = hotPath(h.db);
      const failing = await openPrismaTransaction("rolled-back@example.com");

      const issued = challenge("survives@example.com");
      const write = store.emailChallenges.issueSignIn(issued, outbox("survives@example.com", issued.id));
      let written = false;
      void write.then(() => (written = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(written).toBe(false); // it waits for the transaction to end

      expect(await failing.end("roll back")).toBe("rolled back");
      await write;
      expect(await h.db.user.count({ where: { email: "rolled-back@example.com" } })).toBe(0);
      expect(await h.db.magicLinkChallenge.count({ where: { id: issued.id } })).toBe(1);
    });
  }
});
