import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newRowId } from "../../db/ids";
import { createHarness, type Harness } from "../testing/harness";
import { STORE_CASES } from "../testing/store-cases";
import type { AuthStore, GrantRow } from "./types";

/**
 * The store contract for step-up grants and authenticator apps (the rest is
 * in store-contract.test.ts): every implementation, on every database.
 */

describe.each(STORE_CASES)("step-up stores on %s, %s implementation", (provider, kind) => {
  let h: Harness;
  let store: AuthStore;
  beforeEach(async () => {
    h = await createHarness(provider, { store: kind });
    store = h.deps.store;
  });
  afterEach(async () => {
    await h.close();
  });

  const NOW = new Date("2026-03-29T02:00:00.457Z");
  const later = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

  async function userWithSession() {
    const user = await h.db.user.create({ data: { email: `${randomUUID()}@example.com` } });
    const session = await h.db.session.create({
      data: { id: newRowId(), sessionToken: randomUUID(), userId: user.id, expires: later(3600), absoluteExpiresAt: later(86400) },
    });
    return { userId: user.id, sessionId: session.id };
  }

  describe("grants", () => {
    it("lists a session's unexpired grants only, and they end with their session", async () => {
      const { userId, sessionId } = await userWithSession();
      const other = await userWithSession();
      const grant = (action: string, expiresAt: Date, forSession = sessionId): GrantRow => ({
        id: newRowId(),
        sessionId: forSession,
        userId,
        action,
        method: "passkey",
        createdAt: NOW,
        expiresAt,
      });
      const live = grant("payout.change", later(300));
      await store.grants.insert(live);
      await store.grants.insert(grant("file.export", NOW)); // expiry is exclusive
      await store.grants.insert(grant("file.view_private", later(60), other.sessionId));

      expect(await store.grants.listActive(sessionId, NOW)).toEqual([live]);
      expect(await store.grants.listActive(sessionId, later(300))).toEqual([]);

      await h.db.session.delete({ where: { id: sessionId } });
      expect(await h.db.stepUpGrant.count({ where: { sessionId } })).toBe(0);
    });

    it("ends an account's grants of one method on all its sessions, and no one else's", async () => {
      const alice = await userWithSession();
      const alicesOther = await h.db.session.create({
        data: { id: newRowId(), sessionToken: randomUUID(), userId: alice.userId, expires: later(3600), absoluteExpiresAt: later(86400) },
      });
      const bob = await userWithSession();
      const grant = (who: { userId: string; sessionId: string }, method: GrantRow["method"]): GrantRow => ({
        id: newRowId(),
        sessionId: who.sessionId,
        userId: who.userId,
        action: "file.view_private",
        method,
        createdAt: NOW,
        expiresAt: later(300),
      });
      const alicesPasskey = grant(alice, "passkey");
      const bobsApp = grant(bob, "totp");
      for (const row of [grant(alice, "totp"), grant({ userId: alice.userId, sessionId: alicesOther.id }, "totp"), alicesPasskey, bobsApp]) {
        await store.grants.insert(row);
      }

      expect(await store.grants.deleteForUserByMethod(alice.userId, "totp")).toBe(2);
      expect(await store.grants.listActive(alice.sessionId, NOW)).toEqual([alicesPasskey]);
      expect(await store.grants.listActive(alicesOther.id, NOW)).toEqual([]);
      expect(await store.grants.listActive(bob.sessionId, NOW)).toEqual([bobsApp]);
      expect(await store.grants.deleteForUserByMethod(alice.userId, "totp")).toBe(0);
    });
  });

  describe("authenticator apps", () => {
    async function pendingApp(userId: string) {
      const id = newRowId();
      await store.totpFactors.insertPending({ id, userId, secretSealed: `v1.sealed.${id}`, name: "Phone", createdAt: NOW });
      return id;
    }

    it("keeps one pending enrolment an account, confirms it with its first code, and finds it only for its owner", async () => {
      const { userId } = await userWithSession();
      const first = await pendingApp(userId);
      const second = await pendingApp(userId);
      expect(await store.totpFactors.findForUser(first, userId)).toBeNull();
      expect(await store.totpFactors.listConfirmed(userId)).toEqual([]);

      expect(await store.totpFactors.acceptStep(second, 100, NOW)).toBe(true);
      const [confirmed] = await store.totpFactors.listConfirmed(userId);
      expect(confirmed).toMatchObject({ id: second, confirmedAt: NOW, lastUsedStep: 100, lastUsedAt: NOW, failedAttempts: 0 });

      const stranger = await userWithSession();
      expect(await store.totpFactors.findForUser(second, stranger.userId)).toBeNull();
      expect(await store.totpFactors.delete(second, stranger.userId)).toBe(false);
      expect(await store.totpFactors.delete(second, userId)).toBe(true);
      expect(await store.totpFactors.delete(second, userId)).toBe(false);
    });

    it("accepts a step once however many race for it, and never an older one after it", async () => {
      const { userId } = await userWithSession();
      const id = await pendingApp(userId);
      const results = await Promise.all(Array.from({ length: 10 }, () => store.totpFactors.acceptStep(id, 200, NOW)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.totpFactors.acceptStep(id, 199, later(1))).toBe(false);
      expect(await store.totpFactors.acceptStep(id, 201, later(30))).toBe(true);
    });

    it("locks after the limit of wrong codes in a row, until the lock ends; a right code clears the count", async () => {
      const { userId } = await userWithSession();
      const id = await pendingApp(userId);
      const lock = { limit: 5, lockedUntil: later(900) };
      for (let wrong = 1; wrong <= 4; wrong++) expect(await store.totpFactors.recordWrongCode(id, lock)).toBe(wrong);
      expect(await store.totpFactors.acceptStep(id, 300, NOW)).toBe(true);
      for (let wrong = 1; wrong <= 4; wrong++) await store.totpFactors.recordWrongCode(id, lock);
      expect(await store.totpFactors.recordWrongCode(id, lock)).toBe(5);

      expect(await store.totpFactors.findForUser(id, userId)).toMatchObject({ failedAttempts: 0, lockedUntil: later(900) });
      expect(await store.totpFactors.acceptStep(id, 301, later(899))).toBe(false);
      expect(await store.totpFactors.acceptStep(id, 302, later(900))).toBe(true);
      expect(await store.totpFactors.findForUser(id, userId)).toMatchObject({ lockedUntil: null, lastUsedStep: 302 });

      // A wrong code racing the app's deletion is not an error.
      await store.totpFactors.delete(id, userId);
      expect(await store.totpFactors.recordWrongCode(id, lock)).toBe(0);
    });
  });
});
