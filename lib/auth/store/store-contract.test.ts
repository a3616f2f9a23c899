import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newRowId } from "../../db/ids";
import type { NewOutboxEmail } from "../../delivery/outbox-store";
import { createHarness, type Harness } from "../testing/harness";
import { STORE_CASES } from "../testing/store-cases";
import type { AuthStore, NewCodeChallenge, NewSessionRow, NewSignInChallenge } from "./types";

/**
 * The store contract: what every implementation of lib/auth/store/types.ts
 * promises, run against each (the Prisma reference and the SQL one) on each
 * database. The rows are read back through Prisma, the way Auth.js and the
 * rest of the app read them, so an implementation that writes a column
 * another way (a time zone, a lost millisecond, a forgotten column after a
 * schema change) fails here.
 */

describe.each(STORE_CASES)("auth store on %s, %s implementation", (provider, kind) => {
  let h: Harness;
  let store: AuthStore;
  beforeEach(async () => {
    h = await createHarness(provider, { store: kind });
    store = h.deps.store;
  });
  afterEach(async () => {
    await h.close();
  });

  // Milliseconds that are not round, so a lost fraction or a time-zone shift shows.
  const at = (iso: string) => new Date(iso);
  const NOW = at("2026-03-29T02:00:00.457Z");

  function signInChallenge(email: string, bindingHash = "binding-hash"): NewSignInChallenge {
    return {
      id: newRowId(),
      email,
      tokenHash: randomUUID(),
      codeHash: "code-hash",
      bindingHash,
      locale: "es",
      callbackPath: "/files",
      requestUserAgent: "Firefox · Windows",
      requestCountry: null,
      createdAt: at("2026-03-29T01:59:59.123Z"),
      expiresAt: at("2026-03-29T02:09:59.123Z"),
    };
  }

  function email(to: string, challengeId: string, transport: string | null = "resend"): NewOutboxEmail {
    return {
      id: newRowId(),
      to,
      subject: "Sign in",
      text: "text",
      html: "<p>html</p>",
      locale: "es",
      template: "magic-link",
      challengeId,
      transport,
      sentAt: null,
      createdAt: at("2026-03-29T01:59:59.123Z"),
      nextAttemptAt: at("2026-03-29T02:00:29.123Z"),
    };
  }

  function session(): NewSessionRow {
    return {
      id: newRowId(),
      tokenHash: randomUUID(),
      aal: 1,
      methods: "[]",
      userAgentClass: "desktop: Firefox · Windows",
      country: "ES",
      createdAt: NOW,
      expires: at("2026-04-05T02:00:00.457Z"),
      absoluteExpiresAt: at("2026-04-28T02:00:00.457Z"),
      // Not the defaults, so that both implementations are seen writing them.
      restricted: true,
      latitude: 40.4168,
      longitude: -3.7038,
    };
  }

  const redemption = (challenge: NewSignInChallenge, overrides: { now?: Date; codeAttemptReserved?: boolean } = {}) => ({
    challengeId: challenge.id,
    now: overrides.now ?? NOW,
    codeAttemptReserved: overrides.codeAttemptReserved ?? false,
    email: challenge.email,
    locale: "es",
    newUserId: newRowId(),
    session: session(),
  });

  describe("email challenges", () => {
    it("writes rows that Prisma reads back with the same times, to the millisecond", async () => {
      const issued = signInChallenge("times@example.com");
      const mail = email("times@example.com", issued.id);
      await store.emailChallenges.issueSignIn(issued, mail);
      const redeeming = redemption(issued);
      expect(await store.emailChallenges.redeemSignIn(redeeming)).toMatchObject({ isNewUser: true });

      const row = await h.db.magicLinkChallenge.findUniqueOrThrow({ where: { id: issued.id } });
      expect(row).toMatchObject({ status: "redeemed", purpose: "sign_in", expiresAt: issued.expiresAt, redeemedAt: NOW, createdAt: issued.createdAt });
      const queued = await h.db.outboxMessage.findUniqueOrThrow({ where: { id: mail.id } });
      expect(queued).toMatchObject({ status: "pending", attempts: 1, transport: "resend", nextAttemptAt: mail.nextAttemptAt });
      const stored = await h.db.session.findUniqueOrThrow({ where: { id: redeeming.session.id }, include: { user: true } });
      expect(stored).toMatchObject({
        sessionToken: redeeming.session.tokenHash,
        expires: redeeming.session.expires,
        absoluteExpiresAt: redeeming.session.absoluteExpiresAt,
        createdAt: NOW,
        lastSeenAt: NOW,
        passkeyId: null,
        restricted: true,
        latitude: 40.4168,
        longitude: -3.7038,
        user: { id: redeeming.newUserId, email: "times@example.com", locale: "es", emailVerified: NOW, role: "user" },
      });
      expect(await store.sessions.findByTokenHash(redeeming.session.tokenHash)).toEqual({
        id: redeeming.session.id,
        aal: 1,
        methods: "[]",
        userAgentClass: "desktop: Firefox · Windows",
        country: "ES",
        createdAt: NOW,
        lastSeenAt: NOW,
        expires: redeeming.session.expires,
        absoluteExpiresAt: redeeming.session.absoluteExpiresAt,
        restricted: true,
        // A new session starts unbound; the browser's first device proof binds it.
        binding: "none",
        deviceId: null,
        proofDueAt: null,
        user: { id: redeeming.newUserId, email: "times@example.com", role: "user", locale: "es" },
      });
      expect(await store.emailChallenges.findByTokenHash(issued.tokenHash)).toEqual({
        id: issued.id,
        email: issued.email,
        purpose: "sign_in",
        status: "redeemed",
        expiresAt: issued.expiresAt,
        bindingHash: issued.bindingHash,
        codeHash: issued.codeHash,
        failedCodeAttempts: 0,
        locale: "es",
        callbackPath: "/files",
      });
    });

    it("redeems a challenge once, refreshing an existing account instead of creating another", async () => {
      const user = await h.db.user.create({ data: { email: "known@example.com", locale: "en" } });
      const issued = signInChallenge("known@example.com");
      await store.emailChallenges.issueSignIn(issued, email("known@example.com", issued.id));
      expect(await h.db.magicLinkChallenge.findUniqueOrThrow({ where: { id: issued.id } })).toMatchObject({ userId: user.id });
      const results = await Promise.all(Array.from({ length: 5 }, () => store.emailChallenges.redeemSignIn(redemption(issued))));
      expect(results.filter((result) => result !== null)).toEqual([{ userId: user.id, isNewUser: false }]);
      expect(await h.db.session.count({ where: { userId: user.id } })).toBe(1);
      expect(await h.db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ locale: "es", emailVerified: NOW });
    });

    it("makes one account when two first sign-ins of one address redeem at once", async () => {
      const first = signInChallenge("twice@example.com", "binding-a");
      const second = signInChallenge("twice@example.com", "binding-b");
      await store.emailChallenges.issueSignIn(first, email("twice@example.com", first.id));
      await store.emailChallenges.issueSignIn(second, email("twice@example.com", second.id));
      const [a, b] = await Promise.all([
        store.emailChallenges.redeemSignIn(redemption(first)),
        store.emailChallenges.redeemSignIn(redemption(second)),
      ]);
      expect(a?.userId).toBe(b?.userId);
      expect([a?.isNewUser, b?.isNewUser].sort()).toEqual([false, true]);
      expect(await h.db.user.count({ where: { email: "twice@example.com" } })).toBe(1);
    });

    it("voids only the same browser's pending links, carrying their wrong-code count", async () => {
      const mine = signInChallenge("voids@example.com", "mine");
      const theirs = signInChallenge("voids@example.com", "theirs");
      await store.emailChallenges.issueSignIn(mine, email("voids@example.com", mine.id));
      await store.emailChallenges.issueSignIn(theirs, email("voids@example.com", theirs.id));
      await store.emailChallenges.reserveCodeAttempt(mine.id, NOW, 5);
      await store.emailChallenges.reserveCodeAttempt(mine.id, NOW, 5);

      const again = signInChallenge("voids@example.com", "mine");
      await store.emailChallenges.issueSignIn(again, email("voids@example.com", again.id));
      expect(await store.emailChallenges.findById(mine.id)).toMatchObject({ status: "voided" });
      expect(await store.emailChallenges.findById(theirs.id)).toMatchObject({ status: "pending", failedCodeAttempts: 0 });
      expect(await store.emailChallenges.findById(again.id)).toMatchObject({ status: "pending", failedCodeAttempts: 2 });
    });

    it("writes nothing, and voids nothing, when a link request fails halfway", async () => {
      const first = signInChallenge("halfway@example.com");
      const firstEmail = email("halfway@example.com", first.id);
      await store.emailChallenges.issueSignIn(first, firstEmail);

      // The second request's email row reuses an id, so its last insert fails.
      const second = signInChallenge("halfway@example.com");
      await expect(
        store.emailChallenges.issueSignIn(second, { ...email("halfway@example.com", second.id), id: firstEmail.id }),
      ).rejects.toThrow();

      expect(await h.db.magicLinkChallenge.findUniqueOrThrow({ where: { id: first.id } })).toMatchObject({ status: "pending" });
      expect(await h.db.magicLinkChallenge.count({ where: { id: second.id } })).toBe(0);
      expect(await h.db.outboxMessage.count({ where: { to: "halfway@example.com" } })).toBe(1);
    });

    it("writes nothing when the challenge is no longer redeemable", async () => {
      const issued = signInChallenge("late@example.com");
      await store.emailChallenges.issueSignIn(issued, email("late@example.com", issued.id));
      // Expiry is exclusive.
      expect(await store.emailChallenges.redeemSignIn(redemption(issued, { now: issued.expiresAt }))).toBeNull();
      expect(await h.db.user.count({ where: { email: "late@example.com" } })).toBe(0);
      expect(await h.db.session.count()).toBe(0);
    });

    it("writes nothing of a sign-in whose audit event cannot be stored", async () => {
      const issued = signInChallenge("audited@example.com");
      await store.emailChallenges.issueSignIn(issued, email("audited@example.com", issued.id));
      const clash = newRowId();
      await store.audit.insert([auditRow(clash)]);
      const redeeming = { ...redemption(issued), audit: () => auditRow(clash) }; // a duplicate id: the insert fails
      await expect(store.emailChallenges.redeemSignIn(redeeming)).rejects.toThrow();
      expect(await store.emailChallenges.findById(issued.id)).toMatchObject({ status: "pending" });
      expect(await h.db.user.count({ where: { email: "audited@example.com" } })).toBe(0);
      expect(await h.db.session.count()).toBe(0);
    });

    it("reserves a code attempt only while the challenge is pending, unexpired and below the limit", async () => {
      const issued = signInChallenge("attempts@example.com");
      await store.emailChallenges.issueSignIn(issued, email("attempts@example.com", issued.id));
      const taken = await Promise.all(Array.from({ length: 5 }, () => store.emailChallenges.reserveCodeAttempt(issued.id, NOW, 3)));
      expect(taken.sort()).toEqual([1, 2, 3, null, null]);
      expect(await store.emailChallenges.reserveCodeAttempt(issued.id, issued.expiresAt, 5)).toBeNull(); // expiry is exclusive

      // A right code's redemption gives its attempt back.
      expect(await store.emailChallenges.redeemSignIn(redemption(issued, { codeAttemptReserved: true }))).not.toBeNull();
      expect(await store.emailChallenges.findById(issued.id)).toMatchObject({ failedCodeAttempts: 2 });
      expect(await store.emailChallenges.reserveCodeAttempt(issued.id, NOW, 5)).toBeNull();
    });

    it("issues code-only challenges by purpose: one live code per account, never found by a link", async () => {
      const user = await h.db.user.create({ data: { email: "codes@example.com" } });
      const code = (): NewCodeChallenge => ({
        id: newRowId(),
        purpose: "reauth",
        email: user.email,
        userId: user.id,
        codeHash: "code-hash",
        locale: "en",
        createdAt: NOW,
        expiresAt: at("2026-03-29T02:10:00.457Z"),
      });
      const first = code();
      expect(await store.emailChallenges.issueCode(first, email(user.email, first.id, null))).toBe(true);
      await store.emailChallenges.reserveCodeAttempt(first.id, NOW, 5);
      const racing = [code(), code()];
      await Promise.all(racing.map((challenge) => store.emailChallenges.issueCode(challenge, email(user.email, challenge.id, null))));

      const rows = await h.db.magicLinkChallenge.findMany({ where: { email: user.email } });
      expect(rows.filter((row) => row.status === "pending")).toHaveLength(1);
      expect(rows.every((row) => row.purpose === "reauth" && row.tokenHash === null && row.bindingHash === null)).toBe(true);
      expect(rows.find((row) => row.status === "pending")?.failedCodeAttempts).toBe(1);
      expect(await h.db.outboxMessage.findFirstOrThrow({ where: { challengeId: first.id } })).toMatchObject({ attempts: 0, transport: null });

      const gone = { ...code(), userId: "no-such-account" };
      expect(await store.emailChallenges.issueCode(gone, email(user.email, gone.id, null))).toBe(false);
      expect(await h.db.magicLinkChallenge.count({ where: { id: gone.id } })).toBe(0);

      const live = rows.find((row) => row.status === "pending")!;
      const consumed = await Promise.all([live.id, live.id].map((id) => store.emailChallenges.consumeByCode(id, NOW)));
      expect(consumed.sort()).toEqual([false, true]);
      expect(await store.emailChallenges.findById(live.id)).toMatchObject({ status: "redeemed", failedCodeAttempts: 0 });
    });

    it("deletes only what expired before the cut-off", async () => {
      const old = signInChallenge("old@example.com");
      await store.emailChallenges.issueSignIn(old, email("old@example.com", old.id));
      expect(await store.emailChallenges.deleteExpiredBefore(old.expiresAt)).toBe(0);
      expect(await store.emailChallenges.deleteExpiredBefore(new Date(old.expiresAt.getTime() + 1))).toBe(1);
    });
  });

  describe("accounts", () => {
    it("finds an account by its exact address, with its role, and nothing for another", async () => {
      const address = `${randomUUID()}@example.com`;
      const user = await h.db.user.create({ data: { email: address, role: "admin" } });
      expect(await store.accounts.findByEmail(address)).toEqual({ id: user.id, email: address, role: "admin" });
      expect(await store.accounts.findByEmail(address.toUpperCase())).toBeNull();
      expect(await store.accounts.findByEmail(`other-${address}`)).toBeNull();
    });
  });

  describe("sessions", () => {
    async function userWithSessions(count: number, passkeyId: string | null = null) {
      const user = await h.db.user.create({ data: { email: `${randomUUID()}@example.com` } });
      const rows = Array.from({ length: count }, () => session());
      for (const row of rows) await store.sessions.insert({ ...row, userId: user.id, passkeyId });
      return { user, rows };
    }

    it("lists an account's sign-ins since a time, newest first, at most as many as asked", async () => {
      const user = await h.db.user.create({ data: { email: `${randomUUID()}@example.com` } });
      const other = await h.db.user.create({ data: { email: `${randomUUID()}@example.com` } });
      const started = ["2026-03-01T00:00:00.000Z", "2026-03-20T00:00:00.000Z", "2026-03-25T00:00:00.000Z", "2026-03-28T00:00:00.000Z"];
      for (const [index, createdAt] of started.entries()) {
        const row = { ...session(), createdAt: at(createdAt), country: `C${index}`, latitude: index, longitude: -index };
        await store.sessions.insert({ ...row, userId: user.id, passkeyId: null });
      }
      await store.sessions.insert({ ...session(), userId: other.id, passkeyId: null });

      const recent = await store.sessions.listRecentSignIns(user.id, at("2026-03-10T00:00:00.000Z"), 2);
      expect(recent).toEqual([
        { createdAt: at(started[3]), userAgentClass: "desktop: Firefox · Windows", country: "C3", latitude: 3, longitude: -3 },
        { createdAt: at(started[2]), userAgentClass: "desktop: Firefox · Windows", country: "C2", latitude: 2, longitude: -2 },
      ]);
      expect(await store.sessions.listRecentSignIns(user.id, at("2026-03-29T00:00:00.000Z"), 10)).toEqual([]);
    });

    it("finds, slides, rotates and ends a session", async () => {
      const { user, rows } = await userWithSessions(1);
      const [row] = rows;
      expect(await store.sessions.findById(row.id)).toMatchObject({ id: row.id, user: { id: user.id } });
      const later = at("2026-03-29T03:00:00.001Z");
      const expires = at("2026-04-05T03:00:00.001Z");
      await store.sessions.touch(row.id, later, expires);
      await store.sessions.touch("no-such-session", later, expires); // not an error
      expect(await store.sessions.findByTokenHash(row.tokenHash)).toMatchObject({ lastSeenAt: later, expires });

      expect(await store.sessions.replaceToken(row.id, { tokenHash: "rotated", methods: '[{"method":"passkey"}]' })).toBe(true);
      expect(await store.sessions.findByTokenHash(row.tokenHash)).toBeNull();
      expect(await store.sessions.findByTokenHash("rotated")).toMatchObject({ id: row.id, methods: '[{"method":"passkey"}]' });
      expect(await store.sessions.replaceToken("no-such-session", { tokenHash: "x", methods: "[]" })).toBe(false);
      // A step-up: a new token, the methods kept, the restriction lifted.
      expect(await store.sessions.replaceToken(row.id, { tokenHash: "stepped-up", restricted: false })).toBe(true);
      expect(await store.sessions.findByTokenHash("stepped-up")).toMatchObject({ methods: '[{"method":"passkey"}]', restricted: false });

      expect(await store.sessions.deleteByTokenHash("rotated")).toBeNull();
      expect(await store.sessions.deleteByTokenHash("stepped-up")).toBe(row.id);
      expect(await store.sessions.deleteByTokenHash("stepped-up")).toBeNull();
    });

    it("ends and counts another account's sessions never, and the kept one never", async () => {
      const { user, rows } = await userWithSessions(3);
      const bystander = await userWithSessions(1);
      const [kept] = rows;
      expect(await store.sessions.countOthersActive(user.id, kept.id, NOW)).toBe(2);
      expect(await store.sessions.countOthersActive(user.id, kept.id, rows[1].expires)).toBe(0); // expiry is exclusive
      expect(await store.sessions.deleteOthers(user.id, kept.id)).toBe(2);
      expect(await h.db.session.count({ where: { userId: user.id } })).toBe(1);
      expect(await h.db.session.count({ where: { userId: bystander.user.id } })).toBe(1);
    });

    it("ends the sessions a passkey signed in, keeping the asking one without it", async () => {
      const passkeyId = newRowId();
      const { user, rows } = await userWithSessions(3, passkeyId);
      const [kept] = rows;
      await store.sessions.insert({ ...session(), userId: user.id, passkeyId: null });
      expect(await store.sessions.deleteCreatedByPasskey(user.id, passkeyId, kept.id)).toBe(2);
      expect(await h.db.session.findUniqueOrThrow({ where: { id: kept.id } })).toMatchObject({ passkeyId: null });
      expect(await h.db.session.count({ where: { userId: user.id } })).toBe(2);
    });

    it("binds a session to a device, reads the binding back, and ends a device's sessions", async () => {
      const { user, rows } = await userWithSessions(2, null);
      const [bound, unbound] = rows;
      const deviceId = newRowId();
      await store.devices.insert({ id: deviceId, userId: user.id, publicKey: "{}", name: "Chrome · Android", createdAt: NOW, country: "ES" }, { maxActive: 20 });
      const proofDueAt = at("2026-03-29T02:10:00.457Z");
      expect(await store.sessions.bind(bound.id, { binding: "device-key", deviceId, proofDueAt }, { deviceId: null })).toBe(true);
      expect(await store.sessions.bind("gone", { binding: "device-key", deviceId, proofDueAt }, { deviceId: null })).toBe(false);
      // Bound meanwhile: a second binding that read it unbound loses.
      expect(await store.sessions.bind(bound.id, { binding: "dbsc", deviceId: "another", proofDueAt }, { deviceId: null })).toBe(false);
      expect(await store.sessions.findByTokenHash(bound.tokenHash)).toMatchObject({ binding: "device-key", deviceId, proofDueAt });
      expect(await store.sessions.findByTokenHash(unbound.tokenHash)).toMatchObject({ binding: "none", deviceId: null, proofDueAt: null });
      const listed = await store.sessions.listActiveForUser(user.id, NOW);
      expect(listed.find((row) => row.id === bound.id)).toMatchObject({ binding: "device-key", deviceName: "Chrome · Android" });
      expect(listed.find((row) => row.id === unbound.id)).toMatchObject({ binding: "none", deviceName: null });
      expect(await store.sessions.deleteForDevice("someone-else", deviceId)).toBe(0);
      expect(await store.sessions.deleteForDevice(user.id, deviceId)).toBe(1);
      expect(await store.sessions.findById(unbound.id)).not.toBeNull();
    });


    it("records a session proof all at once: the binding, the device's last use and its trust, or nothing", async () => {
      const { user, rows } = await userWithSessions(2, null);
      const [first, second] = rows;
      const device = async () => {
        const id = newRowId();
        await store.devices.insert({ id, userId: user.id, publicKey: "{}", name: "Chrome · Android", createdAt: NOW, country: null }, { maxActive: 20 });
        return id;
      };
      const [phone, laptop] = [await device(), await device()];
      const later = at("2026-03-29T02:03:00.457Z");
      const proofDueAt = at("2026-03-29T02:13:00.457Z");
      const proof = { sessionId: first.id, userId: user.id, deviceId: phone, binding: "device-key" as const, fromDeviceId: null, proofDueAt, at: later, country: "PT", trust: true };

      // Two devices racing to bind one unbound session: one wins, the other writes nothing.
      const racing = await Promise.all([
        store.devices.recordSessionProof(proof),
        store.devices.recordSessionProof({ ...proof, deviceId: laptop, country: "FR" }),
      ]);
      expect(racing.filter((outcome) => outcome.bound)).toHaveLength(1);
      const winner = racing[0].bound ? phone : laptop;
      const loser = winner === phone ? laptop : phone;
      expect(await store.sessions.findById(first.id)).toMatchObject({ binding: "device-key", deviceId: winner, proofDueAt });
      expect(await store.devices.findForUser(winner, user.id)).toMatchObject({ lastSeenAt: later, trust: "trusted", trustedAt: later });
      expect(await store.devices.findForUser(loser, user.id)).toMatchObject({ lastSeenAt: NOW, country: null, trust: "new", trustedAt: null });

      // The next proof renews the binding; a trusted device stays trusted from when it first was.
      const next = at("2026-03-29T02:13:00.457Z");
      const renewed = { ...proof, deviceId: winner, fromDeviceId: winner, at: next, proofDueAt: at("2026-03-29T02:23:00.457Z") };
      expect(await store.devices.recordSessionProof(renewed)).toEqual({ bound: true, trustedNow: false });
      expect(await store.devices.findForUser(winner, user.id)).toMatchObject({ lastSeenAt: next, trustedAt: later });
      // Read as bound to another device, another account's, or gone: nothing written.
      expect(await store.devices.recordSessionProof({ ...renewed, fromDeviceId: loser })).toEqual({ bound: false });
      expect(await store.devices.recordSessionProof({ ...renewed, userId: "someone-else" })).toEqual({ bound: false });
      expect(await store.devices.recordSessionProof({ ...renewed, sessionId: "gone" })).toEqual({ bound: false });
      expect(await store.devices.recordSessionProof({ ...proof, sessionId: second.id, deviceId: loser, trust: false, at: next })).toEqual({
        bound: true,
        trustedNow: false,
      });
      expect(await store.devices.findForUser(loser, user.id)).toMatchObject({ lastSeenAt: next, trust: "new" });
      expect(await store.sessions.findById(first.id)).toMatchObject({ deviceId: winner, proofDueAt: renewed.proofDueAt });
    });
  });

  describe("devices", () => {
    it("keeps an account's devices to it, trusts, renames and revokes each once", async () => {
      const owner = await h.db.user.create({ data: { email: "device-owner@example.com" } });
      const other = await h.db.user.create({ data: { email: "device-other@example.com" } });
      const id = newRowId();
      await store.devices.insert({ id, userId: owner.id, publicKey: '{"kty":"EC"}', name: "Firefox · Linux", createdAt: NOW, country: null }, { maxActive: 20 });
      expect(await store.devices.findForUser(id, other.id)).toBeNull();
      expect(await store.devices.findForUser(id, owner.id)).toEqual({
        id,
        userId: owner.id,
        publicKey: '{"kty":"EC"}',
        name: "Firefox · Linux",
        trust: "new",
        createdAt: NOW,
        lastSeenAt: NOW,
        country: null,
        trustedAt: null,
        revokedAt: null,
      });
      const later = at("2026-03-29T03:00:00.457Z");
      expect(await store.devices.markTrusted(id, other.id, later)).toBe(false);
      expect(await store.devices.markTrusted(id, owner.id, later)).toBe(true);
      expect(await store.devices.rename(id, other.id, "Theirs")).toBe(false);
      expect(await store.devices.rename(id, owner.id, "Laptop")).toBe(true);
      expect(await store.devices.listForUser(owner.id)).toEqual([
        expect.objectContaining({ id, name: "Laptop", trust: "trusted", trustedAt: later, lastSeenAt: NOW, country: null }),
      ]);
      expect(await store.devices.countActiveForUser(owner.id)).toBe(1);

      const revoked = await Promise.all([store.devices.revoke(id, owner.id, later), store.devices.revoke(id, owner.id, later)]);
      expect(revoked.filter(Boolean)).toHaveLength(1);
      expect(await store.devices.countActiveForUser(owner.id)).toBe(0);
      // Revoked is for good: neither trusted nor renamed again.
      expect(await store.devices.markTrusted(id, owner.id, later)).toBe(false);
      expect(await store.devices.rename(id, owner.id, "Back")).toBe(false);
      expect(await store.devices.findForUser(id, owner.id)).toMatchObject({ trust: "revoked", revokedAt: later });
    });
  });

  describe("WebAuthn challenges and passkeys", () => {
    it("spends a challenge once however many race for it, and never after its expiry", async () => {
      const row = {
        id: newRowId(),
        purpose: "step_up" as const,
        challenge: randomUUID(),
        userId: null,
        // Kept and read back as they were written: a step-up's session and action.
        sessionId: "session-1",
        action: "payout.change",
        deviceId: null,
        bindingHash: "",
        createdAt: NOW,
        expiresAt: at("2026-03-29T02:05:00.457Z"),
      };
      await store.webauthnChallenges.insert(row);
      expect(await store.webauthnChallenges.findById(row.id)).toEqual({ ...row, status: "pending" });
      expect(await store.webauthnChallenges.spend(row.id, row.expiresAt)).toBe(false);
      const spent = await Promise.all(Array.from({ length: 5 }, () => store.webauthnChallenges.spend(row.id, NOW)));
      expect(spent.filter(Boolean)).toHaveLength(1);
      expect(await store.webauthnChallenges.findById(row.id)).toMatchObject({ status: "used" });
    });

    it("stores a passkey, scopes it to its account, and records one of two racing uses", async () => {
      const owner = await h.db.user.create({ data: { email: "owner@example.com", locale: "fr" } });
      const other = await h.db.user.create({ data: { email: "other@example.com" } });
      const passkey = await store.passkeys.insert({
        userId: owner.id,
        credentialId: "credential-1",
        publicKey: new Uint8Array([1, 2, 3]),
        counter: 4_294_967_000,
        transports: '["internal"]',
        backupEligible: true,
        backedUp: false,
        aaguid: null,
        name: "Laptop",
        createdAt: NOW,
      });
      expect(await store.passkeys.findByCredentialId("credential-1")).toMatchObject({
        id: passkey.id,
        counter: 4_294_967_000,
        publicKey: new Uint8Array([1, 2, 3]),
        user: { id: owner.id, email: "owner@example.com", locale: "fr" },
      });
      expect(await store.passkeys.findForUser(passkey.id, other.id)).toBeNull();
      expect(await store.passkeys.rename(passkey.id, other.id, "Mine now")).toBe(false);
      expect(await store.passkeys.delete(passkey.id, other.id)).toBe(false);
      expect(await store.passkeys.countForUser(owner.id)).toBe(1);

      const use = (counter: number) => store.passkeys.recordUse(passkey.id, { expectedCounter: 4_294_967_000, counter, at: NOW, backedUp: true });
      const racing = await Promise.all([use(4_294_967_001), use(4_294_967_002)]);
      expect(racing.filter(Boolean)).toHaveLength(1);
      expect((await store.passkeys.listForUser(owner.id))[0]).toMatchObject({ backedUp: true, lastUsedAt: NOW });
      expect(await store.passkeys.delete(passkey.id, owner.id)).toBe(true);
    });
  });

  describe("outbox, audit and transactions", () => {
    it("claims a row for one of two racing dispatchers, and scrubs the body once sent", async () => {
      const row = email("out@example.com", newRowId(), null);
      await store.outbox.insert(row);
      expect(await store.outbox.dueIds(row.nextAttemptAt, 10)).toEqual([row.id]);
      const claims = await Promise.all([store.outbox.claim(row.id, 0, "resend"), store.outbox.claim(row.id, 0, "resend")]);
      expect(claims.sort()).toEqual([false, true]);
      await store.outbox.markSent(row.id, NOW, "provider-1", false);
      expect(await store.outbox.find(row.id)).toMatchObject({ status: "sent", attempts: 1, text: "[removed after delivery]" });
      expect(await store.outbox.dueIds(row.nextAttemptAt, 10)).toEqual([]);
    });

    it("commits everything done inside a transaction together, or nothing", async () => {
      const user = await h.db.user.create({ data: { email: "tx@example.com" } });
      const row = session();
      await expect(
        store.transaction(async (tx) => {
          await tx.sessions.insert({ ...row, userId: user.id, passkeyId: null });
          await tx.audit.insert([auditRow(newRowId())]);
          throw new Error("changed my mind");
        }),
      ).rejects.toThrow("changed my mind");
      expect(await h.db.session.count()).toBe(0);
      expect(await h.db.authEvent.count()).toBe(0);

      await store.transaction(async (tx) => {
        await tx.sessions.insert({ ...row, userId: user.id, passkeyId: null });
        await tx.audit.insert([auditRow(newRowId())]);
      });
      expect(await h.db.session.count()).toBe(1);
      expect(await h.db.authEvent.count()).toBe(1);
    });
  });

  function auditRow(id: string) {
    return {
      id,
      at: NOW,
      command: "AUTH.TEST",
      outcome: "ok",
      errorCode: null,
      userId: null,
      sessionId: null,
      ipPrefix: "203.0.113.0/24",
      country: null,
      deviceClass: null,
      latencyMs: 3,
      details: "{}",
    };
  }
});
