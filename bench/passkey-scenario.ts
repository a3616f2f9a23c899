import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { RequestTemplate } from "autocannon";
import { SoftwareAuthenticator } from "../lib/auth/testing/software-authenticator";
import { callCommand, commandBody, commandHeaders, nextClient } from "./clients";
import { measure, type Measurement } from "./load";
import type { BenchSettings } from "./scenarios";
import { BENCH_PORT } from "./server";

/**
 * AUTH.PASSKEY.LOGIN.FINISH: a passkey sign-in's expensive half (signature
 * check, counter, session). Passkeys are registered first for sessions that
 * redeem created, through the real API, by software authenticators; every
 * measured request carries a fresh challenge and an assertion made for it
 * in this process beforehand, so the server does all of its real work.
 */

/** How many accounts get a passkey; assertions round-robin over them. */
export const PASSKEY_ACCOUNTS = 16;
const WARMUP_PER_CONNECTION = 20;
const MIN_MEASURED = 400;

interface Prepared {
  challengeId: string;
  response: unknown;
}

export async function passkeySignIn(settings: BenchSettings, serverPid: number, sessionTokens: readonly string[]): Promise<Measurement> {
  const devices = await registerPasskeys(sessionTokens.slice(0, PASSKEY_ACCOUNTS));
  if (devices.length === 0) throw new Error("passkey sign-in: no passkey could be registered");
  const connections = settings.redeemConnections;
  const pool: Prepared[] = [];
  let next = 0;
  const fill = async (count: number) => {
    for (let i = pool.length; i < count + connections; i++) pool.push(await prepare(devices[next++ % devices.length]));
  };
  const request: RequestTemplate = {
    method: "POST",
    path: "/api/v1/execute",
    setupRequest(request) {
      const prepared = pool.pop() ?? { challengeId: "00000000-0000-4000-8000-000000000000", response: null };
      return { ...request, headers: commandHeaders(nextClient().ip), body: commandBody("AUTH.PASSKEY.LOGIN.FINISH", { ...prepared }) };
    },
  };

  const warmupRequests = connections * WARMUP_PER_CONNECTION;
  await fill(warmupRequests);
  const warmup = await measure({ name: "passkey-warmup", connections, warmup: null, run: { requests: warmupRequests }, request }, serverPid);
  const wanted = Math.max(MIN_MEASURED, Math.floor((warmup.requestsPerSecond * settings.seconds) / connections) * connections);
  await fill(wanted);
  return measure({ name: "passkey sign-in", connections, warmup: null, run: { requests: wanted }, request }, serverPid);
}

/** A passkey for each session's account, made by a software authenticator through the real API. */
export async function registerPasskeys(sessionTokens: readonly string[]): Promise<SoftwareAuthenticator[]> {
  const devices: SoftwareAuthenticator[] = [];
  for (const token of sessionTokens) {
    const begun = await callCommand<{ challengeId: string; options: PublicKeyCredentialCreationOptionsJSON }>(
      "AUTH.PASSKEY.REGISTER.BEGIN",
      {},
      token,
    );
    const device = new SoftwareAuthenticator({ origin: `http://localhost:${BENCH_PORT}`, rpId: "localhost" });
    await callCommand("AUTH.PASSKEY.REGISTER.FINISH", { challengeId: begun.challengeId, response: device.register(begun.options) }, token);
    devices.push(device);
  }
  return devices;
}

/** A fresh challenge and its assertion. Counter 0 (as many synced passkeys send) keeps any order valid. */
async function prepare(device: SoftwareAuthenticator): Promise<Prepared> {
  const begun = await callCommand<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }>("AUTH.PASSKEY.LOGIN.BEGIN", {});
  return { challengeId: begun.challengeId, response: device.assert(begun.options, { counter: 0 }) };
}
