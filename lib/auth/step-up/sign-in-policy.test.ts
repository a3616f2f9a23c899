import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RequestContext } from "../core/request-context";
import {
  auditDetails,
  PROVIDERS,
  createHarness,
  latestEmail,
  requestContext,
  runCommand,
  signInByEmail,
  type Harness,
} from "../testing/harness";
import { registerPasskey } from "../testing/passkeys";

const PARIS = { latitude: 48.8566, longitude: 2.3522 };
const SYDNEY = { latitude: -33.8688, longitude: 151.2093 };
/** Another browser on another kind of device: a new device, as far as the policy can tell before device keys. */
const PHONE = { deviceClass: "mobile" as const, browserSummary: "Chrome · Android" };

/**
 * The sign-in policy at redemption (issue 20): a blocked network is
 * refused, a sign-in unlike the person's own needs their passkey, and an
 * account without one starts restricted.
 */
describe.each(PROVIDERS)("the sign-in policy on %s", (provider) => {
  let h: Harness;
  let people = 0;
  beforeEach(async () => {
    h = await createHarness(provider, { blockedCidrs: "203.0.113.0/24", anonymizers: "198.18.0.7" });
  });
  afterEach(async () => {
    await h.close();
  });

  const api = (request: Partial<RequestContext>) => ({ request: requestContext({ origin: null, fetchSite: null, ...request }) });

  /** Asks for a link from one place and redeems it from `at` (the link's token with its binding). */
  async function signInFrom(email: string, at: Partial<RequestContext> = {}) {
    const requested = await runCommand(h, "AUTH.MAGIC_LINK.REQUEST", { email }, api(at));
    const mail = await latestEmail(h.db, email);
    return runCommand(h, "AUTH.MAGIC_LINK.REDEEM", { token: mail.token, binding: requested.data.binding }, api(at));
  }

  async function personWithPasskey() {
    const email = `sign-in-policy-${++people}@example.com`;
    await registerPasskey(h, await signInByEmail(h, email));
    return email;
  }

  it("a blocked network is refused with SIGN_IN_DENIED and no session; the link still works from elsewhere", async () => {
    const email = `blocked-${++people}@example.com`;
    const requested = await runCommand(h, "AUTH.MAGIC_LINK.REQUEST", { email }, api({}));
    const mail = await latestEmail(h.db, email);
    const redeem = (at: Partial<RequestContext>) =>
      runCommand(h, "AUTH.MAGIC_LINK.REDEEM", { token: mail.token, binding: requested.data.binding }, api(at));
    expect(await redeem({ ip: "203.0.113.50" })).toMatchObject({ status: 403, ok: false, code: "SIGN_IN_DENIED" });
    expect(await h.db.session.count()).toBe(0);
    const event = await h.db.authEvent.findFirstOrThrow({ where: { command: "AUTH.MAGIC_LINK.REDEEM", errorCode: "SIGN_IN_DENIED" } });
    expect(auditDetails(event)).toMatchObject({ decision: "deny", reasons: "blocked_network" });
    expect(await redeem({ ip: "192.0.2.10" })).toMatchObject({ ok: true });
  });

  it("a new device through an anonymizer, on an account with a passkey: the email alone is not enough", async () => {
    const email = await personWithPasskey();
    expect(await signInFrom(email, { ip: "198.18.0.7", ...PHONE })).toMatchObject({ status: 403, code: "PASSKEY_SIGN_IN_REQUIRED" });
    // The same device as before, through the same anonymizer: nothing escalates.
    expect(await signInFrom(email, { ip: "198.18.0.7" })).toMatchObject({ ok: true });
  });

  it("impossible travel needs the passkey: Paris, then Sydney ten minutes later", async () => {
    const email = await personWithPasskey();
    h.clock.advanceSeconds(60);
    expect(await signInFrom(email, { edgePosition: PARIS })).toMatchObject({ ok: true });
    expect(await h.db.session.findFirst({ where: { latitude: PARIS.latitude } })).not.toBeNull();
    h.clock.advanceSeconds(10 * 60);
    expect(await signInFrom(email, { edgePosition: SYDNEY })).toMatchObject({ code: "PASSKEY_SIGN_IN_REQUIRED" });
    // A day later the same trip is possible.
    h.clock.advanceSeconds(24 * 60 * 60);
    expect(await signInFrom(email, { edgePosition: SYDNEY })).toMatchObject({ ok: true });
  });

  it("an account without a strong factor starts restricted instead: no sensitive action", async () => {
    const email = `restricted-${++people}@example.com`;
    await signInByEmail(h, email);
    const risky = await signInFrom(email, { ip: "198.18.0.7", ...PHONE });
    expect(risky).toMatchObject({ ok: true });
    const token = risky.data.sessionToken as string;
    expect(await h.db.session.count({ where: { restricted: true } })).toBe(1);
    const notice = await h.db.outboxMessage.findFirstOrThrow({ where: { to: email, template: "new-sign-in" } });
    expect(notice.text).toContain("Chrome · Android");
    expect(notice.text).toContain("sensitive actions");
    const decided = await runCommand(h, "AUTH.POLICY.DECIDE", { action: "payout.change" }, { sessionToken: token, ...api({ ip: "198.18.0.7", ...PHONE }) });
    expect(decided.data).toMatchObject({ decision: "deny", reasons: ["restricted_session"] });
  });

  it("a new device alone is no second step, only an email", async () => {
    const email = await personWithPasskey();
    expect(await h.db.outboxMessage.count({ where: { to: email, template: "new-sign-in" } })).toBe(0);
    expect(await signInFrom(email, PHONE)).toMatchObject({ ok: true });
    expect(await h.db.session.count({ where: { restricted: true } })).toBe(0);
    // It only tells the account, in its language, where and when.
    const notice = await h.db.outboxMessage.findFirstOrThrow({ where: { to: email, template: "new-sign-in" } });
    expect(notice).toMatchObject({ subject: "New sign-in to your account" });
    expect(notice.text).not.toContain("sensitive actions");
    // The same device again: no email.
    await signInFrom(email, PHONE);
    expect(await h.db.outboxMessage.count({ where: { to: email, template: "new-sign-in" } })).toBe(1);
  });

  it("a notice that cannot be queued still signs the person in, and says nothing secret in the log", async () => {
    const email = await personWithPasskey();
    const outbox = h.deps.store.outbox;
    const insert = vi.spyOn(outbox, "insert").mockRejectedValue(new Error("disk full"));
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const redeemed = await signInFrom(email, PHONE);
      expect(redeemed).toMatchObject({ ok: true, status: 200 });
      expect(await h.db.session.count({ where: { user: { email } } })).toBe(2);
      expect(logged).toHaveBeenCalledWith("sign-in: new sign-in notice not queued:", "disk full");
      expect(JSON.stringify(logged.mock.calls)).not.toContain(email);
    } finally {
      insert.mockRestore();
      logged.mockRestore();
    }
    expect(await h.db.outboxMessage.count({ where: { to: email, template: "new-sign-in" } })).toBe(0);
  });
});
