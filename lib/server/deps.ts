import type { ExecuteDeps } from "../auth/core/execute";
import { serverDeps } from "../auth/core/server-deps";
import { appCommands, type AppCommands } from "./commands";

/**
 * `execute`'s production dependencies: the auth core's wiring
 * (lib/auth/core/server-deps.ts, built once per process) with this
 * application's commands.
 */
let built: ExecuteDeps<AppCommands> | undefined;

export function appDeps(): ExecuteDeps<AppCommands> {
  const core = serverDeps();
  // Rebuilt only if the core's wiring was (tests reset it); otherwise the same object every time.
  if (!built || built.db !== core.db) built = { ...core, commands: appCommands };
  return built;
}
