import { afterEach, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { closeDb, createDb, hotPath } from "../../db/client";
import { authStoreFor } from "../store/select";
import type { SqliteStoreClient } from "../../db/hot-path/types";
import { z } from "zod";
import { defineCommand, type CommandContext, type CookieEffect } from "./command-types";
import { failure } from "./errors";
import { commandRegistry } from "./registry";
import { execute } from "./execute";
import { databaseRateLimits } from "./rate-limits";
import { findActiveSession } from "./sessions";
import { PROVIDERS, TEST_AUTH_STORE, TEST_BASE_URL, commandContext, createHarness, latestEmail, requestContext, type Harness } from "../testing/harness";

/** A browser posting a server action from our own pages. */
function browser(overrides: Partial<CommandContext> = {}): CommandContext {
  return commandContext({ channel: "browser", request: requestContext(), ...overrides });
}

function effect<K extends CookieEffect["kind"]>(effects: CookieEffect[], kind: K) {
  return effects.find((e): e is Extract<CookieEffect, { kind: K }> => e.kind === kind);
}

describe.each(PROVIDERS)("execute for a browser on %s", (provider) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  async function signIn(email: string) {
    const requested = await execute(h.deps, "AUTH.MAGIC_LINK.REQUEST", { email }, browser());
    const binding = effect(requested.effects, "set-binding")?.value ?? null;
    const mail = await latestEmail(h.db, email);
    const redeemed = await execute(h.deps, "AUTH.MAGIC_LINK.REDEEM", { token: mail.token }, browser({ bindingCookie: binding }));
    return { requested, redeemed, token: effect(redeemed.effects, "set-session")?.token ?? "" };
  }

  it("keeps the binding and the session token in cookies, out of the data a page sees", async () => {
    const { requested, redeemed, token } = await signIn("cookie@example.com");
    expect(requested.envelope.ok).toBe(true);
    expect(requested.envelope.data).toMatchObject({ binding: null });
    expect(effect(requested.effects, "set-binding")?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect(redeemed.envelope).toMatchObject({ ok: true, data: { sessionToken: null, redirectTo: "/" } });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(effect(redeemed.effects, "clear-binding")).toBeDefined();
  });

  it("sends a refusal's details for programs, beside the translated message (STEP_UP_REQUIRED, RFC 9470's shape)", async () => {
    const guarded = defineCommand({
      name: "TEST.GUARDED",
      requiresSession: false,
      input: z.strictObject({}),
      handle: async () =>
        failure("STEP_UP_REQUIRED", { details: { action: "payout.change", methods: ["passkey"], maxAgeSeconds: 300 } }),
    });
    const result = await execute({ ...h.deps, commands: commandRegistry([guarded]) }, "TEST.GUARDED", {}, browser({ locale: "es" }));
    expect(result.status).toBe(403);
    expect(result.envelope.error).toEqual({
      code: "STEP_UP_REQUIRED",
      message: expect.stringContaining("llave de acceso"),
      details: { action: "payout.change", methods: ["passkey"], maxAgeSeconds: 300 },
    });
    // A refusal without details has no such field at all.
    const plain = await execute(h.deps, "AUTH.SESSION.GET", {}, browser());
    expect(plain.envelope.error).not.toHaveProperty("details");
  });

  it("refuses a server action that comes without our Origin (CSRF)", async () => {
    for (const request of [
      requestContext({ origin: null, fetchSite: null }),
      requestContext({ origin: "http://evil.test", fetchSite: "cross-site" }),
      requestContext({ origin: "http://localhost:3000.evil.test" }),
      requestContext({ origin: TEST_BASE_URL, fetchSite: "cross-site" }),
    ]) {
      const result = await execute(h.deps, "AUTH.MAGIC_LINK.REQUEST", { email: "csrf@example.com" }, browser({ request }));
      expect(result.envelope.error?.code).toBe("ORIGIN_REJECTED");
      expect(result.status).toBe(403);
    }
    expect(await h.db.magicLinkChallenge.count()).toBe(0);
    expect(await h.db.outboxMessage.count()).toBe(0);
  });

  it("ends the old session when the same browser signs in again", async () => {
    const first = await signIn("again@example.com");
    const requested = await execute(h.deps, "AUTH.MAGIC_LINK.REQUEST", { email: "again@example.com" }, browser());
    const mail = await latestEmail(h.db, "again@example.com");
    const second = await execute(
      h.deps,
      "AUTH.MAGIC_LINK.REDEEM",
      { token: mail.token },
      browser({ bindingCookie: effect(requested.effects, "set-binding")?.value ?? null, sessionToken: first.token, sessionFromCookie: true }),
    );
    const newToken = effect(second.effects, "set-session")?.token ?? "";
    expect(newToken).not.toBe(first.token);
    expect(await findActiveSession(h.deps.store.sessions, h.clock, first.token)).toBeNull();
    expect(await findActiveSession(h.deps.store.sessions, h.clock, newToken)).not.toBeNull();
  });

  it("never adopts a session token planted before sign-in (session fixation)", async () => {
    // An attacker who could set this browser's cookie (a sibling subdomain, a shared machine) chose its value.
    const planted = "planted-by-someone-else-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const requested = await execute(h.deps, "AUTH.MAGIC_LINK.REQUEST", { email: "fixed@example.com" }, browser({ sessionToken: planted, sessionFromCookie: true }));
    const mail = await latestEmail(h.db, "fixed@example.com");
    const signedIn = await execute(
      h.deps,
      "AUTH.MAGIC_LINK.REDEEM",
      { token: mail.token },
      browser({ bindingCookie: effect(requested.effects, "set-binding")?.value ?? null, sessionToken: planted, sessionFromCookie: true }),
    );
    const issued = effect(signedIn.effects, "set-session")?.token ?? "";
    expect(issued).not.toBe("");
    expect(issued).not.toBe(planted);
    expect(await findActiveSession(h.deps.store.sessions, h.clock, planted)).toBeNull();
    expect(await findActiveSession(h.deps.store.sessions, h.clock, issued)).not.toBeNull();
  });

  it("signs out on the server and clears the cookie", async () => {
    const { token } = await signIn("bye@example.com");
    const revoked = await execute(h.deps, "AUTH.SESSION.REVOKE", {}, browser({ sessionToken: token, sessionFromCookie: true }));
    expect(revoked.envelope.ok).toBe(true);
    expect(effect(revoked.effects, "clear-session")).toBeDefined();
    expect(await findActiveSession(h.deps.store.sessions, h.clock, token)).toBeNull();
    const again = await execute(h.deps, "AUTH.SESSION.GET", {}, browser({ sessionToken: token, sessionFromCookie: true }));
    expect(again).toMatchObject({ status: 401, envelope: { error: { code: "UNAUTHENTICATED" } } });
    expect(effect(again.effects, "clear-session")).toBeDefined();
  });

  it("answers in the caller's language, with field errors as codes", async () => {
    const result = await execute(h.deps, "AUTH.MAGIC_LINK.REQUEST", { email: "a@x.com,b@y.com" }, browser({ locale: "es" }));
    expect(result.status).toBe(400);
    expect(result.envelope.error).toMatchObject({ code: "VALIDATION_FAILED", fields: { email: "EMAIL_INVALID" } });
    expect(result.envelope.error?.message).not.toBe("Please check what you entered.");
  });

  it("answers 503 without details when the database is unreachable", async () => {
    const db = brokenDb();
    const broken = { ...h.deps, db, store: authStoreFor(db, TEST_AUTH_STORE) };
    const result = await execute(broken, "AUTH.MAGIC_LINK.REDEEM", { token: "a".repeat(43) }, browser());
    expect(result).toMatchObject({ status: 503, envelope: { ok: false, error: { code: "SERVICE_UNAVAILABLE" } } });
    expect(JSON.stringify(result.envelope)).not.toMatch(/ECONNREFUSED|at .*\.ts|node_modules|Error:/);
  });

  if (provider === "sqlite") {
    it("answers 503 and writes nothing when the disk is full", async () => {
      const { client } = (await hotPath(h.db).rateLimiterStore()) as { client: SqliteStoreClient };
      const database = client.prepare("SELECT 1").database;
      // Use up the free pages the migrations left, then let the file grow by
      // no page at all: the email row (which needs an overflow page) fails with SQLITE_FULL.
      database.exec("CREATE TABLE filler (bytes BLOB)");
      const free = Number(database.pragma("freelist_count", { simple: true }));
      database.prepare("INSERT INTO filler VALUES (zeroblob(?))").run(Math.max(free, 1) * 4096);
      // Both connections to the file (the hot path's and Prisma's) get the cap: either store may write.
      const cap = Number(database.pragma("page_count", { simple: true }));
      database.pragma(`max_page_count = ${cap}`);
      await h.db.$queryRawUnsafe(`PRAGMA max_page_count = ${cap}`);
      const result = await execute(h.deps, "AUTH.MAGIC_LINK.REQUEST", { email: "full@example.com" }, browser());
      expect(result).toMatchObject({ status: 503, envelope: { ok: false, error: { code: "SERVICE_UNAVAILABLE" } } });
      expect(JSON.stringify(result.envelope)).not.toMatch(/SQLITE|disk|at .*\.ts/);
      database.pragma("max_page_count = 1073741823");
      await h.db.$queryRawUnsafe("PRAGMA max_page_count = 1073741823");
      expect(await h.db.magicLinkChallenge.count()).toBe(0);
      expect(await h.db.outboxMessage.count()).toBe(0);
    });
  }

  it("writes a state-changing command's event before answering, and batches only reads", async () => {
    const { token } = await signIn("audited@example.com");
    // No flush: the request and the redemption are on record as soon as they answer.
    const written = await h.db.authEvent.findMany({ select: { command: true, outcome: true } });
    expect(written).toEqual(
      expect.arrayContaining([
        { command: "AUTH.MAGIC_LINK.REQUEST", outcome: "ok" },
        { command: "AUTH.MAGIC_LINK.REDEEM", outcome: "ok" },
      ]),
    );
    const check = await execute(h.deps, "AUTH.SESSION.GET", {}, browser({ sessionToken: token, sessionFromCookie: true }));
    expect(check.envelope.ok).toBe(true);
    expect(await h.db.authEvent.count({ where: { command: "AUTH.SESSION.GET" } })).toBe(0);
    await h.deps.audit.flush();
    expect(await h.db.authEvent.count({ where: { command: "AUTH.SESSION.GET" } })).toBe(1);
  });

  it("answers 503 when a state-changing command's event cannot be written", async () => {
    // The suite's own database, dropped after the test: nothing to rename back.
    await h.db.$executeRawUnsafe(`ALTER TABLE "AuthEvent" RENAME TO "AuthEventGone"`);
    const result = await execute(h.deps, "AUTH.MAGIC_LINK.REQUEST", { email: "unrecorded@example.com" }, browser());
    expect(result).toMatchObject({ status: 503, envelope: { ok: false, error: { code: "SERVICE_UNAVAILABLE" } } });
    // No cookie for a request the service could not stand behind.
    expect(result.effects).toEqual([]);
    expect(JSON.stringify(result.envelope)).not.toMatch(/AuthEvent|no such table|relation|at .*\.ts/);
  });

  it("fails closed when the rate-limit store is down: no challenge, no email", async () => {
    const broken = { ...h.deps, limits: databaseRateLimits(brokenDb()) };
    const result = await execute(broken, "AUTH.MAGIC_LINK.REQUEST", { email: "closed@example.com" }, browser());
    expect(result).toMatchObject({ status: 503, envelope: { error: { code: "SERVICE_UNAVAILABLE" } } });
    expect(await h.db.magicLinkChallenge.count()).toBe(0);
    expect(await h.db.outboxMessage.count()).toBe(0);
  });
});

/** A real client for a database server that is not there: every call is refused. */
function brokenDb(): Harness["db"] {
  // Port 9 (discard) has no listener here, so connecting fails at once with ECONNREFUSED.
  const db = createDb("postgresql://trustladder@127.0.0.1:9/gone", { poolSize: 1 });
  onTestFinished(() => closeDb(db).catch(() => undefined));
  return db;
}
