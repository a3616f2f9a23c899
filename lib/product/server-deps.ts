import { serverDeps } from "../auth/core/server-deps";
import { env } from "../env";
import type { FileHttpDeps, FileHttpOptions } from "./file-http-common";
import { fileRowsFor } from "./file-rows";
import { directoryFileStore, type FileStore } from "./file-store";
import { productLimitsFor } from "./product-limits";

/**
 * The production wiring of the file routes: the auth dependencies (database,
 * clock, audit log) plus the upload directory from FILES_DIR. Tests build
 * their own with a temporary directory.
 */
const globalForFiles = globalThis as unknown as { trustladderFileStore?: FileStore };

export function fileStore(): FileStore {
  globalForFiles.trustladderFileStore ??= directoryFileStore(env().filesDir);
  return globalForFiles.trustladderFileStore;
}

export function fileHttpDeps(): FileHttpDeps {
  const deps = serverDeps();
  // One limiter per process and database (productLimitsFor keeps it), like the auth core's in serverDeps.
  return { ...deps, files: fileStore(), fileRows: fileRowsFor(deps.db, env().AUTH_STORE), productLimits: productLimitsFor(deps.db) };
}

export function fileHttpOptions(): FileHttpOptions {
  const config = env();
  return {
    secureCookies: config.secureCookies,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    countryHeader: config.COUNTRY_HEADER,
  };
}
