import { describe, expect, it } from "vitest";
import { UNNAMED_ENTRY, entryNamer } from "./zip-entry-names";

const namesOf = (stored: string[]) => {
  const namer = entryNamer();
  return stored.map((name) => namer.next(name));
};

describe("zip entry names", () => {
  it("keeps distinct names as they are", () => {
    expect(namesOf(["a.txt", "b.txt", "report.pdf"])).toEqual(["a.txt", "b.txt", "report.pdf"]);
  });

  it("numbers repeated names before the extension, ignoring case, never reusing one", () => {
    expect(namesOf(["a.txt", "a.txt", "A.TXT", "a (2).txt", "a.txt"])).toEqual([
      "a.txt",
      "a (2).txt",
      "A (3).TXT",
      "a (2) (2).txt",
      "a (4).txt",
    ]);
    expect(namesOf(["README", "readme"])).toEqual(["README", "readme (2)"]);
  });

  it("never names a path, even from a tampered row", () => {
    const hostile = ["../../etc/passwd", "/etc/shadow.txt", "C:\\Windows\\win.ini", "..\\..\\x.txt", "..", "", "./.env", "a/../../b.csv"];
    const names = namesOf(hostile);
    expect(names).toEqual(["passwd", "shadow.txt", "win.ini", "x.txt", UNNAMED_ENTRY, `${UNNAMED_ENTRY} (2)`, "env", "b.csv"]);
    for (const name of names) {
      expect(name).not.toMatch(/[/\\]/);
      expect(name.startsWith(".")).toBe(false);
      expect(name).not.toMatch(/^[a-z]:/i);
    }
  });

  it("strips invisible characters that would disguise an entry's type", () => {
    expect(namesOf(["invoice\u202Etxt.exe"])).toEqual(["invoicetxt.exe"]);
  });
});
