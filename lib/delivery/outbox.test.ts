import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { execute } from "../auth/core/execute";
import { PROVIDERS, TEST_BASE_URL, commandContext, createHarness, type Harness } from "../auth/testing/harness";
import { resendTransport, type EmailTransport } from "./email-transport";
import {
  MAX_SEND_ATTEMPTS,
  RETRY_BACKOFF_SECONDS,
  dispatchDueMessages,
  dispatchMessage,
  enqueueEmail,
  type DeliveryDeps,
} from "./outbox";

/**
 * The outbox against the real Resend SDK, pointed at a local stand-in of
 * Resend's `POST /emails` that can succeed, fail, reject or hang on demand.
 */

const API_KEY = "re_test";
const SCRUBBED = "[removed after delivery]";

interface SentEmail {
  from: string;
  to: string | string[];
  subject: string;
  html: string;
  text: string;
}
interface ReceivedCall {
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  email: SentEmail;
}
/** ok: answers an id; unavailable: 500; invalid: 422 validation_error; hang: no answer until `release()`. */
type ProviderMode = "ok" | "unavailable" | "invalid" | "hang";

function answer(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  return text;
}

async function startResendStandIn() {
  const received: ReceivedCall[] = [];
  const accepted: { id: string; call: ReceivedCall }[] = [];
  const hanging: (() => void)[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let mode: ProviderMode = "ok";

  const accept = (res: ServerResponse, call: ReceivedCall) => {
    const id = `resend-${accepted.length + 1}`;
    accepted.push({ id, call });
    answer(res, 200, { id });
  };

  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== "POST" || req.url !== "/emails") return answer(res, 404, { name: "not_found", message: "no route" });
      if (req.headers.authorization !== `Bearer ${API_KEY}`) {
        return answer(res, 401, { statusCode: 401, name: "missing_api_key", message: "Missing API key" });
      }
      const call: ReceivedCall = {
        authorization: req.headers.authorization,
        idempotencyKey: req.headers["idempotency-key"] as string | undefined,
        email: JSON.parse(await readBody(req)) as SentEmail,
      };
      received.push(call);
      for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve();
      if (mode === "unavailable") return answer(res, 500, { statusCode: 500, name: "application_error", message: "down" });
      if (mode === "invalid") return answer(res, 422, { name: "validation_error", message: "Invalid `to` field." });
      if (mode === "hang") return void hanging.push(() => accept(res, call));
      accept(res, call);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    accepted,
    setMode(next: ProviderMode) {
      mode = next;
    },
    /** Resolves once `count` sends have reached the provider. */
    waitForCalls(count: number): Promise<void> {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    /** Answers every hanging send and stops hanging. */
    release() {
      mode = "ok";
      for (const respond of hanging.splice(0)) respond();
    },
    reset() {
      mode = "ok";
      received.length = 0;
      accepted.length = 0;
      waiters.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

type ResendStandIn = Awaited<ReturnType<typeof startResendStandIn>>;

interface RequestData {
  challengeId: string;
  binding: string;
  delivery: "sent" | "delayed";
}

function tokenIn(text: string): string {
  const link = text.match(/https?:\/\/\S+\/magic-link\?token=[A-Za-z0-9_%-]+/)?.[0];
  if (!link) throw new Error("no sign-in link in the email");
  return decodeURIComponent(new URL(link).searchParams.get("token") ?? "");
}

let provider: ResendStandIn;
let transport: EmailTransport;

beforeAll(async () => {
  provider = await startResendStandIn();
  transport = resendTransport({ apiKey: API_KEY, baseUrl: provider.baseUrl });
});
afterAll(async () => {
  await provider.close();
});

describe.each(PROVIDERS)("email outbox through Resend on %s", (databaseProvider) => {
  let h: Harness;
  let counter = 0;
  const freshEmail = () => `outbox${++counter}-${Date.now()}@example.com`;
  const delivery = (): DeliveryDeps => ({ outbox: h.deps.store.outbox, clock: h.clock, transport, from: h.deps.emailFrom });
  const outboxRowFor = (to: string) => h.db.outboxMessage.findFirstOrThrow({ where: { to } });

  beforeEach(async () => {
    provider.reset();
    h = await createHarness(databaseProvider, { transport });
  });
  afterEach(async () => {
    await h.close();
  });

  async function requestLink(email: string): Promise<RequestData> {
    const { envelope } = await execute(h.deps, "AUTH.MAGIC_LINK.REQUEST", { email }, commandContext());
    if (!envelope.ok) throw new Error(`request failed: ${envelope.error?.code}`);
    return envelope.data as RequestData;
  }

  async function redeem(token: string, binding: string) {
    return execute(h.deps, "AUTH.MAGIC_LINK.REDEEM", { token, binding }, commandContext());
  }

  it("sends the rendered email, stores the provider's id and scrubs the body", async () => {
    const email = freshEmail();
    expect((await requestLink(email)).delivery).toBe("sent");

    const row = await outboxRowFor(email);
    expect(provider.accepted).toHaveLength(1);
    const [{ id, call }] = provider.accepted;
    expect(call.authorization).toBe(`Bearer ${API_KEY}`);
    expect(call.idempotencyKey).toBe(`outbox/${row.id}`);
    expect(call.email).toMatchObject({ from: h.deps.emailFrom, to: email, subject: row.subject });
    expect(call.email.html).toContain(`${TEST_BASE_URL}/en/magic-link?token=`);
    expect(call.email.text).toMatch(/^\s*[0-9]{6}\s*$/m);
    expect(tokenIn(call.email.text).length).toBeGreaterThan(0);

    expect(row).toMatchObject({ status: "sent", attempts: 1, transport: "resend", providerMessageId: id, lastError: null });
    expect(row.text).toBe(SCRUBBED);
    expect(row.html).toBe(SCRUBBED);
  });

  it("keeps the challenge valid when Resend is down and retries the same message once after the backoff", async () => {
    provider.setMode("unavailable");
    const email = freshEmail();
    const { binding, delivery: firstTry } = await requestLink(email);
    expect(firstTry).toBe("delayed");

    const pending = await outboxRowFor(email);
    expect(pending).toMatchObject({ status: "pending", attempts: 1 });
    expect(pending.nextAttemptAt.getTime()).toBeGreaterThan(h.clock.now().getTime());
    expect(pending.text).not.toBe(SCRUBBED);
    expect(await dispatchDueMessages(delivery())).toEqual([]);

    provider.setMode("ok");
    h.clock.advanceSeconds(RETRY_BACKOFF_SECONDS[0] + 1);
    expect(await dispatchDueMessages(delivery())).toEqual(["sent"]);
    expect(await dispatchDueMessages(delivery())).toEqual([]);

    expect(provider.received.map((call) => call.idempotencyKey)).toEqual([`outbox/${pending.id}`, `outbox/${pending.id}`]);
    expect(provider.accepted).toHaveLength(1);
    expect(await outboxRowFor(email)).toMatchObject({ status: "sent", attempts: 2, text: SCRUBBED });

    const signedIn = await redeem(tokenIn(provider.accepted[0].call.email.text), binding);
    expect(signedIn.envelope.ok).toBe(true);
  });

  it("marks a message failed without retrying, and says so, when Resend rejects it as invalid", async () => {
    provider.setMode("invalid");
    const email = freshEmail();
    // Not "delayed": nothing will retry it, so the person must not wait for it.
    expect((await requestLink(email)).delivery).toBe("failed");

    const row = await outboxRowFor(email);
    expect(row).toMatchObject({ status: "failed", attempts: 1, text: SCRUBBED, html: SCRUBBED });
    expect(row.lastError).toContain("validation_error");

    provider.setMode("ok");
    h.clock.advanceSeconds(24 * 60 * 60);
    expect(await dispatchDueMessages(delivery())).toEqual([]);
    expect(provider.received).toHaveLength(1);
  });

  it(`gives up after ${MAX_SEND_ATTEMPTS} failed sends and scrubs the body`, async () => {
    provider.setMode("unavailable");
    const email = freshEmail();
    await requestLink(email);

    const retries: string[] = [];
    for (const waitSeconds of RETRY_BACKOFF_SECONDS) {
      h.clock.advanceSeconds(waitSeconds + 1);
      retries.push(...(await dispatchDueMessages(delivery())));
    }
    expect(retries).toEqual(RETRY_BACKOFF_SECONDS.map((_, i) => (i === RETRY_BACKOFF_SECONDS.length - 1 ? "failed" : "retrying")));
    expect(provider.received).toHaveLength(MAX_SEND_ATTEMPTS);
    expect(await outboxRowFor(email)).toMatchObject({
      status: "failed",
      attempts: MAX_SEND_ATTEMPTS,
      text: SCRUBBED,
      html: SCRUBBED,
    });

    provider.setMode("ok");
    h.clock.advanceSeconds(24 * 60 * 60);
    expect(await dispatchDueMessages(delivery())).toEqual([]);
    expect(provider.received).toHaveLength(MAX_SEND_ATTEMPTS);
  });

  it("sends once when two dispatchers race for one message while Resend hangs", async () => {
    const to = freshEmail();
    const id = await enqueueEmail(h.deps.store.outbox, h.clock, {
      to,
      subject: "Your sign-in link",
      text: "text body",
      html: "<p>html body</p>",
      locale: "en",
      template: "magic-link",
    });
    provider.setMode("hang");

    const racing = Promise.all([dispatchMessage(delivery(), id), dispatchMessage(delivery(), id)]);
    await provider.waitForCalls(1);
    provider.release();
    expect((await racing).sort()).toEqual(["sent", "skipped"]);

    expect(provider.received).toHaveLength(1);
    expect(await h.db.outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "sent", attempts: 1 });
  });
});
