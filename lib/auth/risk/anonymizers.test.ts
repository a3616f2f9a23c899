import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadAnonymizerList, parseAnonymizerList } from "./anonymizers";
import { RiskConfigurationError } from "./configuration-error";

const workDir = mkdtempSync(path.join(tmpdir(), "anonymizers-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe("parseAnonymizerList", () => {
  it("reads one address or range per line, skipping comments and blank lines", () => {
    const text = [
      "# Tor exits, fetched 2026-01-01",
      "",
      "192.0.2.1",
      "  198.51.100.0/24   # a whole range",
      "\t",
      "2001:db8::1\r",
      "#2001:db8::2",
    ].join("\n");
    const list = parseAnonymizerList(text);
    expect(list.size).toBe(3);
    expect(list.matches("192.0.2.1")).toBe(true);
    expect(list.matches("198.51.100.200")).toBe(true);
    expect(list.matches("2001:db8::1")).toBe(true);
    expect(list.matches("2001:db8::2")).toBe(false);
    expect(list.matches("192.0.2.2")).toBe(false);
    expect(list.matches(null)).toBe(false);
  });

  it("an empty or comment-only file lists nobody", () => {
    expect(parseAnonymizerList("").size).toBe(0);
    expect(parseAnonymizerList("# nothing yet\n\n").matches("192.0.2.1")).toBe(false);
  });

  it("names each malformed line by its number", () => {
    const attempt = () => parseAnonymizerList("# header\n192.0.2.1\n192.0.2.300\n\n2001:db8::/129\n", "exits.txt");
    expect(attempt).toThrow(RiskConfigurationError);
    expect(attempt).toThrow(/^exits\.txt is invalid:\n {2}line 3 "192\.0\.2\.300": .+\n {2}line 5 "2001:db8::\/129": /);
  });
});

describe("loadAnonymizerList", () => {
  it("reads the shipped example, which lists documentation addresses only", () => {
    const list = loadAnonymizerList(path.join(__dirname, "anonymizers.example.txt"));
    expect(list.size).toBeGreaterThan(0);
    expect(list.matches("192.0.2.1")).toBe(true);
    expect(list.matches("203.0.113.15")).toBe(true);
    expect(list.matches("203.0.113.16")).toBe(false);
    expect(list.matches("2001:db8:ffff:1::1")).toBe(true);
  });

  it("reads a team's file", () => {
    const file = path.join(workDir, "exits.txt");
    writeFileSync(file, "198.51.100.7\n");
    expect(loadAnonymizerList(file).matches("198.51.100.7")).toBe(true);
  });

  it("a missing file is a configuration error naming the path", () => {
    const missing = path.join(workDir, "missing.txt");
    expect(() => loadAnonymizerList(missing)).toThrow(RiskConfigurationError);
    expect(() => loadAnonymizerList(missing)).toThrow(`The anonymizer list ${missing} cannot be read (ENOENT).`);
  });

  it("a malformed line names the file and the line", () => {
    const file = path.join(workDir, "bad.txt");
    writeFileSync(file, "198.51.100.7\nnot-an-address\n");
    expect(() => loadAnonymizerList(file)).toThrow(`The anonymizer list ${file} is invalid:\n  line 2 "not-an-address"`);
  });
});
