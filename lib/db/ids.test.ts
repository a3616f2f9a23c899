import { describe, expect, it } from "vitest";
import { newRowId } from "./ids";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The 48-bit millisecond timestamp at the front of a UUIDv7. */
function millisecondsOf(id: string): number {
  return parseInt(id.replaceAll("-", "").slice(0, 12), 16);
}

describe("row ids", () => {
  it("are UUIDv7 carrying the time they were made", () => {
    const now = Date.UTC(2026, 11, 1, 12, 0, 0);
    const id = newRowId(now + 1_000_000);
    expect(id).toMatch(UUID_V7);
    expect(millisecondsOf(id)).toBe(now + 1_000_000);
  });

  it("sort in the order they were made, also within one millisecond", () => {
    const now = Date.UTC(2026, 11, 1, 13, 0, 0);
    const ids = Array.from({ length: 5000 }, (_, i) => newRowId(now + Math.floor(i / 1000)));
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 1; i < ids.length; i++) expect(ids[i] > ids[i - 1]).toBe(true);
    expect(ids.every((id) => UUID_V7.test(id))).toBe(true);
  });

  it("keep increasing when the clock steps back", () => {
    const now = Date.UTC(2026, 11, 1, 14, 0, 0);
    const before = newRowId(now);
    const after = [newRowId(now - 5_000), newRowId(now - 5_000), newRowId(now - 1)];
    expect(after[0] > before).toBe(true);
    expect(after[1] > after[0]).toBe(true);
    expect(after[2] > after[1]).toBe(true);
  });
});
