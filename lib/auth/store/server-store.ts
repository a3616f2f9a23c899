import { db } from "../../db";
import { env } from "../../env";
import { authStoreFor } from "./select";
import type { AuthStore } from "./types";

// Kept on globalThis: Next.js may bundle this module more than once
// (instrumentation, proxy, routes), and every copy must find one store.
declare global {
  var trustladderAuthStore: AuthStore | undefined;
}

/**
 * The server process's auth store, as AUTH_STORE chooses. On its own (not
 * through serverDeps) so that proxy.ts, which reads only sessions, does not
 * load the email transports and the rest of the ceremonies' wiring.
 */
export function serverStore(): AuthStore {
  globalThis.trustladderAuthStore ??= authStoreFor(db(), env().AUTH_STORE);
  return globalThis.trustladderAuthStore;
}
