import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROVIDERS, createHarness, type Harness } from "../../auth/testing/harness";
import { hotPath } from "../client";
import { writeGroupsOf } from "./sqlite-write-group";
import { RATE_LIMITS, databaseRateLimits } from "../../auth/core/rate-limits";
import type { NewChallenge, NewOutboxEmail, NewSessionRow, SqliteStoreClient } from "./types";

/**
 * The hot path writes rows that Prisma (and Auth.js through it) reads
 * elsewhere, and shares Prisma's connection: these tests hold it to both.
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

  function challenge(email: string): NewChallenge {
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

  function session(): NewSessionRow {
    return {
      id: randomUUID(),
      tokenHash: randomUUID(),
      aal: 1,
      methods: "[]",
      userAgentClass: "desktop: Firefox · Windows",
      country: "ES",
      createdAt: at("2026-03-29T02:00:00.457Z"),
      expires: at("2026-04-05T02:00:00.457Z"),
      absoluteExpiresAt: at("2026-04-28T02:00:00.457Z"),
    };
  }

  it("writes rows that Prisma reads back with the same times, to the millisecond", async () => {
    const store = hotPath(h.db);
    const issued = challenge("times@example.com");
    const email = outbox("times@example.com", issued.id);
    await store.issueSignInChallenge(issued, email);
    const newSession = session();
    const redeemed = await store.redeemChallenge({
      challengeId: issued.id,
      now: newSession.createdAt,
      codeAttemptReserved: false,
      email: issued.email,
      locale: "es",
      newUserId: randomUUID(),
      session: newSession,
    });
    expect(redeemed).toMatchObject({ isNewUser: true });

    const row = await h.db.magicLinkChallenge.findUniqueOrThrow({ where: { id: issued.id } });
    expect(row).toMatchObject({ status: "redeemed", expiresAt: issued.expiresAt, redeemedAt: newSession.createdAt, createdAt: issued.createdAt });
    const queued = await h.db.outboxMessage.findUniqueOrThrow({ where: { id: email.id } });
    expect(queued).toMatchObject({ status: "pending", attempts: 1, transport: "resend", nextAttemptAt: email.nextAttemptAt });
    const stored = await h.db.session.findUniqueOrThrow({ where: { id: newSession.id }, include: { user: true } });
    expect(stored).toMatchObject({
      sessionToken: newSession.tokenHash,
      expires: newSession.expires,
      absoluteExpiresAt: newSession.absoluteExpiresAt,
      createdAt: newSession.createdAt,
      lastSeenAt: newSession.createdAt,
      user: { email: "times@example.com", locale: "es", emailVerified: newSession.createdAt, role: "user" },
    });
    expect(await store.findSession(newSession.tokenHash)).toMatchObject({
      expires: newSession.expires,
      absoluteExpiresAt: newSession.absoluteExpiresAt,
      user: { id: stored.userId, email: "times@example.com" },
    });
  });

  it("redeems a challenge once, refreshing an existing account instead of creating another", async () => {
    const store = hotPath(h.db);
    const user = await h.db.user.create({ data: { email: "known@example.com", locale: "en" } });
    const issued = challenge("known@example.com");
    await store.issueSignInChallenge(issued, outbox("known@example.com", issued.id));
    const redeem = () =>
      store.redeemChallenge({
        challengeId: issued.id,
        now: at("2026-03-29T02:00:00.457Z"),
        codeAttemptReserved: false,
        email: issued.email,
        locale: "es",
        newUserId: randomUUID(),
        session: session(),
      });
    expect(await redeem()).toEqual({ userId: user.id, isNewUser: false });
    expect(await redeem()).toBeNull();
    expect(await h.db.session.count({ where: { userId: user.id } })).toBe(1);
    expect(await h.db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ locale: "es" });
  });

  it("writes nothing, and voids nothing, when a link request fails halfway", async () => {
    const store = hotPath(h.db);
    const first = challenge("halfway@example.com");
    const firstEmail = outbox("halfway@example.com", first.id);
    await store.issueSignInChallenge(first, firstEmail);

    // The second request's email row reuses an id, so its last insert fails.
    const second = challenge("halfway@example.com");
    await expect(store.issueSignInChallenge(second, { ...outbox("halfway@example.com", second.id), id: firstEmail.id })).rejects.toThrow();

    expect(await h.db.magicLinkChallenge.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: "pending" });
    expect(await h.db.magicLinkChallenge.count({ where: { id: second.id } })).toBe(0);
    expect(await h.db.outboxMessage.count({ where: { to: "halfway@example.com" } })).toBe(1);
  });

  it("writes nothing when the challenge is no longer redeemable", async () => {
    const store = hotPath(h.db);
    const issued = challenge("late@example.com");
    await store.issueSignInChallenge(issued, outbox("late@example.com", issued.id));
    const result = await store.redeemChallenge({
      challengeId: issued.id,
      now: issued.expiresAt, // expiry is exclusive
      codeAttemptReserved: false,
      email: issued.email,
      locale: "es",
      newUserId: randomUUID(),
      session: session(),
    });
    expect(result).toBeNull();
    expect(await h.db.user.count({ where: { email: "late@example.com" } })).toBe(0);
    expect(await h.db.session.count()).toBe(0);
  });

  it("reserves a code attempt only while the challenge is pending, unexpired and below the limit", async () => {
    const store = hotPath(h.db);
    const issued = challenge("attempts@example.com");
    await store.issueSignInChallenge(issued, outbox("attempts@example.com", issued.id));
    const now = at("2026-03-29T02:00:00.457Z");
    const taken = await Promise.all(Array.from({ length: 5 }, () => store.reserveCodeAttempt(issued.id, now, 3)));
    expect(taken.sort()).toEqual([1, 2, 3, null, null]);
    expect(await store.reserveCodeAttempt(issued.id, issued.expiresAt, 5)).toBeNull(); // expiry is exclusive

    // A right code's redemption gives its attempt back.
    const redeemed = await store.redeemChallenge({
      challengeId: issued.id,
      now,
      codeAttemptReserved: true,
      email: issued.email,
      locale: "es",
      newUserId: randomUUID(),
      session: session(),
    });
    expect(redeemed).not.toBeNull();
    expect(await h.db.magicLinkChallenge.findUniqueOrThrow({ where: { id: issued.id } })).toMatchObject({ failedCodeAttempts: 2 });
    expect(await store.reserveCodeAttempt(issued.id, now, 5)).toBeNull();
  });

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
   * until `end` says how it finishes: what another request's interactive
   * transaction looks like to the shared SQLite connection.
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
      const write = store.issueSignInChallenge(issued, outbox("grouped@example.com", issued.id));
      await Promise.resolve(); // the write's unit has run: its group is open until this turn ends
      expect(writeGroupsOf(database).open).toBe(true);

      // Prisma's BEGIN would fail inside the open group; it must wait for the commit instead.
      const created = await h.db.$transaction(async (tx) => tx.user.create({ data: { email: "prisma-tx@example.com" } }));
      await write;
      expect(created.email).toBe("prisma-tx@example.com");
      expect(await h.db.magicLinkChallenge.count({ where: { id: issued.id } })).toBe(1);
    });

    it("never writes inside a Prisma transaction that is open on the shared connection", async () => {
      const store = hotPath(h.db);
      const failing = await openPrismaTransaction("rolled-back@example.com");

      const issued = challenge("survives@example.com");
      const write = store.issueSignInChallenge(issued, outbox("survives@example.com", issued.id));
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
