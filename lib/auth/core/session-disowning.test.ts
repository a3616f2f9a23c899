import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RequestContext } from "./request-context";
import { auditDetails, PROVIDERS, createHarness, latestEmail, requestContext, runCommand, signInByEmail, type Harness } from "../testing/harness";
import { registerPasskey } from "../testing/passkeys";

/** Another browser on another kind of device: the sign-in policy's "new device". */
const PHONE = { deviceClass: "mobile" as const, browserSummary: "Chrome · Android" };

/**
 * "This wasn't me" (issue 19): the new-sign-in email links to a page that
 * ends the session it reports. The link is tried here as someone would who
 * wants more from it: another session's id, another expiry, a forged
 * code, a replay, a late click, a cross-site post.
 */
describe.each(PROVIDERS)("this wasn't me on %s", (provider) => {
  let h: Harness;
  let people = 0;
  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  const api = (request: Partial<RequestContext> = {}) => ({ request: requestContext({ origin: null, fetchSite: null, ...request }) });
  const disown = (token: string, context = api()) => runCommand(h, "AUTH.SESSION.DISOWN", { token }, context);

  /** An account signed in on its usual device, then from a phone it never used: the notice's link, both sessions. */
  async function newDeviceSignIn() {
    const email = `not-me-${++people}@example.com`;
    const usual = await signInByEmail(h, email);
    await registerPasskey(h, usual);
    const requested = await runCommand(h, "AUTH.MAGIC_LINK.REQUEST", { email }, api(PHONE));
    const mail = await latestEmail(h.db, email);
    const redeemed = await runCommand(h, "AUTH.MAGIC_LINK.REDEEM", { token: mail.token, binding: requested.data.binding }, api(PHONE));
    expect(redeemed).toMatchObject({ ok: true });
    const phone = redeemed.data.sessionToken as string;
    const notice = await h.db.outboxMessage.findFirstOrThrow({ where: { to: email, template: "new-sign-in" } });
    const link = /https?:\/\/\S+\/en\/not-me\?token=([^\s"<>)\]]+)/.exec(notice.text);
    expect(link, notice.text).not.toBeNull();
    expect(notice.text).not.toContain(phone);
    return { email, usual, phone, token: decodeURIComponent(link![1]) };
  }

  const alive = async (sessionToken: string) => (await runCommand(h, "AUTH.SESSION.GET", {}, { sessionToken })).ok;

  it("ends the reported session and no other, once; a second click changes nothing", async () => {
    const { usual, phone, token } = await newDeviceSignIn();
    expect(await disown(token)).toMatchObject({ ok: true, data: { ended: true } });
    expect(await alive(phone)).toBe(false);
    expect(await alive(usual)).toBe(true);
    expect(await disown(token)).toMatchObject({ ok: true, data: { ended: false } });

    const events = await h.db.authEvent.findMany({ where: { command: "AUTH.SESSION.DISOWN" }, orderBy: { at: "asc" } });
    expect(events.map((event) => auditDetails(event).ended)).toEqual([true, false]);
    expect(events[0].userId).not.toBeNull();
    expect(JSON.stringify(events)).not.toContain(token.split(".")[2]);
  });

  it("refuses a link changed to name another session or a later expiry, or with a forged code", async () => {
    const { usual, phone, token } = await newDeviceSignIn();
    const [sessionId, expires, mac] = token.split(".");
    const usualId = (await runCommand(h, "AUTH.SESSION.GET", {}, { sessionToken: usual })).data.session as { id: string };
    for (const forged of [
      `${usualId.id}.${expires}.${mac}`,
      `${sessionId}.${Number(expires) + 86_400}.${mac}`,
      `${sessionId}.${expires}.${"0".repeat(64)}`,
      `${sessionId}.${expires}.${mac.slice(0, 63)}`,
      `${sessionId}.${expires}`,
      `${sessionId}..${mac}`,
      `${sessionId}.${expires}.${mac.toUpperCase()}`,
      "not a token",
    ]) {
      expect(await disown(forged), forged).toMatchObject({ ok: false, status: 404, code: "TOKEN_INVALID" });
    }
    expect(await disown("x".repeat(201))).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
    expect(await alive(usual)).toBe(true);
    expect(await alive(phone)).toBe(true);
  });

  it("expires with the session it names, on a moved clock", async () => {
    const { token } = await newDeviceSignIn();
    h.clock.advanceSeconds(31 * 24 * 60 * 60);
    expect(await disown(token)).toMatchObject({ ok: false, status: 410, code: "TOKEN_EXPIRED" });
  });

  it("is refused when another site's page posts it", async () => {
    const { phone, token } = await newDeviceSignIn();
    const crossSite = { channel: "browser" as const, request: requestContext({ origin: "https://evil.example", fetchSite: "cross-site" }) };
    expect(await disown(token, crossSite)).toMatchObject({ ok: false, status: 403 });
    expect(await alive(phone)).toBe(true);
  });
});
