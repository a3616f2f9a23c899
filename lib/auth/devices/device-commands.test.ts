import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  auditDetails,
  PROVIDERS,
  TEST_DEVICE_PROOF_INTERVAL_SECONDS,
  createHarness,
  requestContext,
  runCommand,
  signInByEmail,
  type Harness,
} from "../testing/harness";
import { passkeyStepUp, registerPasskey } from "../testing/passkeys";
import { makeTestDevice, proveTestDevice, registerTestDevice, sessionIdOf, type TestDevice } from "./device-test-support";

/**
 * Devices and bound sessions through the commands (issue 19), on both
 * databases, with keys made in the test: every refusal the protocol names
 * (docs/device-proof.md), a copied cookie, a revoked device, a moved clock.
 */
describe.each(PROVIDERS)("device keys on %s", (provider) => {
  let h: Harness;
  let people = 0;
  beforeEach(async () => {
    h = await createHarness(provider);
  });
  afterEach(async () => {
    await h.close();
  });

  const as = (sessionToken: string) => ({ sessionToken });

  async function personWithDevice() {
    const email = `device-${++people}@example.com`;
    const token = await signInByEmail(h, email);
    const device = await makeTestDevice();
    const deviceId = await registerTestDevice(h, token, device);
    return { email, token, device, deviceId };
  }

  async function challenge(token: string, deviceId: string, purpose: "register" | "session" = "session") {
    const issued = await runCommand(h, "AUTH.DEVICE.CHALLENGE", { deviceId, purpose }, as(token));
    expect(issued).toMatchObject({ ok: true });
    return { challengeId: issued.data.challengeId as string, challenge: issued.data.challenge as string };
  }

  async function prove(token: string, params: { challengeId: string; purpose?: string; signature: string }) {
    return runCommand(h, "AUTH.DEVICE.PROVE", { purpose: "session", ...params }, as(token));
  }

  async function signed(token: string, device: TestDevice, deviceId: string, lie: { origin?: string; sessionId?: string } = {}) {
    const { challengeId, challenge: text } = await challenge(token, deviceId);
    const signature = await device.sign({ purpose: "session", challenge: text, sessionId: lie.sessionId ?? (await sessionIdOf(h, token)), origin: lie.origin });
    return { challengeId, signature };
  }

  async function lastRefusalReason() {
    const event = await h.db.authEvent.findFirstOrThrow({
      where: { command: "AUTH.DEVICE.PROVE", errorCode: "DEVICE_PROOF_INVALID" },
      orderBy: [{ at: "desc" }, { id: "desc" }],
    });
    return auditDetails(event).reason;
  }

  it("binds the session with a session proof, and lists the device as this one", async () => {
    const { token, device, deviceId } = await personWithDevice();
    expect((await runCommand(h, "AUTH.SESSION.GET", {}, as(token))).data.session).toMatchObject({ binding: "none", deviceId: null });

    expect(await proveTestDevice(h, token, device, deviceId)).toMatchObject({ ok: true, data: { deviceId, purpose: "session", trust: "new" } });
    expect((await runCommand(h, "AUTH.SESSION.GET", {}, as(token))).data.session).toMatchObject({ binding: "device-key", deviceId });
    const listed = await runCommand(h, "AUTH.DEVICE.LIST", {}, as(token));
    expect(listed.data.devices).toEqual([
      expect.objectContaining({ id: deviceId, name: "Firefox · Windows", trust: "new", current: true, country: "ES" }),
    ]);
    expect(JSON.stringify(listed.data)).not.toContain(device.publicKey.x as string);
    const sessions = (await runCommand(h, "AUTH.SESSION.LIST", {}, as(token))).data.sessions as { binding: string }[];
    expect(sessions[0]).toMatchObject({ binding: "device-key", deviceName: "Firefox · Windows" });
  });

  it("refuses a replayed proof, and of two racing ones accepts exactly one", async () => {
    const { token, device, deviceId } = await personWithDevice();
    const proof = await signed(token, device, deviceId);
    expect(await prove(token, proof)).toMatchObject({ ok: true });
    expect(await prove(token, proof)).toMatchObject({ ok: false, status: 403, code: "DEVICE_PROOF_INVALID" });
    expect(await lastRefusalReason()).toBe("challenge_used");

    const racing = await signed(token, device, deviceId);
    const answers = await Promise.all([prove(token, racing), prove(token, racing), prove(token, racing)]);
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    // A challenge sent twice is a retry, not a thief: the session goes on.
    expect(await runCommand(h, "AUTH.SESSION.LIST", {}, as(token))).toMatchObject({ ok: true });
  });

  it("binds a fresh session to only one of two devices racing to prove it", async () => {
    const { token, device, deviceId } = await personWithDevice();
    const other = await makeTestDevice();
    const otherId = await registerTestDevice(h, token, other);
    const proofs = [await signed(token, device, deviceId), await signed(token, other, otherId)];
    const answers = await Promise.all(proofs.map((proof) => prove(token, proof)));
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    expect(answers.find((answer) => !answer.ok)).toMatchObject({ status: 403, code: "DEVICE_PROOF_INVALID" });
    const winner = answers[0].ok ? deviceId : otherId;
    const reason = await lastRefusalReason();
    if (reason === "session_bound_meanwhile") {
      // Both read the session unbound: the loser lost a race, which ends nothing.
      expect((await runCommand(h, "AUTH.SESSION.GET", {}, as(token))).data.session).toMatchObject({ binding: "device-key", deviceId: winner });
    } else {
      // The loser read it bound already: another device's proof on a bound session is a copied cookie.
      expect(reason).toBe("session_bound_elsewhere");
      expect(await runCommand(h, "AUTH.SESSION.GET", {}, as(token))).toMatchObject({ code: "UNAUTHENTICATED" });
    }
  });

  it("refuses a proof after its 60 seconds (a moved clock)", async () => {
    const { token, device, deviceId } = await personWithDevice();
    const proof = await signed(token, device, deviceId);
    h.clock.advanceSeconds(61);
    expect(await prove(token, proof)).toMatchObject({ code: "DEVICE_PROOF_INVALID" });
    expect(await lastRefusalReason()).toBe("challenge_expired");
  });

  it("refuses a proof made for another purpose, origin or session, or by another key", async () => {
    const { email, token, device, deviceId } = await personWithDevice();

    const forRegister = await challenge(token, deviceId, "register");
    const registerSignature = await device.sign({ purpose: "register", challenge: forRegister.challenge, sessionId: await sessionIdOf(h, token) });
    expect(await prove(token, { challengeId: forRegister.challengeId, purpose: "session", signature: registerSignature })).toMatchObject({
      code: "DEVICE_PROOF_INVALID",
    });

    expect(await prove(token, await signed(token, device, deviceId, { origin: "https://evil.example" }))).toMatchObject({ code: "DEVICE_PROOF_INVALID" });
    expect(await lastRefusalReason()).toBe("bad_signature");

    const otherSession = await signInByEmail(h, email);
    expect(await prove(token, await signed(token, device, deviceId, { sessionId: await sessionIdOf(h, otherSession) }))).toMatchObject({
      code: "DEVICE_PROOF_INVALID",
    });
    // A challenge issued to one session is no good in another, even the same account's.
    const issuedHere = await signed(token, device, deviceId);
    expect(await prove(otherSession, issuedHere)).toMatchObject({ code: "DEVICE_PROOF_INVALID" });
    expect(await lastRefusalReason()).toBe("other_session");

    const stranger = await makeTestDevice();
    const { challengeId, challenge: text } = await challenge(token, deviceId);
    const strangerSignature = await stranger.sign({ purpose: "session", challenge: text, sessionId: await sessionIdOf(h, token) });
    expect(await prove(token, { challengeId, signature: strangerSignature })).toMatchObject({ code: "DEVICE_PROOF_INVALID" });
    // None of these bound the session.
    expect((await runCommand(h, "AUTH.SESSION.GET", {}, as(token))).data.session).toMatchObject({ binding: "none" });
  });

  it("refuses challenges for a device never registered, or another account's", async () => {
    const { token } = await personWithDevice();
    const other = await personWithDevice();
    for (const deviceId of ["no-such-device", other.deviceId]) {
      expect(await runCommand(h, "AUTH.DEVICE.CHALLENGE", { deviceId, purpose: "session" }, as(token))).toMatchObject({
        status: 403,
        code: "DEVICE_PROOF_INVALID",
      });
    }
  });

  it("refuses a public key with a private part, another curve, or a malformed signature", async () => {
    const { token, device, deviceId } = await personWithDevice();
    const withPrivatePart = { ...device.publicKey, d: "A".repeat(43) };
    const refusals = [
      { publicKey: withPrivatePart },
      { publicKey: { ...device.publicKey, crv: "P-384" } },
      { publicKey: { kty: "RSA", n: "x", e: "AQAB" } },
      { publicKey: device.publicKey, name: "line\nbreak" },
    ];
    for (const params of refusals) {
      expect(await runCommand(h, "AUTH.DEVICE.REGISTER", params, as(token))).toMatchObject({ status: 400, code: "VALIDATION_FAILED" });
    }
    const { challengeId } = await challenge(token, deviceId);
    for (const signature of ["", "not base64!", "A".repeat(200)]) {
      expect((await prove(token, { challengeId, signature })).status).toBeLessThan(500);
    }
  });

  it("asks a bound session for a proof once the interval passes, lets it prove, then lets it go on", async () => {
    const { token, device, deviceId } = await personWithDevice();
    await proveTestDevice(h, token, device, deviceId);
    h.clock.advanceSeconds(TEST_DEVICE_PROOF_INTERVAL_SECONDS - 5);
    expect(await runCommand(h, "AUTH.SESSION.LIST", {}, as(token))).toMatchObject({ ok: true });

    h.clock.advanceSeconds(10);
    expect(await runCommand(h, "AUTH.SESSION.LIST", {}, as(token))).toMatchObject({ status: 401, code: "DEVICE_PROOF_REQUIRED" });
    expect((await runCommand(h, "AUTH.SESSION.GET", {}, as(token))).data.session).toMatchObject({ deviceProofDue: true });

    expect(await proveTestDevice(h, token, device, deviceId)).toMatchObject({ ok: true });
    expect(await runCommand(h, "AUTH.SESSION.LIST", {}, as(token))).toMatchObject({ ok: true });
  });

  it("lets a session whose proof is due sign out, and nothing that changes the account", async () => {
    const { token, device, deviceId } = await personWithDevice();
    await proveTestDevice(h, token, device, deviceId);
    h.clock.advanceSeconds(TEST_DEVICE_PROOF_INTERVAL_SECONDS + 1);
    for (const [command, params] of [
      ["AUTH.DEVICE.REVOKE", { deviceId }],
      ["AUTH.DEVICE.RENAME", { deviceId, name: "Mine now" }],
      ["AUTH.DEVICE.LIST", {}],
      ["AUTH.SESSION.REVOKE_ALL_OTHERS", {}],
      ["AUTH.PASSKEY.REGISTER.BEGIN", {}],
    ] as const) {
      expect(await runCommand(h, command, params, as(token))).toMatchObject({ status: 401, code: "DEVICE_PROOF_REQUIRED" });
    }
    expect(await runCommand(h, "AUTH.SESSION.REVOKE", {}, as(token))).toMatchObject({ ok: true });
    expect(await runCommand(h, "AUTH.SESSION.GET", {}, as(token))).toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("ends a bound session presented by a browser that holds another key, and tells the account (a copied cookie)", async () => {
    const { email, token, device, deviceId } = await personWithDevice();
    await proveTestDevice(h, token, device, deviceId);

    // The thief's browser has the cookie, not the key: it registers a key of its own and proves with it.
    const thief = await makeTestDevice();
    const thiefDeviceId = await registerTestDevice(h, token, thief);
    expect(await proveTestDevice(h, token, thief, thiefDeviceId)).toMatchObject({ ok: false, code: "DEVICE_PROOF_INVALID" });

    expect(await runCommand(h, "AUTH.SESSION.GET", {}, as(token))).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
    const event = await h.db.authEvent.findFirstOrThrow({ where: { command: "AUTH.DEVICE.PROVE", errorCode: "DEVICE_PROOF_INVALID" } });
    expect(auditDetails(event)).toMatchObject({ reason: "session_bound_elsewhere", sessionEnded: true });
    const notice = await h.db.outboxMessage.findFirstOrThrow({ where: { to: email, template: "session-used-elsewhere" } });
    expect(notice.subject).toBe("Your session was used from another device");
  });

  it("ends a bound session whose due proof fails", async () => {
    const { token, device, deviceId } = await personWithDevice();
    await proveTestDevice(h, token, device, deviceId);
    h.clock.advanceSeconds(TEST_DEVICE_PROOF_INTERVAL_SECONDS + 1);
    const stranger = await makeTestDevice();
    const { challengeId, challenge: text } = await challenge(token, deviceId);
    const forged = await stranger.sign({ purpose: "session", challenge: text, sessionId: await sessionIdOf(h, token) });
    expect(await prove(token, { challengeId, signature: forged })).toMatchObject({ code: "DEVICE_PROOF_INVALID" });
    expect(await runCommand(h, "AUTH.SESSION.GET", {}, as(token))).toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("revokes a device: its sessions end at once and its key is refused from then on", async () => {
    const { email, token, device, deviceId } = await personWithDevice();
    await proveTestDevice(h, token, device, deviceId);
    const elsewhere = await signInByEmail(h, email);
    const pending = await signed(token, device, deviceId);

    const revoked = await runCommand(h, "AUTH.DEVICE.REVOKE", { deviceId }, as(elsewhere));
    expect(revoked).toMatchObject({ ok: true, data: { revoked: true, sessionsEnded: 1 } });
    expect(await runCommand(h, "AUTH.SESSION.GET", {}, as(token))).toMatchObject({ code: "UNAUTHENTICATED" });

    // The key no longer proves anything, even with a challenge issued before.
    const again = await registerTestDevice(h, elsewhere, await makeTestDevice());
    expect(await runCommand(h, "AUTH.DEVICE.CHALLENGE", { deviceId, purpose: "session" }, as(elsewhere))).toMatchObject({ code: "DEVICE_PROOF_INVALID" });
    expect(await prove(elsewhere, pending)).toMatchObject({ code: "DEVICE_PROOF_INVALID" });
    expect(await runCommand(h, "AUTH.DEVICE.REVOKE", { deviceId }, as(elsewhere))).toMatchObject({ status: 404, code: "NOT_FOUND" });
    const devices = (await runCommand(h, "AUTH.DEVICE.LIST", {}, as(elsewhere))).data.devices as { id: string; trust: string }[];
    expect(devices.find((listed) => listed.id === deviceId)).toMatchObject({ trust: "revoked" });
    expect(devices.find((listed) => listed.id === again)).toMatchObject({ trust: "new" });
  });

  it("renames only the account's own devices, with a name of one line", async () => {
    const { token, deviceId } = await personWithDevice();
    const other = await personWithDevice();
    expect(await runCommand(h, "AUTH.DEVICE.RENAME", { deviceId, name: "  Work laptop " }, as(token))).toMatchObject({ ok: true });
    expect(await runCommand(h, "AUTH.DEVICE.RENAME", { deviceId: other.deviceId, name: "Mine now" }, as(token))).toMatchObject({ code: "NOT_FOUND" });
    expect(await runCommand(h, "AUTH.DEVICE.RENAME", { deviceId, name: "a\u0000b" }, as(token))).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(await runCommand(h, "AUTH.DEVICE.RENAME", { deviceId, name: "x".repeat(65) }, as(token))).toMatchObject({ code: "VALIDATION_FAILED" });
    const devices = (await runCommand(h, "AUTH.DEVICE.LIST", {}, as(token))).data.devices as { name: string }[];
    expect(devices[0].name).toBe("Work laptop");
    const theirs = (await runCommand(h, "AUTH.DEVICE.LIST", {}, as(other.token))).data.devices as { name: string }[];
    expect(theirs[0].name).toBe("Firefox · Windows");
  });

  it("trusts a device once a passkey step-up is made on a session bound to it", async () => {
    const { token, device, deviceId } = await personWithDevice();
    const authenticator = await registerPasskey(h, token);
    await proveTestDevice(h, token, device, deviceId);
    const stepped = await passkeyStepUp(h, token, authenticator, "security.factor.add");
    const devices = (await runCommand(h, "AUTH.DEVICE.LIST", {}, as(stepped))).data.devices as { trust: string }[];
    expect(devices[0].trust).toBe("trusted");
  });

  it("keeps an account to 20 devices, even when registrations race", async () => {
    const { email, token } = await personWithDevice();
    const user = await h.db.user.findUniqueOrThrow({ where: { email } });
    // 18 more, as earlier registrations would have left them (the hourly limit is not what is tested here).
    for (let i = 0; i < 18; i++) {
      const device = { id: `older-${i}`, userId: user.id, publicKey: "{}", name: `Browser ${i}`, createdAt: h.clock.now(), country: null };
      expect(await h.deps.store.devices.insert(device, { maxActive: 20 })).toBe(true);
    }
    const keys = await Promise.all([makeTestDevice(), makeTestDevice(), makeTestDevice()]);
    const racing = await Promise.all(keys.map((key) => runCommand(h, "AUTH.DEVICE.REGISTER", { publicKey: key.publicKey }, as(token))));
    expect(racing.filter((result) => result.ok)).toHaveLength(1);
    expect(racing.filter((result) => !result.ok)).toEqual([
      expect.objectContaining({ status: 409, code: "DEVICE_LIMIT_REACHED" }),
      expect.objectContaining({ status: 409, code: "DEVICE_LIMIT_REACHED" }),
    ]);
    expect(await h.deps.store.devices.countActiveForUser(user.id)).toBe(20);
  });

  it("refuses device commands from another site's page and without a session", async () => {
    const { token, device, deviceId } = await personWithDevice();
    const crossSite = { sessionToken: token, sessionFromCookie: true, channel: "browser" as const };
    const fromElsewhere = { ...crossSite, request: { ...requestContext(), origin: "https://evil.example" } };
    for (const [command, params] of [
      ["AUTH.DEVICE.REGISTER", { publicKey: device.publicKey }],
      ["AUTH.DEVICE.REVOKE", { deviceId }],
      ["AUTH.DEVICE.RENAME", { deviceId, name: "x" }],
    ] as const) {
      expect(await runCommand(h, command, params, fromElsewhere)).toMatchObject({ status: 403, code: "ORIGIN_REJECTED" });
      expect(await runCommand(h, command, params, {})).toMatchObject({ status: 401, code: "UNAUTHENTICATED" });
    }
  });
});
