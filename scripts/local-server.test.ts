import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The quick start and the e2e server run with DEV_MAILBOX=1 (every sign-in
 * link readable at /api/dev/mailbox), so they must listen on loopback only,
 * and so does `npm start` (scripts/start.sh), which a deployment reaches
 * through its proxy. This starts their real command line (start_local_server
 * in scripts/local-server.sh, which all three scripts call) and asks the
 * operating system which address the socket got.
 *
 * No production build is needed: `next start` binds its port before it looks
 * for one, so it is pointed at an empty directory and a preloaded hook
 * records every listening socket's `address()` (getsockname) before Next.js
 * exits for the missing build. Vitest runs before `next build` in `npm test`.
 */

const ROOT = process.cwd();
/** Generous: `npx` and Next.js's CLI start in well under a second here. */
const START_TIMEOUT_MS = 60_000;

let workDir: string;
let emptyApp: string;
let hook: string;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), "trustladder-listen-"));
  emptyApp = join(workDir, "app");
  mkdirSync(emptyApp);
  hook = join(workDir, "report-listen.cjs");
  writeFileSync(
    hook,
    [
      'const net = require("node:net");',
      'const fs = require("node:fs");',
      "const listen = net.Server.prototype.listen;",
      "net.Server.prototype.listen = function (...args) {",
      '  this.once("listening", () => fs.appendFileSync(process.env.LISTEN_REPORT, JSON.stringify(this.address()) + "\\n"));',
      "  return listen.apply(this, args);",
      "};",
      "",
    ].join("\n"),
  );
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

interface Started {
  addresses: string[];
  stderr: string;
}

let runs = 0;

/** Runs `start_local_server 0 <empty app>` as the scripts do, with `environment` added. */
function startLocalServer(environment: Record<string, string>): Started {
  runs += 1;
  const report = join(workDir, `listen-${runs}.jsonl`);
  const inherited = { ...process.env };
  for (const name of ["LISTEN_HOST", "HOST", "HOSTNAME", "PORT", "NODE_OPTIONS"]) delete inherited[name];
  const result = spawnSync("bash", ["-c", 'source scripts/local-server.sh && start_local_server 0 "$1"', "start", emptyApp], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: START_TIMEOUT_MS,
    env: {
      ...inherited,
      NEXT_TELEMETRY_DISABLED: "1",
      DEV_MAILBOX: "1",
      NODE_OPTIONS: `--require "${hook}"`,
      LISTEN_REPORT: report,
      ...environment,
    },
  });
  // It did reach `next start` and stop there, for the build it was not given.
  expect(result.stderr).toMatch(/Could not find a production build/);
  const lines = existsSync(report) ? readFileSync(report, "utf8").trim().split("\n") : [];
  const addresses = lines.filter(Boolean).map((line) => (JSON.parse(line) as { address: string }).address);
  return { addresses, stderr: result.stderr };
}

/** Every script that starts the server; `npm start` runs the last. */
const SERVER_SCRIPTS = ["scripts/quickstart.sh", "scripts/e2e-server.sh", "scripts/start.sh"];

describe("the quick start's, the e2e server's and npm start's `next start`", () => {
  it("every script starts the server through the one shared command line", () => {
    for (const script of SERVER_SCRIPTS) {
      const text = readFileSync(join(ROOT, script), "utf8");
      expect(text, script).toMatch(/^source scripts\/local-server\.sh$/m);
      expect(text, script).toMatch(/^start_local_server "\$PORT"$/m);
      // No second, unchecked way to start it.
      expect(text.replace(/^#.*$/gm, ""), script).not.toMatch(/next start/);
    }
  });

  it("npm start is scripts/start.sh, not a bare `next start` on every interface", () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(scripts.start).toBe("bash scripts/start.sh");
  });

  it("listens on 127.0.0.1 only", () => {
    expect(startLocalServer({}).addresses).toEqual(["127.0.0.1"]);
  });

  it("is not opened by variables that shells and containers set for other reasons", () => {
    expect(startLocalServer({ HOST: "0.0.0.0", HOSTNAME: "0.0.0.0" }).addresses).toEqual(["127.0.0.1"]);
  });

  it("listens elsewhere only when LISTEN_HOST says so, and then warns about the mailbox", () => {
    const opened = startLocalServer({ LISTEN_HOST: "0.0.0.0" });
    expect(opened.addresses).toEqual(["0.0.0.0"]);
    expect(opened.stderr).toMatch(/LISTEN_HOST=0\.0\.0\.0 with DEV_MAILBOX=1/);
  });
});
