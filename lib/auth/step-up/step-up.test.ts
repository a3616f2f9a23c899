import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { newRowId } from "../../db/ids";
import { AUTH_COMMANDS } from "../commands";
import { defineCommand, type CommandContext } from "../core/command-types";
import { success } from "../core/errors";
import { execute } from "../core/execute";
import { commandRegistry } from "../core/registry";
import {
  auditDetails,
  PROVIDERS,
  TEST_TOTP_KEY,
  commandContext,
  createHarness,
  requestContext,
  runCommand,
  signInByEmail,
  type Harness,
} from "../testing/harness";
import { registerPasskey } from "../testing/passkeys";
import type { SoftwareAuthenticator } from "../testing/software-authenticator";
import { newTotpSecret, totpCodeAt, totpStepAt } from "../totp/totp-code";
import { sealFactorSecret } from "../totp/totp-factor-secret";

const HOUR = 60 * 60 * 1000;


/**
 * Step-up (issue 20): the guard, the dry run, and the ceremony that turns a
 * fresh strong proof into a grant for one session and one action, tried
 * the way an attacker would: another session's challenge, another action's
 * grant, an expired grant, email offered as a factor, replays and races.
 */
describe.each(PROVIDERS)("step-up on %s", (provider) => {
  let h: Harness;
  let people = 0;
  beforeEach(async () => {
    h = await createHarness(provider, { blockedCidrs: "203.0.113.0/24" });
    // A protected command of the test's own, as an application would declare one.
    h.deps.commands = commandRegistry([...AUTH_COMMANDS, protectedRead]);
  });
  afterEach(async () => {
    await h.close();
  });

  const protectedRead = defineCommand({
    name: "TEST.PRIVATE.READ",
    requiresSession: true,
    policyAction: "file.view_private",
    input: z.strictObject({}),
    handle: async () => success({ data: { secret: "the private file" } }),
  });

  const run = (command: string, params: unknown, ctx: Partial<CommandContext> = {}) => runCommand(h, command, params, ctx);

  /** A person with a passkey, signed in again by email (no passkey proof on that session). */
  async function personWithPasskey() {
    const email = `step-up-${++people}@example.com`;
    const phone = await registerPasskey(h, await signInByEmail(h, email));
    const user = await h.db.user.findUniqueOrThrow({ where: { email } });
    return { email, phone, userId: user.id, token: await signInByEmail(h, email) };
  }

  /** A confirmed authenticator app, as enrolment leaves one; its secret for computing codes. */
  async function addApp(userId: string) {
    const id = newRowId();
    const secret = newTotpSecret();
    const now = h.clock.now();
    const secretSealed = sealFactorSecret({ totpKey: TEST_TOTP_KEY }, { userId, id }, secret);
    await h.deps.store.totpFactors.insertPending({ id, userId, secretSealed, name: "Phone app", createdAt: now });
    expect(await h.deps.store.totpFactors.acceptStep(id, totpStepAt(now) - 2, now)).toBe(true);
    return { id, code: (at = h.clock.now()) => totpCodeAt(secret, at) };
  }

  async function passkeyStepUp(token: string, phone: SoftwareAuthenticator, action = "file.view_private") {
    const begun = await run("AUTH.STEP_UP.BEGIN", { action, method: "passkey" }, { sessionToken: token });
    expect(begun).toMatchObject({ ok: true, data: { method: "passkey" } });
    const response = phone.assert(begun.data.options as PublicKeyCredentialRequestOptionsJSON);
    return run("AUTH.STEP_UP.VERIFY", { challengeId: begun.data.challengeId, response }, { sessionToken: token });
  }

  const decide = async (token: string, action: string) => (await run("AUTH.POLICY.DECIDE", { action }, { sessionToken: token })).data;

  it("a protected command answers STEP_UP_REQUIRED in RFC 9470's shape, and runs after a passkey step-up", async () => {
    const { token, phone } = await personWithPasskey();
    const refused = await execute(h.deps, "TEST.PRIVATE.READ", {}, commandContext({ sessionToken: token }));
    expect(refused.status).toBe(403);
    expect(refused.envelope.error).toMatchObject({
      code: "STEP_UP_REQUIRED",
      details: { action: "file.view_private", methods: ["passkey"], maxAgeSeconds: 12 * 60 * 60 },
    });
    expect(await decide(token, "file.view_private")).toEqual({
      decision: "step_up",
      methods: ["passkey"],
      maxAgeSeconds: 43200,
      reasons: ["proof_too_old"],
    });

    const verified = await passkeyStepUp(token, phone);
    expect(verified).toMatchObject({ ok: true, data: { grant: { action: "file.view_private", method: "passkey" } } });
    const rotated = verified.data.sessionToken as string;
    expect(rotated).not.toBe(token);
    // The old token is worthless; the new one reads the file without another prompt.
    expect((await run("TEST.PRIVATE.READ", {}, { sessionToken: token })).code).toBe("UNAUTHENTICATED");
    expect(await run("TEST.PRIVATE.READ", {}, { sessionToken: rotated })).toMatchObject({ ok: true, data: { secret: "the private file" } });
    // No new session, no raised level, no method appended: the grant is the record.
    const session = await run("AUTH.SESSION.GET", {}, { sessionToken: rotated });
    expect(session.data).toMatchObject({ session: { aal: 1 } });
    expect(await h.db.session.count({ where: { user: { email: { startsWith: "step-up-" } } } })).toBe(2);
  });

  it("the refusal is audited with the rules that fired", async () => {
    const { token } = await personWithPasskey();
    await run("TEST.PRIVATE.READ", {}, { sessionToken: token });
    const event = await h.db.authEvent.findFirstOrThrow({ where: { command: "TEST.PRIVATE.READ" } });
    expect(event).toMatchObject({ outcome: "refused", errorCode: "STEP_UP_REQUIRED" });
    expect(auditDetails(event)).toMatchObject({ action: "file.view_private", decision: "step_up", reasons: "proof_too_old" });
  });

  it("a grant is for one action: another action still asks", async () => {
    const { token, phone } = await personWithPasskey();
    const rotated = (await passkeyStepUp(token, phone)).data.sessionToken as string;
    expect(await decide(rotated, "file.view_private")).toMatchObject({ decision: "allow" });
    expect(await decide(rotated, "file.export")).toMatchObject({ decision: "step_up", methods: ["passkey"] });
  });

  it("a grant ends with its window: 12 hours later the action asks again", async () => {
    const { token, phone } = await personWithPasskey();
    const rotated = (await passkeyStepUp(token, phone)).data.sessionToken as string;
    h.clock.advanceSeconds((12 * HOUR - 1000) / 1000);
    expect(await decide(rotated, "file.view_private")).toMatchObject({ decision: "allow" });
    h.clock.advanceSeconds((2000) / 1000);
    expect(await decide(rotated, "file.view_private")).toMatchObject({ decision: "step_up" });
  });

  it("a grant is for one session: another session of the same person still asks", async () => {
    const { token, phone, email } = await personWithPasskey();
    const other = await signInByEmail(h, email);
    await passkeyStepUp(token, phone);
    expect(await decide(other, "file.view_private")).toMatchObject({ decision: "step_up" });
  });

  it("a challenge started in one session cannot be finished in another", async () => {
    const { token, phone, email } = await personWithPasskey();
    const other = await signInByEmail(h, email);
    const begun = await run("AUTH.STEP_UP.BEGIN", { action: "file.view_private", method: "passkey" }, { sessionToken: token });
    const response = phone.assert(begun.data.options as PublicKeyCredentialRequestOptionsJSON);
    const stolen = await run("AUTH.STEP_UP.VERIFY", { challengeId: begun.data.challengeId, response }, { sessionToken: other });
    expect(stolen).toMatchObject({ ok: false, code: "CHALLENGE_INVALID" });
    expect(await h.db.stepUpGrant.count()).toBe(0);
  });

  it("the same proof twice, in parallel or later, grants once", async () => {
    const { token, phone } = await personWithPasskey();
    const begun = await run("AUTH.STEP_UP.BEGIN", { action: "file.view_private", method: "passkey" }, { sessionToken: token });
    const response = phone.assert(begun.data.options as PublicKeyCredentialRequestOptionsJSON);
    const verify = () => run("AUTH.STEP_UP.VERIFY", { challengeId: begun.data.challengeId, response }, { sessionToken: token });
    const results = await Promise.all([verify(), verify(), verify()]);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(await h.db.stepUpGrant.count()).toBe(1);
    const rotated = results.find((result) => result.ok)?.data.sessionToken as string;
    expect(await run("AUTH.STEP_UP.VERIFY", { challengeId: begun.data.challengeId, response }, { sessionToken: rotated })).toMatchObject({
      ok: false,
      code: "CHALLENGE_USED",
    });
  });

  it("another account's passkey proves nothing here", async () => {
    const alice = await personWithPasskey();
    const bob = await personWithPasskey();
    const begun = await run("AUTH.STEP_UP.BEGIN", { action: "file.view_private", method: "passkey" }, { sessionToken: alice.token });
    const response = bob.phone.assert({ ...(begun.data.options as PublicKeyCredentialRequestOptionsJSON), allowCredentials: [] });
    const verified = await run("AUTH.STEP_UP.VERIFY", { challengeId: begun.data.challengeId, response }, { sessionToken: alice.token });
    expect(verified).toMatchObject({ ok: false, code: "PASSKEY_INVALID" });
    expect(await h.db.stepUpGrant.count()).toBe(0);
  });

  it.each(["email", "email_code", "magic_link", "sms"])("%s never satisfies a step-up: METHOD_NOT_ALLOWED", async (method) => {
    const { token } = await personWithPasskey();
    const begun = await run("AUTH.STEP_UP.BEGIN", { action: "file.view_private", method }, { sessionToken: token });
    expect(begun).toMatchObject({ status: 400, ok: false, code: "METHOD_NOT_ALLOWED" });
  });

  it("a method the action does not accept is refused: removing a factor wants the strongest, a passkey, not an app", async () => {
    const { token, userId } = await personWithPasskey();
    await addApp(userId);
    const begun = await run("AUTH.STEP_UP.BEGIN", { action: "security.factor.remove", method: "totp" }, { sessionToken: token });
    expect(begun).toMatchObject({ status: 400, code: "METHOD_NOT_ALLOWED" });
  });

  it("an unknown action is a validation failure, for the dry run and the step-up alike", async () => {
    const { token } = await personWithPasskey();
    for (const action of ["no.such.action", "toString", "__proto__"]) {
      expect(await run("AUTH.POLICY.DECIDE", { action }, { sessionToken: token })).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
      expect(await run("AUTH.STEP_UP.BEGIN", { action, method: "passkey" }, { sessionToken: token })).toMatchObject({
        status: 400,
        code: "VALIDATION_FAILED",
      });
    }
  });

  it("malformed input is a 400 that writes nothing: both proofs at once, neither, a client-supplied time", async () => {
    const { token } = await personWithPasskey();
    const challengeId = crypto.randomUUID();
    for (const params of [
      { challengeId },
      { challengeId, code: "123456", response: { id: "x" } },
      { challengeId, code: "123456", at: "2020-01-01T00:00:00Z" },
      { challengeId: "not-a-uuid", code: "123456" },
      { challengeId, code: "1".repeat(1000) },
    ]) {
      expect(await run("AUTH.STEP_UP.VERIFY", params, { sessionToken: token })).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
    }
    expect(await h.db.stepUpGrant.count()).toBe(0);
  });

  it("an authenticator app steps up with a code of now or one step off, never a code used before or two steps off", async () => {
    const { token, userId } = await personWithPasskey();
    const app = await addApp(userId);
    const begin = async (sessionToken: string) =>
      (await run("AUTH.STEP_UP.BEGIN", { action: "file.view_private", method: "totp" }, { sessionToken })).data.challengeId as string;

    const twoStepsOff = await run("AUTH.STEP_UP.VERIFY", { challengeId: await begin(token), code: app.code(new Date(h.clock.now().getTime() + 60_000)) }, { sessionToken: token });
    expect(twoStepsOff).toMatchObject({ ok: false, code: "CODE_INVALID" });

    const code = app.code();
    const granted = await run("AUTH.STEP_UP.VERIFY", { challengeId: await begin(token), code: ` ${code.slice(0, 3)} ${code.slice(3)} ` }, { sessionToken: token });
    expect(granted).toMatchObject({ ok: true, data: { grant: { action: "file.view_private", method: "totp" } } });
    const rotated = granted.data.sessionToken as string;

    const replayed = await run("AUTH.STEP_UP.VERIFY", { challengeId: await begin(rotated), code }, { sessionToken: rotated });
    expect(replayed).toMatchObject({ ok: false, code: "CODE_INVALID" });
    h.clock.advanceSeconds((30_000) / 1000);
    const nextStep = await run("AUTH.STEP_UP.VERIFY", { challengeId: await begin(rotated), code: app.code() }, { sessionToken: rotated });
    expect(nextStep).toMatchObject({ ok: true });
  });

  it("five wrong app codes lock the app for 15 minutes", async () => {
    const { token, userId } = await personWithPasskey();
    const app = await addApp(userId);
    const attempt = async (code: string) => {
      const begun = await run("AUTH.STEP_UP.BEGIN", { action: "file.view_private", method: "totp" }, { sessionToken: token });
      return run("AUTH.STEP_UP.VERIFY", { challengeId: begun.data.challengeId, code }, { sessionToken: token });
    };
    const wrong = String((Number(app.code()) + 1) % 1_000_000).padStart(6, "0");
    for (let i = 0; i < 4; i++) expect(await attempt(wrong)).toMatchObject({ code: "CODE_INVALID" });
    // The fifth locks it, and says so.
    expect(await attempt(wrong)).toMatchObject({ code: "CODE_LOCKED" });
    // Locked: even the right code is refused now.
    expect(await attempt(app.code())).toMatchObject({ ok: false, code: "CODE_LOCKED" });
    h.clock.advanceSeconds((15 * 60 * 1000 + 1000) / 1000);
    expect(await attempt(app.code())).toMatchObject({ ok: true });
  });

  it("a blocked network is refused outright: no step-up is offered", async () => {
    const { token } = await personWithPasskey();
    const blocked = { request: requestContext({ ip: "203.0.113.9", origin: null, fetchSite: null }) };
    expect((await run("AUTH.POLICY.DECIDE", { action: "file.view_private" }, { sessionToken: token, ...blocked })).data).toMatchObject({
      decision: "deny",
      reasons: ["blocked_network"],
    });
    const begun = await run("AUTH.STEP_UP.BEGIN", { action: "file.view_private", method: "passkey" }, { sessionToken: token, ...blocked });
    expect(begun).toMatchObject({ status: 403, code: "ACTION_DENIED" });
  });

  it("a restricted session may step up, and the step-up lifts the restriction", async () => {
    const { token, phone } = await personWithPasskey();
    await h.db.session.updateMany({ data: { restricted: true } });
    expect(await decide(token, "file.view_private")).toMatchObject({ decision: "deny", reasons: ["restricted_session"] });
    const rotated = (await passkeyStepUp(token, phone)).data.sessionToken as string;
    expect(await decide(rotated, "file.view_private")).toMatchObject({ decision: "allow" });
    expect(await decide(rotated, "file.export")).toMatchObject({ decision: "step_up" });
  });

  it("an account without a strong factor is told so, not offered email", async () => {
    const token = await signInByEmail(h, `no-factor-${++people}@example.com`);
    expect(await decide(token, "file.view_private")).toMatchObject({ decision: "deny", reasons: ["no_strong_factor"] });
    expect(await run("AUTH.STEP_UP.BEGIN", { action: "file.view_private", method: "passkey" }, { sessionToken: token })).toMatchObject({
      status: 403,
      code: "ACTION_DENIED",
    });
  });

  it.each([
    ["another site", { origin: "https://evil.example", fetchSite: "cross-site" }],
    ["Origin: null", { origin: "null", fetchSite: "cross-site" }],
    ["no Origin, cross-site fetch", { origin: null, fetchSite: "cross-site" }],
  ])("a cross-site request riding the cookie is refused (%s)", async (_, request) => {
    const { token } = await personWithPasskey();
    const browser = { channel: "browser" as const, sessionToken: token, sessionFromCookie: true, request: requestContext(request) };
    for (const [command, params] of [
      ["AUTH.STEP_UP.BEGIN", { action: "file.view_private", method: "passkey" }],
      ["AUTH.STEP_UP.VERIFY", { challengeId: crypto.randomUUID(), code: "123456" }],
    ] as const) {
      expect(await run(command, params, browser)).toMatchObject({ status: 403, code: "ORIGIN_REJECTED" });
    }
    expect(await h.db.webAuthnChallenge.count({ where: { purpose: "step_up" } })).toBe(0);
  });

  it("a browser gets the rotated token as its cookie, never in the body", async () => {
    const { token, phone } = await personWithPasskey();
    const browser = { channel: "browser" as const, sessionToken: token, sessionFromCookie: true, request: requestContext() };
    const begun = await run("AUTH.STEP_UP.BEGIN", { action: "file.view_private", method: "passkey" }, browser);
    const binding = begun.effects.find((effect) => effect.kind === "set-webauthn-binding");
    expect(binding).toBeDefined();
    const response = phone.assert(begun.data.options as PublicKeyCredentialRequestOptionsJSON);
    const params = { challengeId: begun.data.challengeId, response };
    // Without the binding cookie of the browser that started it: refused, not spent.
    expect(await run("AUTH.STEP_UP.VERIFY", params, browser)).toMatchObject({ code: "CHALLENGE_INVALID" });
    const verified = await run("AUTH.STEP_UP.VERIFY", params, {
      ...browser,
      webauthnBindingCookie: binding && "value" in binding ? binding.value : null,
    });
    expect(verified).toMatchObject({ ok: true, data: { sessionToken: null } });
    expect(verified.effects).toContainEqual(expect.objectContaining({ kind: "set-session" }));
  });
});
