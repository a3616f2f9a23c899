import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import type { RequestTemplate } from "autocannon";
import { sessionCookieName } from "../lib/auth/core/cookie-names";
import { callCommand, clientHeaders, nextClient } from "./clients";
import { measure, type Measurement } from "./load";
import { registerPasskeys } from "./passkey-scenario";
import type { BenchSettings } from "./scenarios";
import { BENCH_BROWSER_ORIGIN, BENCH_ORIGIN } from "./server";

/**
 * A guarded read: `GET /api/files/:id` for a private file, by a session
 * that holds a valid `file.view_private` grant. Every request runs the
 * policy's guard in full (the session's grants, the account's factors, the
 * risk signals, decide()) before the file is read; the grant makes the
 * answer a 200 with the bytes.
 *
 * Why a private file and not PRODUCT.PAYOUT.GET: reading the payout details
 * shows only a masked number and needs no step-up, so it never reaches the
 * guard; the private file is this product's read that does.
 *
 * Set up outside the measurement, through the real API: a passkey for a few
 * sessions' accounts, a small file each, made private, and a passkey
 * step-up whose rotated token the measured requests then carry as a cookie
 * (the download route, like a browser, reads the session from its cookie).
 */

const READERS = 8;
const FILE_BYTES = 2048;
const ACTION = "file.view_private";

interface Reader {
  sessionToken: string;
  fileId: string;
}

export async function guardedRead(settings: BenchSettings, serverPid: number, sessionTokens: readonly string[]): Promise<Measurement> {
  // Sessions the passkey scenario did not use, so that each account gets one passkey.
  const tokens = sessionTokens.slice(-READERS);
  const devices = await registerPasskeys(tokens);
  const readers: Reader[] = [];
  for (const [index, device] of devices.entries()) {
    const fileId = await uploadFile(tokens[index]);
    const begun = await callCommand<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }>(
      "AUTH.STEP_UP.BEGIN",
      { action: ACTION, method: "passkey" },
      tokens[index],
    );
    const verified = await callCommand<{ sessionToken: string }>(
      "AUTH.STEP_UP.VERIFY",
      { challengeId: begun.challengeId, response: device.assert(begun.options, { counter: 0 }) },
      tokens[index],
    );
    await callCommand("PRODUCT.FILE.SET_PRIVATE", { fileId, private: true }, verified.sessionToken);
    readers.push({ sessionToken: verified.sessionToken, fileId });
  }

  let next = 0;
  const request: RequestTemplate = {
    method: "GET",
    path: "/",
    setupRequest(request) {
      const reader = readers[next++ % readers.length];
      return {
        ...request,
        path: `/api/files/${reader.fileId}`,
        headers: clientHeaders(nextClient().ip, { cookie: `${sessionCookieName(false)}=${reader.sessionToken}` }),
      };
    },
  };
  return measure(
    {
      name: "guarded-read",
      connections: settings.connections,
      warmup: { seconds: settings.warmupSeconds },
      run: { seconds: settings.seconds },
      request,
    },
    serverPid,
  );
}

/** POST /api/files as a script would send it: multipart, the session cookie, this site's Origin. */
async function uploadFile(sessionToken: string): Promise<string> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(FILE_BYTES).fill(0x61)], { type: "text/plain" }), "guarded.txt");
  const response = await fetch(`${BENCH_ORIGIN}/api/files`, {
    method: "POST",
    headers: clientHeaders(nextClient().ip, { cookie: `${sessionCookieName(false)}=${sessionToken}`, origin: BENCH_BROWSER_ORIGIN }),
    body: form,
  });
  const envelope = (await response.json()) as { ok: boolean; data?: { file: { id: string } }; error?: { code: string } };
  if (!envelope.ok || !envelope.data) throw new Error(`upload failed: ${response.status} ${envelope.error?.code ?? ""}`);
  return envelope.data.file.id;
}
