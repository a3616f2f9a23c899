/**
 * Loads Prisma's schema engine as WebAssembly (@prisma/schema-engine-wasm),
 * the same engine `prisma migrate dev` runs natively, but driven through the
 * app's own driver adapters so nothing has to be downloaded.
 *
 * The package is a wasm-bindgen "bundler" build: its entry point does
 * `import * as wasm from "./schema_engine_bg.wasm"`, which only a bundler (or
 * Node's experimental wasm-modules flag) understands. Node 20 needs the three
 * steps a bundler would do: compile the .wasm, link it against the JS glue
 * module it imports, and hand the instance back to the glue.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import * as glue from "@prisma/schema-engine-wasm/schema_engine_bg";

const GLUE_MODULE_NAME = "./schema_engine_bg.js";

let instantiated: Promise<void> | undefined;

/**
 * On a Rust panic the engine hands its message to this global before
 * trapping; without it the caller would only see "RuntimeError: unreachable".
 */
function installPanicRegistry(): void {
  const registry = { set_message: (message: string) => console.error(`Prisma schema engine panicked: ${message}`) };
  Object.assign(globalThis, { PRISMA_WASM_PANIC_REGISTRY: registry });
}

function instantiateWasm(): Promise<void> {
  instantiated ??= (async () => {
    installPanicRegistry();
    // The package's exports map hides the .wasm file; it sits beside the glue.
    const gluePath = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = path.join(path.dirname(gluePath), "schema_engine_bg.wasm");
    const compiled = await WebAssembly.compile(await readFile(wasmPath));
    const instance = await WebAssembly.instantiate(compiled, { [GLUE_MODULE_NAME]: { ...glue } });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return instantiated;
}

export async function startSchemaEngine(
  schemaPath: string,
  schemaText: string,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  log: (message: string) => void = () => {},
): Promise<SchemaEngine> {
  await instantiateWasm();
  return glue.SchemaEngine.new(
    { datamodels: [[schemaPath, schemaText]] },
    log,
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}
