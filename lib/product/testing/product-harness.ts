import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { CommandContext } from "../../auth/core/command-types";
import type { CommandInput, CommandName, CommandOutput } from "../../auth/core/registry";
import { executeCommand, type ExecuteDeps, type Execution } from "../../auth/core/execute";
import { createSession } from "../../auth/core/sessions";
import {
  TEST_AUTH_STORE,
  TEST_BASE_URL,
  commandContext,
  createHarness,
  requestContext,
  type Harness,
  type Provider,
} from "../../auth/testing/harness";
import type { Locale } from "../../i18n/locales";
import { appCommands, type AppCommands } from "../../server/commands";
import type { FileHttpDeps, FileHttpOptions } from "../file-http-common";
import { fileRowsFor, type FileRows } from "../file-rows";
import { directoryFileStore, type FileStore } from "../file-store";
import { productLimitsFor, type ProductLimits } from "../product-limits";

/**
 * The auth harness (real database, movable clock, outbox, audit log) plus
 * a temporary FILES_DIR of its own, removed on close, and signed-in users
 * whose browsers can run commands and call the file routes.
 */
export interface ProductHarness extends Harness {
  deps: ExecuteDeps<AppCommands>;
  filesDir: string;
  files: FileStore;
  fileRows: FileRows;
  http: FileHttpDeps;
  /** The product's limits over this harness's database: the same instance the commands find. */
  productLimits: ProductLimits;
}

export const HTTP_OPTIONS: FileHttpOptions = { secureCookies: false, trustProxyHops: 0 };

export async function createProductHarness(provider: Provider): Promise<ProductHarness> {
  const harness = await createHarness(provider);
  // The application's commands (the auth core's and the product's), as the server registers them.
  const deps: ExecuteDeps<AppCommands> = { ...harness.deps, commands: appCommands };
  const filesDir = mkdtempSync(path.join(tmpdir(), "trustladder-files-"));
  const files = directoryFileStore(filesDir);
  const productLimits = productLimitsFor(harness.db);
  const fileRows = fileRowsFor(harness.db, TEST_AUTH_STORE);
  return {
    ...harness,
    deps,
    filesDir,
    files,
    fileRows,
    productLimits,
    http: { ...deps, files, fileRows, productLimits },
    async close() {
      await harness.close();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

export interface TestUser {
  id: string;
  email: string;
  /** The session cookie's value. */
  token: string;
  /** Runs a command as this user's browser (our Origin, the session cookie). */
  run<N extends CommandName<AppCommands>>(
    command: N,
    params: CommandInput<AppCommands, N>,
    locale?: Locale,
  ): Promise<Execution<CommandOutput<AppCommands, N>>>;
  /** The Cookie header this user's browser sends. */
  cookie: string;
}

export async function signedInUser(h: ProductHarness, email: string, locale: Locale | null = null): Promise<TestUser> {
  const user = await h.db.user.create({ data: { email, locale, emailVerified: h.clock.now() } });
  const session = await createSession(h.deps.store.sessions, h.clock, { userId: user.id, aal: 1, method: "magic_link", context: requestContext() });
  const context = (commandLocale: Locale): CommandContext =>
    commandContext(
      { channel: "browser", request: requestContext(), sessionToken: session.sessionToken, sessionFromCookie: true },
      commandLocale,
    );
  return {
    id: user.id,
    email,
    token: session.sessionToken,
    cookie: `authjs.session-token=${session.sessionToken}`,
    run: (command, params, commandLocale = "en") => executeCommand(h.deps, command, params, context(commandLocale)),
  };
}

/** A command's data, typed by the registry; a failure fails the test with its code. */
export function dataOf<D>(execution: Execution<D>): D {
  if (!execution.envelope.ok) throw new Error(`expected success, got ${execution.envelope.error.code}`);
  return execution.envelope.data;
}

/** Headers of a same-origin browser request carrying `user`'s session. */
export function browserHeaders(user: TestUser | null, extra: Record<string, string> = {}): Headers {
  return new Headers({
    origin: TEST_BASE_URL,
    "sec-fetch-site": "same-origin",
    ...(user ? { cookie: user.cookie } : {}),
    ...extra,
  });
}

/** A multipart upload of one file, as the files page's form sends it. */
export function uploadRequest(
  user: TestUser | null,
  file: { name: string; bytes: Uint8Array | string; type?: string },
  extraHeaders: Record<string, string> = {},
): Request {
  const form = new FormData();
  const bytes = typeof file.bytes === "string" ? new TextEncoder().encode(file.bytes) : file.bytes;
  form.set("file", new File([new Uint8Array(bytes)], file.name, { type: file.type ?? "application/octet-stream" }));
  return new Request(`${TEST_BASE_URL}/api/files?locale=en`, {
    method: "POST",
    body: form,
    headers: browserHeaders(user, extraHeaders),
  });
}

export function downloadRequest(user: TestUser | null, fileId: string): Request {
  return new Request(`${TEST_BASE_URL}/api/files/${encodeURIComponent(fileId)}`, { headers: browserHeaders(user) });
}
