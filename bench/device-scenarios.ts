import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import type { RequestTemplate } from "autocannon";
import { deviceProofText } from "../lib/auth/devices/device-proof-statement";
import { callCommand, commandBody, commandHeaders, nextClient } from "./clients";
import { stringInJson } from "./json-body";
import { measure, type Measurement } from "./load";
import { PASSKEY_ACCOUNTS } from "./passkey-scenario";
import { sessionCheck, type BenchSettings } from "./scenarios";
import { BENCH_BROWSER_ORIGIN } from "./server";

/**
 * Sessions bound to a device key (docs/device-proof.md), and the two
 * requests such a session adds:
 *
 * - "bound-session-check": the session check's own request
 *   (`GET /api/v1/session` with a bearer token) on sessions whose next
 *   proof is not yet due;
 * - "device-proof": one proof, AUTH.DEVICE.CHALLENGE then AUTH.DEVICE.PROVE
 *   on the same connection; like every scenario it counts requests, so
 *   proofs/s is half its req/s.
 *
 * Set up outside the measurement, through the real API: a P-256 key for
 * each of BOUND_SESSIONS sessions that redeem created, registered with
 * AUTH.DEVICE.REGISTER and proved once, which binds the session.
 */

/**
 * Sessions bound each round. One session may ask for 60 challenges in 15
 * minutes (`deviceChallengesPerSession`); the proofs go round-robin over
 * these, so a round can make about 59 × 200 proofs, twice what two
 * cores manage in a warm-up and a measured run. Running short shows up as
 * RATE_LIMITED refusals, which make the run invalid.
 */
const BOUND_SESSIONS = 200;
/** Fewest sessions worth measuring: fewer would reach the challenge limit within a round. */
const MIN_BOUND_SESSIONS = 100;
const EXECUTE_PATH = "/api/v1/execute";
/** A well-formed signature that verifies nothing, for a challenge that was refused (the run is invalid then anyway). */
const NO_SIGNATURE = Buffer.alloc(64).toString("base64url");

export interface BoundSession {
  sessionToken: string;
  sessionId: string;
  deviceId: string;
  /** The device's private key, imported once: the measured requests only sign with it. */
  privateKey: KeyObject;
}

/** Binds sessions that the passkey and guarded-read scenarios do not use, each to a device key of its own. */
export async function bindSessionsToDevices(sessionTokens: readonly string[]): Promise<BoundSession[]> {
  const tokens = sessionTokens.slice(PASSKEY_ACCOUNTS, PASSKEY_ACCOUNTS + BOUND_SESSIONS);
  if (tokens.length < MIN_BOUND_SESSIONS) {
    throw new Error(`device scenarios: ${tokens.length} sessions to bind, at least ${MIN_BOUND_SESSIONS} needed (redeem created too few)`);
  }
  const bound: BoundSession[] = [];
  for (const sessionToken of tokens) {
    const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const { deviceId } = await callCommand<{ deviceId: string }>(
      "AUTH.DEVICE.REGISTER",
      { publicKey: publicKey.export({ format: "jwk" }), name: "Bench device" },
      sessionToken,
    );
    const { session } = await callCommand<{ session: { id: string } }>("AUTH.SESSION.GET", {}, sessionToken);
    const device: BoundSession = { sessionToken, sessionId: session.id, deviceId, privateKey };
    const issued = await callCommand<{ challengeId: string; challenge: string }>(
      "AUTH.DEVICE.CHALLENGE",
      { deviceId, purpose: "session" },
      sessionToken,
    );
    await callCommand(
      "AUTH.DEVICE.PROVE",
      { challengeId: issued.challengeId, purpose: "session", signature: signProof(device, issued.challenge) },
      sessionToken,
    );
    bound.push(device);
  }
  // The scenario's premise, checked once: a bound session whose proof is not yet due.
  const { session } = await callCommand<{ session: { binding: string; deviceProofDueAt: string | null } }>(
    "AUTH.SESSION.GET",
    {},
    bound[0].sessionToken,
  );
  if (session.binding !== "device-key" || session.deviceProofDueAt === null || Date.parse(session.deviceProofDueAt) <= Date.now()) {
    throw new Error(`device scenarios: a proved session is not bound (${JSON.stringify(session)})`);
  }
  return bound;
}

