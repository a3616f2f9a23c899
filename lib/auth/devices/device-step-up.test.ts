import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditDetails, PROVIDERS, createHarness, runCommand, signInByEmail, type Harness } from "../testing/harness";
import { passkeyStepUp, registerPasskey } from "../testing/passkeys";
import { makeTestDevice, proveTestDevice, registerTestDevice, sessionIdOf, type TestDevice } from "./device-test-support";

/**
 * A trusted device in the policy (issue 19): `payout.change` wants a
 * session bound to a device a passkey has vouched for, and accepts a fresh
 * confirmation on that device (AUTH.STEP_UP.BEGIN/VERIFY with method
 * `device`, a statement of purpose `step_up`). Every way to get such a
 * grant without that device is tried here.
 */
describe.each(PROVIDERS)("step-up on a trusted device on %s", (provider) => {
  let h: Harness;
  let people = 0;
  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  const as = (sessionToken: string) => ({ sessionToken });
  const PAYOUT = "payout.change";

  /** Signed in by email, a passkey, a device key that bound the session: the device is not trusted yet. */
  async function personOnNewDevice() {
    const token = await signInByEmail(h, `trusted-${++people}@example.com`);
    const authenticator = await registerPasskey(h, token);
    const device = await makeTestDevice();
    const deviceId = await registerTestDevice(h, token, device);
    expect(await proveTestDevice(h, token, device, deviceId)).toMatchObject({ ok: true, data: { trust: "new" } });
    return { token, authenticator, device, deviceId };
  }

  /** …and a passkey step-up on it (for another action), which trusts the device. */
  async function personOnTrustedDevice() {
    const person = await personOnNewDevice();
    const token = await passkeyStepUp(h, person.token, person.authenticator, "file.view_private");
    return { ...person, token };
  }

  const decision = async (token: string, action = PAYOUT) => (await runCommand(h, "AUTH.POLICY.DECIDE", { action }, as(token))).data;

  async function beginOnDevice(token: string, action = PAYOUT) {
    const begun = await runCommand(h, "AUTH.STEP_UP.BEGIN", { action, method: "device" }, as(token));
    expect(begun).toMatchObject({ ok: true, data: { method: "device" } });
    expect(begun.data.options).toBeUndefined();
    return { challengeId: begun.data.challengeId as string, challenge: begun.data.challenge as string };
  }

  async function signedStepUp(token: string, device: TestDevice, lie: { purpose?: "session" | "step_up"; sessionId?: string } = {}) {
    const { challengeId, challenge } = await beginOnDevice(token);
    const sessionId = lie.sessionId ?? (await sessionIdOf(h, token));
    const signature = await device.sign({ purpose: lie.purpose ?? "step_up", challenge, sessionId });
    return { challengeId, signature };
  }

  const verify = (token: string, params: Record<string, unknown>) => runCommand(h, "AUTH.STEP_UP.VERIFY", params, as(token));

  async function lastRefusalReason() {
    const event = await h.db.authEvent.findFirstOrThrow({
      where: { command: "AUTH.STEP_UP.VERIFY", errorCode: "DEVICE_PROOF_INVALID" },
      orderBy: [{ at: "desc" }, { id: "desc" }],
    });
    return auditDetails(event).reason;
  }

  it("asks for the passkey on an untrusted device, then accepts a confirmation on the device it trusted", async () => {
    const { token: first, authenticator, device } = await personOnNewDevice();
    expect(await decision(first)).toEqual({ decision: "step_up", methods: ["passkey"], maxAgeSeconds: 300, reasons: ["untrusted_device"] });
    // Not offered before the device is trusted.
    expect(await runCommand(h, "AUTH.STEP_UP.BEGIN", { action: PAYOUT, method: "device" }, as(first))).toMatchObject({
      status: 400,
      code: "METHOD_NOT_ALLOWED",
    });

    const second = await passkeyStepUp(h, first, authenticator, PAYOUT);
    expect(await decision(second)).toMatchObject({ decision: "allow" });

    // Six minutes on (the passkey grant has run out; the device proves again as its browser would).
    h.clock.advanceSeconds(6 * 60);
    expect(await decision(second)).toEqual({ decision: "step_up", methods: ["passkey", "device"], maxAgeSeconds: 300, reasons: ["proof_too_old"] });
    const verified = await verify(second, await signedStepUp(second, device));
    expect(verified).toMatchObject({ ok: true, data: { grant: { action: PAYOUT, method: "device" } } });
    const third = verified.data.sessionToken as string;
    expect(third).not.toBe(second);
    expect(await decision(third)).toMatchObject({ decision: "allow" });
    // The rotated-away token is no longer a session.
    expect(await runCommand(h, "AUTH.SESSION.GET", {}, as(second))).toMatchObject({ status: 401 });
    // A device's confirmation is not the passkey the admin area wants, nor a grant for anything else.
    expect(await decision(third, "file.export")).toMatchObject({ decision: "step_up", methods: ["passkey"] });
    expect(await decision(third, "security.factor.remove")).toMatchObject({ decision: "step_up", methods: ["passkey"] });
  });

  it("refuses a session with no device key outright, with a reason a page can explain", async () => {
    const token = await signInByEmail(h, "private-window@example.com");
    const authenticator = await registerPasskey(h, token);
    const stepped = await passkeyStepUp(h, token, authenticator, "file.view_private");
    expect(await decision(stepped)).toEqual({ decision: "deny", reasons: ["no_device_key"] });
    for (const method of ["device", "passkey"]) {
      expect(await runCommand(h, "AUTH.STEP_UP.BEGIN", { action: PAYOUT, method }, as(stepped))).toMatchObject({
        status: 403,
        code: "ACTION_DENIED",
      });
    }
  });

  it("spends a confirmation once: replayed, or sent twice at the same moment, it grants once", async () => {
    const { token, device } = await personOnTrustedDevice();
    const proof = await signedStepUp(token, device);
    const [a, b] = await Promise.all([verify(token, proof), verify(token, proof)]);
    expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
    const winner = (a.ok ? a : b).data.sessionToken as string;
    expect(await verify(winner, proof)).toMatchObject({ ok: false, code: "CHALLENGE_USED" });
    expect(await h.db.stepUpGrant.count({ where: { action: PAYOUT, method: "device" } })).toBe(1);
  });

  it("refuses a statement for another purpose or session, another key, and a late one, and ends nothing", async () => {
    const { token, device } = await personOnTrustedDevice();
    const other = await makeTestDevice();

    // A background session proof's signature cannot be turned into a step-up.
    expect(await verify(token, await signedStepUp(token, device, { purpose: "session" }))).toMatchObject({ status: 403, code: "DEVICE_PROOF_INVALID" });
    expect(await lastRefusalReason()).toBe("bad_signature");
    expect(await verify(token, await signedStepUp(token, device, { sessionId: "another-session" }))).toMatchObject({ code: "DEVICE_PROOF_INVALID" });
    expect(await verify(token, await signedStepUp(token, other))).toMatchObject({ code: "DEVICE_PROOF_INVALID" });

    const late = await signedStepUp(token, device);
    h.clock.advanceSeconds(61);
    expect(await verify(token, late)).toMatchObject({ ok: false, code: "CHALLENGE_EXPIRED" });

    expect(await h.db.stepUpGrant.count({ where: { method: "device" } })).toBe(0);
    // A failed confirmation is refused, not treated as a stolen session: the person is still signed in.
    expect(await runCommand(h, "AUTH.SESSION.GET", {}, as(token))).toMatchObject({ ok: true });
  });

  it("refuses a challenge from another session of the account, and a device proof's challenge", async () => {
    const { token, device, deviceId } = await personOnTrustedDevice();
    const proof = await signedStepUp(token, device);
    // The same account, signed in elsewhere, bound to the same device key (a second tab's session).
    const elsewhere = await signInByEmail(h, `trusted-${people}@example.com`);
    await proveTestDevice(h, elsewhere, device, deviceId);
    expect(await verify(elsewhere, proof)).toMatchObject({ ok: false, code: "CHALLENGE_INVALID" });

    const issued = await runCommand(h, "AUTH.DEVICE.CHALLENGE", { deviceId, purpose: "session" }, as(token));
    const signature = await device.sign({ purpose: "step_up", challenge: issued.data.challenge as string, sessionId: await sessionIdOf(h, token) });
    expect(await verify(token, { challengeId: issued.data.challengeId, signature })).toMatchObject({ ok: false, code: "CHALLENGE_INVALID" });
    // Nor can AUTH.DEVICE.CHALLENGE hand out a step-up challenge: that one names its action.
    expect(await runCommand(h, "AUTH.DEVICE.CHALLENGE", { deviceId, purpose: "step_up" }, as(token))).toMatchObject({ code: "VALIDATION_FAILED" });
  });

  it("refuses a confirmation once the device is revoked: its sessions have ended", async () => {
    const { token, device, deviceId } = await personOnTrustedDevice();
    const proof = await signedStepUp(token, device);
    const other = await signInByEmail(h, `trusted-${people}@example.com`);
    expect(await runCommand(h, "AUTH.DEVICE.REVOKE", { deviceId }, as(other))).toMatchObject({ ok: true });
    expect(await verify(token, proof)).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
  });

  it("answers malformed proofs as invalid input, and more than one proof at once too", async () => {
    const { token, device } = await personOnTrustedDevice();
    const { challengeId, signature } = await signedStepUp(token, device);
    for (const params of [
      { challengeId, signature: "A".repeat(129) },
      { challengeId, signature: "" },
      { challengeId, signature, code: "123456" },
      { challengeId },
    ]) {
      expect(await verify(token, params)).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
    }
    expect(await verify(token, { challengeId, signature: "not base64url at all!" })).toMatchObject({ code: "DEVICE_PROOF_INVALID" });
  });
});
