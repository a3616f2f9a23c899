import { createSession, findActiveSession } from "../../auth/core/sessions";
import { requestContext } from "../../auth/testing/harness";
import { registerPasskey } from "../../auth/testing/passkeys";
import { newRowId } from "../../db/ids";
import type { ProductHarness, TestUser } from "../testing/product-harness";

/**
 * What the product's policy tests (payouts, private files) need: an account with a passkey
 * (registered through the real ceremony), the id of a user's session, and
 * a step-up grant inserted as a finished step-up would leave it.
 */

/**
 * Registers a passkey for `user` from a second session of theirs, so the
 * registration's own proof never counts for the session under test: that
 * one holds only its email sign-in.
 */
export async function givePasskey(h: ProductHarness, user: TestUser): Promise<void> {
  await registerPasskey(h, (await secondSession(h, user)).token);
}

export async function sessionIdOf(h: ProductHarness, token: string): Promise<string> {
  const session = await findActiveSession(h.deps.store.sessions, h.clock, token);
  if (!session) throw new Error("no active session");
  return session.id;
}

/** A grant for `action`, proved with a passkey now, valid for `seconds`. */
export async function grantStepUp(
  h: ProductHarness,
  user: TestUser,
  action: string,
  options: { sessionId?: string; seconds?: number } = {},
): Promise<void> {
  const now = h.clock.now();
  await h.deps.store.grants.insert({
    id: newRowId(),
    sessionId: options.sessionId ?? (await sessionIdOf(h, user.token)),
    userId: user.id,
    action,
    method: "passkey",
    createdAt: now,
    expiresAt: new Date(now.getTime() + (options.seconds ?? 5 * 60) * 1000),
  });
}

/**
 * Puts `user`'s session on a device of theirs, bound as a device proof
 * leaves it (lib/auth/devices, where the proofs themselves are tested),
 * and trusted or not yet.
 */
export async function putOnDevice(h: ProductHarness, user: TestUser, trust: "new" | "trusted"): Promise<void> {
  const now = h.clock.now();
  const deviceId = newRowId();
  const device = {
    id: deviceId,
    userId: user.id,
    publicKey: JSON.stringify({ kty: "EC", crv: "P-256", x: "x", y: "y" }),
    name: "Firefox · Windows",
    createdAt: now,
    country: null,
  };
  await h.deps.store.devices.insert(device, { maxActive: 20 });
  if (trust === "trusted") await h.deps.store.devices.markTrusted(deviceId, user.id, now);
  const sessionId = await sessionIdOf(h, user.token);
  await h.deps.store.sessions.bind(sessionId, { binding: "device-key", deviceId, proofDueAt: new Date(now.getTime() + 10 * 60 * 1000) }, { deviceId: null });
}

/** Another signed-in session of the same account: its token and id. */
export async function secondSession(h: ProductHarness, user: TestUser): Promise<{ token: string; id: string }> {
  const created = await createSession(h.deps.store.sessions, h.clock, {
    userId: user.id,
    aal: 1,
    method: "magic_link",
    context: requestContext(),
  });
  return { token: created.sessionToken, id: created.sessionId };
}
