import type { RequestTemplate } from "autocannon";
import {
  clientHeaders,
  collectTokens,
  commandBody,
  commandHeaders,
  issueLinks,
  nextClient,
  type IssuedLink,
  type RedeemableLink,
} from "./clients";
import { stringInJson } from "./json-body";
import { measure, type Measurement } from "./load";

/**
 * The four measured scenarios. Each feeds the next: the links asked for in
 * "request-link" are the ones "redeem" signs in with, and the sessions that
 * redemption creates are the ones "session check" reads.
 */

export interface BenchSettings {
  /** How many times the whole sequence of scenarios runs (bench/run.ts). */
  rounds: number;
  /** Measured seconds per time-based scenario and round. */
  seconds: number;
  /** Unmeasured seconds before each time-based scenario. */
  warmupSeconds: number;
  /** Connections for baseline, request-link and session check. */
  connections: number;
  /** Connections for redeem (each link is used exactly once). */
  redeemConnections: number;
}

/** Every baseline run's name: bench/report.ts compares each scenario with the ones around it. */
export const BASELINE = "baseline";

const EXECUTE_PATH = "/api/v1/execute";
const SESSION_PATH = "/api/v1/session";
/** Links each redeem connection uses up before measuring starts. */
const REDEEM_WARMUP_PER_CONNECTION = 50;
/** Fewest links a measured redeem run uses, however slow the warm-up looked. */
const MIN_REDEEM_REQUESTS = 400;

/**
 * The framework alone. Measured first, between every two scenarios and
 * last, so that each scenario is compared with the framework as fast as it
 * was around it; the first gets a double warm-up, as it meets a cold server.
 * It carries the headers every scenario's client sends (User-Agent, its own
 * X-Forwarded-For): Next.js does work of its own on them (its bot check on
 * the User-Agent, about 5 µs a request in profiles), and that work is the
 * framework's, not the route's.
 */
export async function baseline(settings: BenchSettings, serverPid: number, coldServer = false): Promise<Measurement> {
  return measure(
    {
      name: BASELINE,
      connections: settings.connections,
      warmup: { seconds: settings.warmupSeconds * (coldServer ? 2 : 1) },
      run: { seconds: settings.seconds },
      request: {
        method: "GET",
        path: "/api/bench/baseline",
        setupRequest: (request) => ({ ...request, headers: clientHeaders(nextClient().ip) }),
      },
    },
    serverPid,
  );
}

/** AUTH.MAGIC_LINK.REQUEST from a new address and a new IP each time; returns the links it issued too. */
export async function requestLink(
  settings: BenchSettings,
  serverPid: number,
): Promise<{ measurement: Measurement; issued: IssuedLink[] }> {
  const issued: IssuedLink[] = [];
  const request: RequestTemplate = {
    method: "POST",
    path: EXECUTE_PATH,
    setupRequest(request, context) {
      const { ip, email } = nextClient();
      context.email = email;
      return {
        ...request,
        headers: commandHeaders(ip),
        body: commandBody("AUTH.MAGIC_LINK.REQUEST", { email }),
      };
    },
    onResponse(status, body, context) {
      if (status !== 200) return;
      const binding = stringInJson(body, "data", "binding");
      if (binding) issued.push({ email: context.email as string, binding });
    },
  };
  const measurement = await measure(
    {
      name: "request-link",
      connections: settings.connections,
      warmup: { seconds: settings.warmupSeconds },
      run: { seconds: settings.seconds },
      request,
    },
    serverPid,
  );
  return { measurement, issued };
}

/**
 * AUTH.MAGIC_LINK.REDEEM with the link's token and binding, each link once.
 * A run of fixed length would need an unknown number of links, so the
 * warm-up's rate sizes the measured run to about `settings.seconds`; links
 * left over from request-link are used first, and more are asked for
 * (unmeasured) when they run short.
 */
