import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditDetails, PROVIDERS, createHarness, requestContext, runCommand, signInByEmail, type Harness } from "../testing/harness";

/**
 * Settings → Sessions as commands (issue 19): an account lists its live
 * sessions and ends one of the others; nobody lists or ends another
 * account's, and an ended session's next request finds nothing.
 */
describe.each(PROVIDERS)("the session list on %s", (provider) => {
  let h: Harness;
  let people = 0;
  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  const as = (sessionToken: string) => ({ sessionToken });
  const idOf = async (token: string) =>
    ((await runCommand(h, "AUTH.SESSION.GET", {}, as(token))).data.session as { id: string }).id;

  async function personWithTwoSessions() {
    const email = `sessions-${++people}@example.com`;
    const laptop = await signInByEmail(h, email);
    h.clock.advanceSeconds(120);
    const phone = await signInByEmail(h, email);
    return { email, laptop, phone, laptopId: await idOf(laptop), phoneId: await idOf(phone) };
  }

  it("lists the account's live sessions, the asking one marked, and no token", async () => {
    const { laptop, laptopId, phoneId } = await personWithTwoSessions();
    await signInByEmail(h, `someone-else-${people}@example.com`);

    const listed = await runCommand(h, "AUTH.SESSION.LIST", {}, as(laptop));
    expect(listed).toMatchObject({ ok: true, status: 200 });
    const sessions = listed.data.sessions as { id: string; current: boolean }[];
    expect(sessions.map((s) => [s.id, s.current])).toEqual(
      expect.arrayContaining([
        [laptopId, true],
        [phoneId, false],
      ]),
    );
    expect(sessions).toHaveLength(2);
    expect(sessions[0]).toMatchObject({ aal: 1, methods: ["magic_link"], deviceName: requestContext().browserSummary });
    expect(Object.keys(sessions[0]).sort()).toEqual(
      ["aal", "binding", "country", "createdAt", "current", "deviceName", "expiresAt", "id", "lastSeenAt", "methods"].sort(),
    );
    expect(JSON.stringify(listed.data)).not.toContain(laptop);
  });

  it("leaves out sessions past their idle window (a moved clock)", async () => {
    const { laptop, phone } = await personWithTwoSessions();
    // AAL1 idles out after 7 days; the laptop keeps itself alive meanwhile.
    for (let day = 0; day < 8; day++) {
      h.clock.advanceSeconds(24 * 60 * 60);
      await runCommand(h, "AUTH.SESSION.GET", {}, as(laptop));
    }
    const sessions = (await runCommand(h, "AUTH.SESSION.LIST", {}, as(laptop))).data.sessions as unknown[];
    expect(sessions).toHaveLength(1);
    expect(await runCommand(h, "AUTH.SESSION.GET", {}, as(phone))).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
  });

  it("ends another session at once: its next request is signed out, and it is audited", async () => {
    const { laptop, phone, phoneId } = await personWithTwoSessions();
    expect(await runCommand(h, "AUTH.SESSION.REVOKE_OTHER", { sessionId: phoneId }, as(laptop))).toMatchObject({
      ok: true,
      data: { revoked: true },
    });
    expect(await runCommand(h, "AUTH.SESSION.GET", {}, as(phone))).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
    expect(await runCommand(h, "AUTH.SESSION.GET", {}, as(laptop))).toMatchObject({ ok: true });
    await h.deps.audit.flush();
    const event = await h.db.authEvent.findFirstOrThrow({ where: { command: "AUTH.SESSION.REVOKE_OTHER", outcome: "ok" } });
    expect(auditDetails(event)).toMatchObject({ sessionId: phoneId });
    // Twice: already gone.
    expect(await runCommand(h, "AUTH.SESSION.REVOKE_OTHER", { sessionId: phoneId }, as(laptop))).toMatchObject({ status: 404, code: "NOT_FOUND" });
  });

  it("never ends another account's session, and says no more than for an id that never existed", async () => {
    const mallory = await personWithTwoSessions();
    const victim = await personWithTwoSessions();
    const forOther = await runCommand(h, "AUTH.SESSION.REVOKE_OTHER", { sessionId: victim.phoneId }, as(mallory.laptop));
    const forNothing = await runCommand(h, "AUTH.SESSION.REVOKE_OTHER", { sessionId: "0193a5c2-0000-7000-8000-000000000000" }, as(mallory.laptop));
    expect(forOther).toMatchObject({ status: 404, code: "NOT_FOUND" });
    expect(forNothing).toEqual(forOther);
    expect(await runCommand(h, "AUTH.SESSION.GET", {}, as(victim.phone))).toMatchObject({ ok: true });
  });

  it("refuses the asking session (AUTH.SESSION.REVOKE ends it), malformed input, and no session", async () => {
    const { laptop, laptopId } = await personWithTwoSessions();
    expect(await runCommand(h, "AUTH.SESSION.REVOKE_OTHER", { sessionId: laptopId }, as(laptop))).toMatchObject({
      status: 400,
      code: "VALIDATION_FAILED",
    });
    for (const params of [{}, { sessionId: "" }, { sessionId: 7 }, { sessionId: "x".repeat(65) }, { sessionId: laptopId, extra: 1 }]) {
      expect(await runCommand(h, "AUTH.SESSION.REVOKE_OTHER", params, as(laptop))).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
    }
    expect(await runCommand(h, "AUTH.SESSION.LIST", {}, {})).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
    expect(await runCommand(h, "AUTH.SESSION.GET", {}, as(laptop))).toMatchObject({ ok: true });
  });

  it("refuses a cross-site request riding the cookie", async () => {
    const { laptop, phone, phoneId } = await personWithTwoSessions();
    const browser = {
      channel: "browser" as const,
      sessionToken: laptop,
      sessionFromCookie: true,
      request: requestContext({ origin: "https://evil.example", fetchSite: "cross-site" }),
    };
    expect(await runCommand(h, "AUTH.SESSION.REVOKE_OTHER", { sessionId: phoneId }, browser)).toMatchObject({
      status: 403,
      code: "ORIGIN_REJECTED",
    });
    expect(await runCommand(h, "AUTH.SESSION.GET", {}, as(phone))).toMatchObject({ ok: true });
  });
});
