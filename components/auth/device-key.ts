import { deviceChallengeAction, deviceSessionAction, proveDeviceAction, registerDeviceAction } from "@/app/[locale]/(app)/device-actions";
import { deviceProofText, type DeviceProofStatement } from "@/lib/auth/devices/device-proof-statement";

/**
 * This browser's device key (docs/device-proof.md): an ECDSA P-256 key
 * pair made with WebCrypto, its private half NOT extractable, kept in
 * IndexedDB per account. `keepSessionBound` registers it when the account
 * has none here, and proves it for the current session when the session is
 * not yet bound to it or its next proof is near. Where WebCrypto or
 * IndexedDB is missing (some private windows), it does nothing: the
 * session stays unbound and everything that needs no device still works.
 */

export type BindingOutcome = "bound" | "bound-by-browser" | "unsupported" | "signed-out" | "refused";

/** Prove this long before the proof falls due, so that no request ever waits for one. */
const PROVE_AHEAD_MS = 60_000;
/** How long a browser that may bind natively (DBSC) is given before the device key binds instead. */
const NATIVE_BINDING_WAIT_MS = 2_000;
const DB_NAME = "trustladder-device";
const STORE = "keys";

interface StoredKey {
  deviceId: string;
  privateKey: CryptoKey;
}

export async function keepSessionBound(locale: string): Promise<{ outcome: BindingOutcome; nextCheckAt: number | null }> {
  if (!supported()) return { outcome: "unsupported", nextCheckAt: null };
  const state = await deviceSessionAction(locale);
  if (!state.ok) return { outcome: state.error === "UNAUTHENTICATED" ? "signed-out" : "refused", nextCheckAt: null };
  const { userId, sessionId, binding, deviceId, deviceProofDueAt } = state.data;
  // The browser's own hardware-bound session (native DBSC) refreshes itself: nothing to prove here.
  if (binding === "dbsc") return { outcome: "bound-by-browser", nextCheckAt: null };
  // Unbound, in a browser that may bind natively: offer that first, and wait for it a moment.
  if (binding === "none" && mayBindNatively() && (await boundNatively(locale))) return { outcome: "bound-by-browser", nextCheckAt: null };

  let stored = await loadKey(userId);
  if (!stored) {
    stored = await makeAndRegisterKey(locale, userId);
    if (!stored) return { outcome: "refused", nextCheckAt: null };
  }
  const dueAt = deviceProofDueAt ? Date.parse(deviceProofDueAt) : null;
  if (binding === "device-key" && deviceId === stored.deviceId && dueAt !== null && dueAt - Date.now() > PROVE_AHEAD_MS) {
    return { outcome: "bound", nextCheckAt: dueAt - PROVE_AHEAD_MS };
  }

  const issued = await deviceChallengeAction(locale, { deviceId: stored.deviceId });
  if (!issued.ok) {
    // The account revoked this device: forget its key, so the next page registers a new one.
    if (issued.error === "DEVICE_PROOF_INVALID") await forgetKey(userId);
    return { outcome: "refused", nextCheckAt: null };
  }
  const signature = await signStatement(stored, { purpose: "session", challenge: issued.data.challenge, sessionId });
  const proved = await proveDeviceAction(locale, { challengeId: issued.data.challengeId, signature });
  if (!proved.ok) return { outcome: proved.error === "UNAUTHENTICATED" ? "signed-out" : "refused", nextCheckAt: null };
  return { outcome: "bound", nextCheckAt: null };
}

/**
 * A step-up confirmed on this trusted device: the server's challenge
 * signed with this account's key, purpose `step_up`. Null when this
 * browser no longer holds the key the session is bound to.
 */
export async function signStepUpOnThisDevice(locale: string, challenge: string): Promise<string | null> {
  if (!supported()) return null;
  const state = await deviceSessionAction(locale);
  if (!state.ok) return null;
  const stored = await loadKey(state.data.userId);
  if (!stored || stored.deviceId !== state.data.deviceId) return null;
  return signStatement(stored, { purpose: "step_up", challenge, sessionId: state.data.sessionId });
}

async function signStatement(stored: StoredKey, statement: Omit<DeviceProofStatement, "origin">): Promise<string> {
  const text = deviceProofText({ origin: window.location.origin, ...statement });
  const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, stored.privateKey, new TextEncoder().encode(text));
  return base64url(signature);
}

/**
 * Chrome on Windows binds sessions natively (DBSC, on by default since
 * Chrome 146); other platforms are to follow. Elsewhere the offer would
 * only cost a request and a wait.
 */
function mayBindNatively(): boolean {
  const hints = (navigator as Navigator & { userAgentData?: { platform?: string; brands?: { brand: string }[] } }).userAgentData;
  return hints?.platform === "Windows" && (hints.brands ?? []).some((entry) => entry.brand === "Google Chrome" || entry.brand === "Chromium");
}

/** Asks the server for the registration header (its answer's), then waits a moment for the browser to register. */
async function boundNatively(locale: string): Promise<boolean> {
  const offered = await fetch("/api/dbsc/offer", { method: "POST", credentials: "same-origin" })
    .then((response) => (response.ok ? (response.json() as Promise<{ offered?: boolean }>) : null))
    .catch(() => null);
  if (!offered?.offered) return false;
  for (let waited = 0; waited < NATIVE_BINDING_WAIT_MS; waited += 500) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const state = await deviceSessionAction(locale);
    if (state.ok && state.data.binding === "dbsc") return true;
  }
  return false;
}

function supported(): boolean {
  return typeof indexedDB !== "undefined" && typeof crypto !== "undefined" && typeof crypto.subtle !== "undefined";
}

async function makeAndRegisterKey(locale: string, userId: string): Promise<StoredKey | null> {
  // false: the private key can sign but can never be read out, not even by this script.
  const pair = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]);
  const { kty, crv, x, y } = await crypto.subtle.exportKey("jwk", pair.publicKey);
  const registered = await registerDeviceAction(locale, { kty, crv, x, y });
  if (!registered.ok) return null;
  const stored = { deviceId: registered.data.deviceId, privateKey: pair.privateKey };
  await saveKey(userId, stored);
  return stored;
}

function base64url(bytes: ArrayBuffer): string {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

// IndexedDB keeps a CryptoKey as it is (structured clone), private half included, still non-extractable.

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function inStore<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const database = await openDatabase();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = work(database.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    database.close();
  }
}

async function loadKey(userId: string): Promise<StoredKey | null> {
  const value = (await inStore("readonly", (store) => store.get(userId))) as StoredKey | undefined;
  return value && typeof value.deviceId === "string" && value.privateKey ? value : null;
}

async function saveKey(userId: string, key: StoredKey): Promise<void> {
  await inStore("readwrite", (store) => store.put(key, userId));
}

async function forgetKey(userId: string): Promise<void> {
  await inStore("readwrite", (store) => store.delete(userId));
}