export async function redeem(
  settings: BenchSettings,
  serverPid: number,
  issued: readonly IssuedLink[],
): Promise<{ measurement: Measurement; sessionTokens: string[] }> {
  const connections = settings.redeemConnections;
  const spare = [...issued];
  const pool: RedeemableLink[] = [];
  const sessionTokens: string[] = [];
  let ranDry = 0;

  // autocannon builds one request per connection ahead of time, hence the spare links.
  async function fill(requests: number): Promise<void> {
    const missing = requests + connections - pool.length;
    if (missing <= 0) return;
    const fromSpare = spare.splice(0, missing);
    const fresh = missing > fromSpare.length ? await issueLinks(missing - fromSpare.length) : [];
    pool.push(...(await collectTokens([...fromSpare, ...fresh])));
  }

  const request: RequestTemplate = {
    method: "POST",
    path: EXECUTE_PATH,
    setupRequest(request) {
      const link = pool.pop();
      // Only a retried timeout can get here; a refused dummy token then marks the run invalid.
      if (!link) ranDry += 1;
      return {
        ...request,
        headers: commandHeaders(nextClient().ip),
        body: commandBody("AUTH.MAGIC_LINK.REDEEM", link ? { token: link.token, binding: link.binding } : { token: "none" }),
      };
    },
    onResponse(status, body) {
      if (status !== 200) return;
      const token = stringInJson(body, "data", "sessionToken");
      if (token) sessionTokens.push(token);
    },
  };

  const warmupRequests = connections * REDEEM_WARMUP_PER_CONNECTION;
  await fill(warmupRequests);
  const warmup = await measure(
    { name: "redeem-warmup", connections, warmup: null, run: { requests: warmupRequests }, request },
    serverPid,
  );
  const wanted = roundDown(Math.max(MIN_REDEEM_REQUESTS, warmup.requestsPerSecond * settings.seconds), connections);
  if (pool.length + spare.length < wanted + connections) {
    console.log(`bench: redeem will use ${wanted} links; asking for ${wanted + connections - pool.length - spare.length} more (not measured)…`);
  }
  await fill(wanted);

  const measurement = await measure(
    { name: "redeem", connections, warmup: null, run: { requests: wanted }, request },
    serverPid,
  );
  if (ranDry > 0) console.warn(`bench: redeem ran out of links ${ranDry} time(s); those requests were refused.`);
  return { measurement, sessionTokens };
}

/**
 * A session check as clients make it, `GET /api/v1/session` with a bearer
 * token, round-robin over the sessions redeem created. `via: "command"`
 * sends the same AUTH.SESSION.GET as a POST to /api/v1/execute instead: the
 * difference between the two is what Next.js charges for a request with a
 * body (docs/performance.md).
 */
export async function sessionCheck(
  settings: BenchSettings,
  serverPid: number,
  sessionTokens: readonly string[],
  via: "get" | "command" = "get",
): Promise<Measurement> {
  if (sessionTokens.length === 0) throw new Error("session check: no sessions to check (redeem created none)");
  let next = 0;
  const body = commandBody("AUTH.SESSION.GET", {});
  const base: RequestTemplate = via === "get" ? { method: "GET", path: SESSION_PATH } : { method: "POST", path: EXECUTE_PATH, body };
  const headersFor = via === "get" ? clientHeaders : commandHeaders;
  return measure(
    {
      name: via === "get" ? "session-check" : "session-check-post",
      connections: settings.connections,
      warmup: { seconds: settings.warmupSeconds },
      run: { seconds: settings.seconds },
      request: {
        ...base,
        setupRequest(request) {
          const token = sessionTokens[next++ % sessionTokens.length];
          return { ...request, headers: headersFor(nextClient().ip, { authorization: `Bearer ${token}` }) };
        },
      },
    },
    serverPid,
  );
}

function roundDown(value: number, multiple: number): number {
  return Math.max(multiple, Math.floor(value / multiple) * multiple);
}
