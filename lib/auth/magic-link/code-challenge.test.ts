import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BINDING_BYTES, LINK_TOKEN_BYTES, randomToken, sha256Hex } from "../core/secrets";
import { PROVIDERS, createHarness, requestContext, runCommand, signInByEmail, wrongCode, type Harness } from "../testing/harness";
import { issueCodeChallenge } from "./code-challenge";
import { addressOfLink, inspectMagicLink, requestMagicLink } from "./magic-link";
import { redeemMagicLink, verifyEmailCode } from "./magic-link-redemption";

const noEmail = async () => ({ subject: "code", html: "<p>code</p>", text: "code", template: "reauth-code" });

/**
 * A re-confirmation code is a challenge of the one store with its own
 * purpose: no link token, no binding, and nothing that reads links or
 * bindings can reach it.
 */
describe.each(PROVIDERS)("code-only challenges on %s", (provider) => {
  let h: Harness;
  let people = 0;
  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  async function signedIn() {
    const email = `code-only-${++people}@example.com`;
    return { email, token: await signInByEmail(h, email) };
  }

  async function requestReauth(token: string, email: string) {
    const requested = await runCommand(h, "AUTH.REAUTH.REQUEST", {}, { sessionToken: token });
    expect(requested.ok).toBe(true);
    const challengeId = requested.data.challengeId as string;
    const message = await h.db.outboxMessage.findFirstOrThrow({ where: { to: email, challengeId } });
    const code = message.text.match(/^\s*([0-9]{6})\s*$/m)?.[1] ?? "";
    return { challengeId, code };
  }

  it("stores a re-confirmation code with no link token and no binding", async () => {
    const { email, token } = await signedIn();
    const { challengeId } = await requestReauth(token, email);
    const row = await h.db.magicLinkChallenge.findUniqueOrThrow({ where: { id: challengeId } });
    expect(row).toMatchObject({ purpose: "reauth", tokenHash: null, bindingHash: null, status: "pending" });
    expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
    // Many of them live side by side: NULLs do not collide in the unique index.
    await requestReauth(token, email);
    expect(await h.db.magicLinkChallenge.count({ where: { email, purpose: "reauth", tokenHash: null } })).toBe(2);
  });

  it("lets no link token reach a re-confirmation challenge, not even one whose row carried a token", async () => {
    const { email, token } = await signedIn();
    const { challengeId } = await requestReauth(token, email);
    const context = requestContext();
    const anyToken = randomToken(LINK_TOKEN_BYTES);
    expect(await redeemMagicLink(h.deps, { token: anyToken, binding: randomToken(BINDING_BYTES), context })).toMatchObject({
      code: "TOKEN_INVALID",
    });

    // A row written before the link columns became optional had a random
    // (never sent) token and binding. Suppose one leaked: still no sign-in.
    const leakedToken = randomToken(LINK_TOKEN_BYTES);
    const leakedBinding = randomToken(BINDING_BYTES);
    await h.db.magicLinkChallenge.update({
      where: { id: challengeId },
      data: { tokenHash: sha256Hex(leakedToken), bindingHash: sha256Hex(leakedBinding) },
    });
    expect(await inspectMagicLink(h.deps, leakedToken, leakedBinding)).toEqual({ state: "invalid" });
    // Nor can a page holding it learn the address to ask a fresh link for.
    expect(await addressOfLink(h.deps, leakedToken)).toBeNull();
    expect(await redeemMagicLink(h.deps, { token: leakedToken, binding: leakedBinding, context })).toMatchObject({
      code: "TOKEN_INVALID",
    });
    expect(await h.db.magicLinkChallenge.findUniqueOrThrow({ where: { id: challengeId } })).toMatchObject({ status: "pending" });
    expect(await h.db.session.count({ where: { user: { email } } })).toBe(1);
  });

  it("leaves one code, still counting the earlier wrong ones, when an account's requests race", async () => {
    const { email, token } = await signedIn();
    const first = await requestReauth(token, email);
    for (let i = 1; i <= 3; i++) {
      await runCommand(h, "AUTH.REAUTH.VERIFY", { challengeId: first.challengeId, code: wrongCode(first.code, i) }, { sessionToken: token });
    }
    const user = await h.db.user.findUniqueOrThrow({ where: { email } });
    const issue = () => issueCodeChallenge(h.deps, { purpose: "reauth", email, userId: user.id, locale: "en" }, noEmail);

    // Straight to the store (past the per-account request limit). On
    // PostgreSQL the two requests are made to overlap for certain: a third
    // transaction holds the earlier code's row until both are waiting on a
    // lock, each having read what it replaces (without the account lock) or
    // one waiting for the other (with it). SQLite runs them one at a time.
    const raced =
      provider === "postgresql"
        ? await whileRowHeld(first.challengeId, () => Promise.all([issue(), issue()]), 2)
        : await Promise.all([issue(), issue()]);
    expect(raced.every((issued) => issued !== null)).toBe(true);
    const pending = await h.db.magicLinkChallenge.findMany({ where: { email, purpose: "reauth", status: "pending" } });
    expect(pending).toHaveLength(1);
    expect(pending[0].failedCodeAttempts).toBe(3);
  });

  /**
   * Runs `race` while a transaction of its own connection (the harness's
   * pool is left to the racers) holds a challenge's row, and lets go once
   * `waiting` sessions of this database wait on a lock.
   */
  async function whileRowHeld<T>(challengeId: string, race: () => Promise<T>, waiting: number): Promise<T> {
    const [{ name }] = await h.db.$queryRaw<{ name: string }[]>`SELECT current_database() AS "name"`;
    const url = new URL(process.env.TEST_POSTGRES_URL ?? "");
    url.pathname = `/${name}`;
    const holder = new pg.Client({ connectionString: url.href });
    const watcher = new pg.Client({ connectionString: url.href });
    await Promise.all([holder.connect(), watcher.connect()]);
    try {
      await holder.query("BEGIN");
      await holder.query(`SELECT "id" FROM "MagicLinkChallenge" WHERE "id" = $1 FOR UPDATE`, [challengeId]);
      const racing = race();
      // One round trip per check, no timer: the test's own timeout bounds it.
      while ((await sessionsWaitingOnLocks(watcher)) < waiting);
      await holder.query("COMMIT");
      return await racing;
    } finally {
      await Promise.all([holder.end(), watcher.end()]);
    }
  }

  async function sessionsWaitingOnLocks(watcher: pg.Client): Promise<number> {
    const { rows } = await watcher.query<{ waiting: number }>(
      `SELECT count(*)::int AS "waiting" FROM pg_stat_activity
       WHERE "datname" = current_database() AND "wait_event_type" = 'Lock'`,
    );
    return rows[0].waiting;
  }

  it("keeps purposes apart: a new sign-in link voids no re-confirmation code, nor the reverse", async () => {
    const { email, token } = await signedIn();
    const reauth = await requestReauth(token, email);
    const link = await requestMagicLink(h.deps, { email, locale: "en", callbackPath: "/", context: requestContext() });
    if (!link.ok) throw new Error(link.code);
    await requestMagicLink(h.deps, { email, locale: "en", callbackPath: "/", context: requestContext(), binding: link.value.binding });
    expect(await h.db.magicLinkChallenge.findUniqueOrThrow({ where: { id: reauth.challengeId } })).toMatchObject({ status: "pending" });

    const newer = await requestReauth(token, email);
    const linkRows = await h.db.magicLinkChallenge.findMany({ where: { email, purpose: "sign_in", status: "pending" } });
    expect(linkRows).toHaveLength(1);
    // The re-confirmation code works for what it is for, and only that.
    const context = requestContext();
    expect(await verifyEmailCode(h.deps, { challengeId: newer.challengeId, code: newer.code, context })).toMatchObject({
      code: "TOKEN_INVALID",
    });
    expect(
      await runCommand(h, "AUTH.REAUTH.VERIFY", { challengeId: newer.challengeId, code: newer.code }, { sessionToken: token }),
    ).toMatchObject({ ok: true });
  });

  it("issues nothing for an account that no longer exists", async () => {
    const issued = await issueCodeChallenge(
      h.deps,
      { purpose: "reauth", email: "gone@example.com", userId: "no-such-user", locale: "en" },
      noEmail,
    );
    expect(issued).toBeNull();
    expect(await h.db.magicLinkChallenge.count({ where: { email: "gone@example.com" } })).toBe(0);
    expect(await h.db.outboxMessage.count({ where: { to: "gone@example.com" } })).toBe(0);
  });
});