/** The session check of scenarios.ts, on bound sessions. */
export async function boundSessionCheck(settings: BenchSettings, serverPid: number, bound: readonly BoundSession[]): Promise<Measurement> {
  const measurement = await sessionCheck(
    settings,
    serverPid,
    bound.map((device) => device.sessionToken),
  );
  return { ...measurement, name: "bound-session-check" };
}

/**
 * One proof as the browser makes it every proof interval: a fresh
 * challenge, then its statement signed here and sent back. The signing
 * happens between the two requests, in this process, which shares the
 * machine with the server: its cost is logged beside the figure.
 */
export async function deviceProof(settings: BenchSettings, serverPid: number, bound: readonly BoundSession[]): Promise<Measurement> {
  let next = 0;
  let signatures = 0;
  let signingMs = 0;
  const challenge: RequestTemplate = {
    method: "POST",
    path: EXECUTE_PATH,
    setupRequest(request, context) {
      const index = next++ % bound.length;
      const { ip } = nextClient();
      // The context lives for one sequence: the proof that follows reads the device and the client from it.
      context.device = index;
      context.ip = ip;
      return {
        ...request,
        headers: commandHeaders(ip, { authorization: `Bearer ${bound[index].sessionToken}` }),
        body: commandBody("AUTH.DEVICE.CHALLENGE", { deviceId: bound[index].deviceId, purpose: "session" }),
      };
    },
    onResponse(_status, body, context) {
      context.challengeId = stringInJson(body, "data", "challengeId");
      context.challenge = stringInJson(body, "data", "challenge");
    },
  };
  const prove: RequestTemplate = {
    method: "POST",
    path: EXECUTE_PATH,
    setupRequest(request, context) {
      const device = bound[context.device as number];
      let signature = NO_SIGNATURE;
      if (typeof context.challenge === "string") {
        const startedAt = performance.now();
        signature = signProof(device, context.challenge);
        signingMs += performance.now() - startedAt;
        signatures += 1;
      }
      return {
        ...request,
        headers: commandHeaders(context.ip as string, { authorization: `Bearer ${device.sessionToken}` }),
        body: commandBody("AUTH.DEVICE.PROVE", { challengeId: context.challengeId ?? "none", purpose: "session", signature }),
      };
    },
  };
  const measurement = await measure(
    {
      name: "device-proof",
      connections: settings.connections,
      warmup: { seconds: settings.warmupSeconds },
      run: { seconds: settings.seconds },
      request: [challenge, prove],
    },
    serverPid,
  );
  const microsecondsPerProof = signatures > 0 ? (signingMs * 1000) / signatures : 0;
  const proofsPerSecond = measurement.requestsPerSecond / 2;
  console.log(
    `bench: device proof: ${proofsPerSecond.toFixed(0)} proofs/s (two requests each); signing took ${microsecondsPerProof.toFixed(0)} µs a proof ` +
      `in the bench's process, ${((microsecondsPerProof * proofsPerSecond) / 1e6).toFixed(3)} of a core at that rate ` +
      `(the whole bench process: ${measurement.loadGeneratorCores.toFixed(2)})`,
  );
  return measurement;
}

/**
 * The statement signed with ECDSA P-256 / SHA-256, as the 64-byte r ‖ s
 * that WebCrypto returns. Node's synchronous `sign` rather than WebCrypto's
 * promise: autocannon builds each request synchronously.
 */
function signProof(device: BoundSession, challenge: string): string {
  const text = deviceProofText({ origin: BENCH_BROWSER_ORIGIN, purpose: "session", challenge, sessionId: device.sessionId });
  return sign("sha256", Buffer.from(text), { key: device.privateKey, dsaEncoding: "ieee-p1363" }).toString("base64url");
}
