import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAGIC_LINK_TTL_SECONDS } from "../core/email-challenge-lifetime";
import { MAX_CODE_FAILURES, inspectMagicLink, requestMagicLink } from "./magic-link";
import { redeemMagicLink, verifyEmailCode } from "./magic-link-redemption";
import { RATE_LIMITS } from "../core/rate-limits";
import { networkLimitKeyOf } from "../core/request-context";
import { findActiveSession } from "../core/sessions";
import {
  PROVIDERS,
  TEST_BASE_URL,
  createHarness,
  latestEmail,
  requestContext,
  wrongCode,
  type Harness,
} from "../testing/harness";
import { digestsEqual } from "../core/secrets";
import type * as Secrets from "../core/secrets";

// Every code comparison goes through digestsEqual: wrapped, so a test can
// count how many guesses were actually compared.
vi.mock("../core/secrets", async (importOriginal) => {
  const actual = await importOriginal<typeof Secrets>();
  return { ...actual, digestsEqual: vi.fn(actual.digestsEqual) };
});
const comparisons = vi.mocked(digestsEqual);

describe.each(PROVIDERS)("magic link ceremony on %s", (provider) => {
  let h: Harness;
  let counter = 0;
  const freshEmail = () => `person${++counter}-${Date.now()}@example.com`;

  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  /** Asks for a link; `binding` is the one the same browser got from an earlier request. */
  async function request(email: string, context = requestContext(), binding?: string) {
    const issued = await requestMagicLink(h.deps, { email, locale: "en", callbackPath: "/", context, binding });
    if (!issued.ok) throw new Error(`request failed: ${issued.code}`);
    return { ...issued.value, mail: await latestEmail(h.db, email), context };
  }

  it("emails a link under AUTH_URL and a code, and stores neither in clear", async () => {
    const email = freshEmail();
    const { mail, challengeId, delivery } = await request(email);
    expect(delivery).toBe("sent");
    expect(mail.link.startsWith(`${TEST_BASE_URL}/en/magic-link?token=`)).toBe(true);
    expect(Buffer.from(mail.token, "base64url").length).toBeGreaterThanOrEqual(16);
    expect(mail.text).toContain("Firefox · Windows");
    expect(mail.text).toContain("Spain");

    const row = await h.db.magicLinkChallenge.findUniqueOrThrow({ where: { id: challengeId } });
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(mail.token);
    expect(stored).not.toContain(mail.code);
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("signs in the requesting browser with the link and its binding, once", async () => {
    const email = freshEmail();
    const { mail, binding } = await request(email);
    const first = await redeemMagicLink(h.deps, { token: mail.token, binding, context: requestContext() });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.value.isNewUser).toBe(true);
    expect(first.value.user.email).toBe(email);
    expect(first.value.method).toBe("magic_link");

    const session = await findActiveSession(h.deps.store.sessions, h.clock, first.value.sessionToken);
    expect(session?.aal).toBe(1);
    expect(session?.methods.map((m) => m.method)).toEqual(["magic_link"]);

    const replay = await redeemMagicLink(h.deps, { token: mail.token, binding, context: requestContext() });
    expect(replay).toMatchObject({ ok: false, code: "TOKEN_USED" });
  });

  it("creates no session without the binding or the code, and leaves the link usable", async () => {
    const email = freshEmail();
    const { mail, binding } = await request(email);
    const bare = await redeemMagicLink(h.deps, { token: mail.token, context: requestContext() });
    expect(bare).toMatchObject({ ok: false, code: "BINDING_REQUIRED" });
    const forged = await redeemMagicLink(h.deps, { token: mail.token, binding: "x".repeat(43), context: requestContext() });
    expect(forged).toMatchObject({ ok: false, code: "BINDING_REQUIRED" });
    expect(await h.db.session.count()).toBe(0);
    const real = await redeemMagicLink(h.deps, { token: mail.token, binding, context: requestContext() });
    expect(real.ok).toBe(true);
  });

  it("signs in another browser with the link and the code from the same email", async () => {
    const email = freshEmail();
    const { mail } = await request(email);
    const signedIn = await redeemMagicLink(h.deps, { token: mail.token, code: mail.code, context: requestContext() });
    expect(signedIn).toMatchObject({ ok: true, value: { method: "email_code" } });
  });

  it("signs in with the code alone on the check-email page", async () => {
    const email = freshEmail();
    const { mail, challengeId } = await request(email);
    const signedIn = await verifyEmailCode(h.deps, { challengeId, code: mail.code, context: requestContext() });
    expect(signedIn.ok).toBe(true);
    const again = await verifyEmailCode(h.deps, { challengeId, code: mail.code, context: requestContext() });
    expect(again).toMatchObject({ ok: false, code: "TOKEN_USED" });
  });

  it("refuses the link and the code one second after ten minutes, not before", async () => {
    const email = freshEmail();
    const { mail, binding, challengeId } = await request(email);
    h.clock.advanceSeconds(MAGIC_LINK_TTL_SECONDS + 1);
    expect(await redeemMagicLink(h.deps, { token: mail.token, binding, context: requestContext() })).toMatchObject({
      ok: false,
      code: "TOKEN_EXPIRED",
    });
    expect(await verifyEmailCode(h.deps, { challengeId, code: mail.code, context: requestContext() })).toMatchObject({
      ok: false,
      code: "TOKEN_EXPIRED",
    });

    const second = await request(freshEmail());
    h.clock.advanceSeconds(MAGIC_LINK_TTL_SECONDS - 1);
    const justInTime = await redeemMagicLink(h.deps, {
      token: second.mail.token,
      binding: second.binding,
      context: requestContext(),
    });
    expect(justInTime.ok).toBe(true);
  });

  it("voids the earlier links of the browser that asks again", async () => {
    const email = freshEmail();
    const old = await request(email);
    const fresh = await request(email, requestContext(), old.binding);
    expect(fresh.binding).toBe(old.binding);
    expect(await redeemMagicLink(h.deps, { token: old.mail.token, binding: old.binding, context: requestContext() })).toMatchObject({
      ok: false,
      code: "TOKEN_VOIDED",
    });
    expect(
      await verifyEmailCode(h.deps, { challengeId: old.challengeId, code: old.mail.code, context: requestContext() }),
    ).toMatchObject({ ok: false, code: "TOKEN_VOIDED" });
    const ok = await redeemMagicLink(h.deps, { token: fresh.mail.token, binding: fresh.binding, context: requestContext() });
    expect(ok.ok).toBe(true);
  });

  it("leaves an expired link expired (not 'replaced') when a new one is requested", async () => {
    const email = freshEmail();
    const old = await request(email);
    h.clock.advanceSeconds(MAGIC_LINK_TTL_SECONDS + 1);
    await request(email);
    expect(await inspectMagicLink(h.deps, old.mail.token, old.binding)).toMatchObject({ state: "expired" });
  });

  it("locks the code after five wrong guesses, even for the right code", async () => {
    const email = freshEmail();
    const { mail, challengeId } = await request(email);
    for (let attempt = 1; attempt < MAX_CODE_FAILURES; attempt++) {
      const result = await verifyEmailCode(h.deps, { challengeId, code: wrongCode(mail.code, attempt), context: requestContext() });
      expect(result).toMatchObject({ ok: false, code: "CODE_INVALID" });
    }
    const fifth = await verifyEmailCode(h.deps, { challengeId, code: wrongCode(mail.code, 99), context: requestContext() });
    expect(fifth).toMatchObject({ ok: false, code: "CODE_LOCKED" });
    const right = await verifyEmailCode(h.deps, { challengeId, code: mail.code, context: requestContext() });
    expect(right).toMatchObject({ ok: false, code: "CODE_LOCKED" });
    const viaLink = await redeemMagicLink(h.deps, { token: mail.token, code: mail.code, context: requestContext() });
    expect(viaLink).toMatchObject({ ok: false, code: "CODE_LOCKED" });
    expect(await h.db.session.count()).toBe(0);
  });

  it("accepts the right code as the fifth attempt, and gives its attempt back", async () => {
    const email = freshEmail();
    const { mail, challengeId } = await request(email);
    for (let attempt = 1; attempt < MAX_CODE_FAILURES; attempt++) {
      await verifyEmailCode(h.deps, { challengeId, code: wrongCode(mail.code, attempt), context: requestContext() });
    }
    const right = await verifyEmailCode(h.deps, { challengeId, code: mail.code, context: requestContext() });
    expect(right).toMatchObject({ ok: true, value: { method: "email_code" } });
    expect(await h.db.magicLinkChallenge.findUniqueOrThrow({ where: { id: challengeId } })).toMatchObject({
      status: "redeemed",
      failedCodeAttempts: MAX_CODE_FAILURES - 1,
    });
    // Only the wrong codes count against the address.
    const [counter] = await h.db.$queryRaw<{ points: number }[]>`
      SELECT "points" FROM "rate_limit_counters" WHERE "key" = ${`codeFailuresPerAddress:${email}`}`;
    expect(Number(counter.points)).toBe(MAX_CODE_FAILURES - 1);
  });

  it("keeps the wrong-code count when the same browser asks for a new code", async () => {
    const email = freshEmail();
    const first = await request(email);
    for (let attempt = 1; attempt <= 3; attempt++) {
      await verifyEmailCode(h.deps, { challengeId: first.challengeId, code: wrongCode(first.mail.code, attempt), context: requestContext() });
    }
    const resent = await request(email, requestContext(), first.binding);
    const fourth = await verifyEmailCode(h.deps, {
      challengeId: resent.challengeId,
      code: wrongCode(resent.mail.code, 1),
      context: requestContext(),
    });
    expect(fourth).toMatchObject({ ok: false, code: "CODE_INVALID" });
    const fifth = await verifyEmailCode(h.deps, {
      challengeId: resent.challengeId,
      code: wrongCode(resent.mail.code, 2),
      context: requestContext(),
    });
    expect(fifth).toMatchObject({ ok: false, code: "CODE_LOCKED" });
  });

  it("still lets the requesting browser in with its link when someone else locked the code", async () => {
    const email = freshEmail();
    const { mail, binding, challengeId } = await request(email);
    for (let attempt = 1; attempt <= MAX_CODE_FAILURES; attempt++) {
      await verifyEmailCode(h.deps, { challengeId, code: wrongCode(mail.code, attempt), context: requestContext() });
    }
    const own = await redeemMagicLink(h.deps, { token: mail.token, binding, context: requestContext() });
    expect(own.ok).toBe(true);
  });

  it("leaves one link pending when one browser's requests for one address race", async () => {
    const email = freshEmail();
    const { binding } = await request(email);
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        requestMagicLink(h.deps, { email, locale: "en", callbackPath: "/", context: requestContext(), binding }),
      ),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    expect(await h.db.magicLinkChallenge.count({ where: { email, status: "pending" } })).toBe(1);
    expect(await h.db.magicLinkChallenge.count({ where: { email, status: "voided" } })).toBe(4);
  });

  it("leaves the link another browser asked for valid", async () => {
    const email = freshEmail();
    const first = await request(email);
    const other = await request(email);
    expect(other.binding).not.toBe(first.binding);
    // An unreadable binding is no binding: it voids nothing either.
    await request(email, requestContext(), "not a binding");
    const own = await redeemMagicLink(h.deps, { token: first.mail.token, binding: first.binding, context: requestContext() });
    expect(own).toMatchObject({ ok: true, value: { method: "magic_link" } });
    expect(await h.db.magicLinkChallenge.count({ where: { email, status: "pending" } })).toBe(2);
  });

  it("keeps the victim's link and binding working through another browser's requests and 20+ wrong codes", async () => {
    const email = freshEmail();
    const victim = await request(email, requestContext({ ip: "192.0.2.10", ipPrefix: "192.0.2.0/24" }));

    // From other browsers on four networks: as many links as the limits
    // allow, then every code guess they allow on each of those links.
    const attackerLinks: string[] = [];
    for (let network = 1; network <= 5; network++) {
      for (let i = 0; i < RATE_LIMITS.requestPerAddressNetwork.points + 1; i++) {
        const context = requestContext({ ip: `203.0.${network}.${i + 1}`, ipPrefix: `203.0.${network}.0/24` });
        const issued = await requestMagicLink(h.deps, { email, locale: "en", callbackPath: "/", context });
        if (issued.ok) attackerLinks.push(issued.value.challengeId);
      }
    }
    expect(attackerLinks).toHaveLength(RATE_LIMITS.requestPerAddress.points - 1);
    let guesses = 0;
    for (const challengeId of attackerLinks) {
      for (let i = 1; i <= MAX_CODE_FAILURES; i++, guesses++) {
        await verifyEmailCode(h.deps, { challengeId, code: String(100000 + guesses), context: requestContext() });
      }
    }
    expect(guesses).toBeGreaterThan(RATE_LIMITS.codeFailuresPerAddress.points);

    expect(await inspectMagicLink(h.deps, victim.mail.token, victim.binding)).toMatchObject({
      state: "ready",
      boundToThisBrowser: true,
      codeLocked: false,
    });
    const signedIn = await redeemMagicLink(h.deps, { token: victim.mail.token, binding: victim.binding, context: requestContext() });
    expect(signedIn).toMatchObject({ ok: true, value: { method: "magic_link", user: { email } } });
  });

  it("compares at most the address's daily wrong codes when guesses race across many links", async () => {
    const email = freshEmail();
    const links = [];
    for (let network = 1; network <= 5; network++) {
      links.push(await request(email, requestContext({ ip: `203.0.${network}.1`, ipPrefix: `203.0.${network}.0/24` })));
    }
    comparisons.mockClear();
    const results = await Promise.all(
      links.flatMap((link) =>
        Array.from({ length: 10 }, (_, i) =>
          verifyEmailCode(h.deps, { challengeId: link.challengeId, code: wrongCode(link.mail.code, i + 1), context: requestContext() }),
        ),
      ),
    );
    expect(comparisons.mock.calls.length).toBe(RATE_LIMITS.codeFailuresPerAddress.points);
    expect(results.some((result) => !result.ok && result.code === "CODE_LOCKED")).toBe(true);
    // The address's codes are locked now, on every link, a right one too.
    const last = links[4];
    const right = await verifyEmailCode(h.deps, { challengeId: last.challengeId, code: last.mail.code, context: requestContext() });
    expect(right).toMatchObject({ ok: false, code: "CODE_LOCKED" });
    if (!right.ok) expect(right.retryAfterSeconds).toBeGreaterThan(60 * 60);
    expect(await h.db.session.count()).toBe(0);
  });

  it("gives exactly one session to ten parallel redemptions of one link", async () => {
    const email = freshEmail();
    const { mail, binding } = await request(email);
    const results = await Promise.all(
      Array.from({ length: 10 }, () => redeemMagicLink(h.deps, { token: mail.token, binding, context: requestContext() })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === "TOKEN_USED")).toBe(true);
    expect(await h.db.session.count()).toBe(1);
    expect(await h.db.user.count({ where: { email } })).toBe(1);
  });

  it("counts parallel wrong guesses without letting more than five through", async () => {
    const email = freshEmail();
    const { mail, challengeId } = await request(email);
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        verifyEmailCode(h.deps, { challengeId, code: wrongCode(mail.code, i + 1), context: requestContext() }),
      ),
    );
    const row = await h.db.magicLinkChallenge.findUniqueOrThrow({ where: { id: challengeId } });
    expect(row.failedCodeAttempts).toBe(MAX_CODE_FAILURES);
    const right = await verifyEmailCode(h.deps, { challengeId, code: mail.code, context: requestContext() });
    expect(right).toMatchObject({ ok: false, code: "CODE_LOCKED" });
  });

  it("compares at most five of fifty parallel guesses, and the right one in the middle signs nobody in", async () => {
    const email = freshEmail();
    const { mail, challengeId } = await request(email);
    const guesses = Array.from({ length: 50 }, (_, i) => (i === 25 ? mail.code : wrongCode(mail.code, i + 1)));
    comparisons.mockClear();
    const results = await Promise.all(
      guesses.map((code) => verifyEmailCode(h.deps, { challengeId, code, context: requestContext() })),
    );
    expect(comparisons.mock.calls.length).toBeLessThanOrEqual(MAX_CODE_FAILURES);
    expect(results.filter((result) => result.ok)).toHaveLength(0);
    expect(await h.db.session.count()).toBe(0);
    expect(await h.db.magicLinkChallenge.findUniqueOrThrow({ where: { id: challengeId } })).toMatchObject({
      status: "pending",
      failedCodeAttempts: MAX_CODE_FAILURES,
    });
    expect(await verifyEmailCode(h.deps, { challengeId, code: mail.code, context: requestContext() })).toMatchObject({
      ok: false,
      code: "CODE_LOCKED",
    });
  });

  it("rate-limits requests per address and network, and more loosely per address, with a retry time", async () => {
    const email = freshEmail();
    const from = (network: string, host: number) => requestContext({ ip: `${network}.${host}`, ipPrefix: `${network}.0/24` });
    const ask = (context: ReturnType<typeof requestContext>) =>
      requestMagicLink(h.deps, { email, locale: "en", callbackPath: "/", context });
    for (let i = 0; i < RATE_LIMITS.requestPerAddressNetwork.points; i++) await request(email, from("203.0.113", i + 1));
    const sameNetwork = await ask(from("203.0.113", 200));
    expect(sameNetwork).toMatchObject({ ok: false, code: "RATE_LIMITED" });
    if (!sameNetwork.ok) expect(sameNetwork.retryAfterSeconds).toBeGreaterThan(0);

    // Other networks still get links, until the address's own cap.
    const perAddress = RATE_LIMITS.requestPerAddress.points;
    for (let i = RATE_LIMITS.requestPerAddressNetwork.points; i < perAddress; i++) {
      expect(await ask(from(`198.18.${i}`, 1))).toMatchObject({ ok: true });
    }
    expect(await ask(from("192.0.2", 1))).toMatchObject({ ok: false, code: "RATE_LIMITED" });
  });

  it("counts an IPv6 address by its /64 and an unreadable one in one shared bucket", () => {
    expect(networkLimitKeyOf("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(networkLimitKeyOf("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(networkLimitKeyOf("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(networkLimitKeyOf("203.0.113.77")).toBe("203.0.113.0/24");
    expect(networkLimitKeyOf(null)).toBe("unknown");
  });

  it("lets at least 50 people behind one IP ask for links", async () => {
    const office = requestContext({ ip: "203.0.113.7", ipPrefix: "203.0.113.0/24" });
    for (let i = 0; i < 50; i++) {
      const result = await requestMagicLink(h.deps, { email: freshEmail(), locale: "es", callbackPath: "/", context: office });
      expect(result.ok).toBe(true);
    }
  });

  it("refuses malformed tokens without touching the database state", async () => {
    for (const token of ["", "short", "a".repeat(600), "../../etc/passwd", "%00".repeat(20)]) {
      const result = await redeemMagicLink(h.deps, { token, context: requestContext() });
      expect(result).toMatchObject({ ok: false, code: "TOKEN_INVALID" });
    }
  });

  it("ends the session at its absolute expiry", async () => {
    const email = freshEmail();
    const { mail, binding } = await request(email);
    const signedIn = await redeemMagicLink(h.deps, { token: mail.token, binding, context: requestContext() });
    if (!signedIn.ok) throw new Error("sign-in failed");
    // Used every day, so the 7-day idle window never runs out...
    for (let day = 1; day <= 29; day++) {
      h.clock.advanceSeconds(24 * 60 * 60);
      expect(await findActiveSession(h.deps.store.sessions, h.clock, signedIn.value.sessionToken)).not.toBeNull();
    }
    // ...but 30 days after sign-in it ends anyway.
    h.clock.advanceSeconds(24 * 60 * 60 + 1);
    expect(await findActiveSession(h.deps.store.sessions, h.clock, signedIn.value.sessionToken)).toBeNull();
  });
});
