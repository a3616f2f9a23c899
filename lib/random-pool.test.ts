import { describe, expect, it } from "vitest";
import { RANDOM_POOL_BYTES, randomPoolBytes } from "./random-pool";

describe("the pooled CSPRNG", () => {
  it("hands out the number of bytes asked for, each in a buffer of its own", () => {
    const first = randomPoolBytes(32);
    const second = randomPoolBytes(32);
    expect(first).toHaveLength(32);
    expect(randomPoolBytes(1)).toHaveLength(1);
    expect(randomPoolBytes(RANDOM_POOL_BYTES)).toHaveLength(RANDOM_POOL_BYTES);
    const copy = Buffer.from(second);
    first.fill(0xff);
    expect(second.equals(copy)).toBe(true);
  });

  it("never hands out the same bytes twice, across many refills", () => {
    const seen = new Set<string>();
    const draws = Math.ceil((RANDOM_POOL_BYTES * 10) / 32) + 7;
    for (let i = 0; i < draws; i++) {
      // Odd sizes too, so that draws straddle the end of a fill.
      const bytes = randomPoolBytes(i % 3 === 0 ? 17 : 32);
      seen.add(bytes.toString("hex"));
    }
    expect(seen.size).toBe(draws);
  });

  it("gives bytes that look uniformly random (not zeros, not a pattern)", () => {
    const counts = new Array<number>(256).fill(0);
    const total = 256 * 400;
    for (let drawn = 0; drawn < total; drawn += 64) for (const byte of randomPoolBytes(64)) counts[byte] += 1;
    // 400 expected per value; a CSPRNG stays far inside these bounds
    // (a zeroed or repeating pool would put everything in a few values).
    expect(Math.min(...counts)).toBeGreaterThan(250);
    expect(Math.max(...counts)).toBeLessThan(550);
  });

  it("refuses sizes it cannot serve", () => {
    for (const count of [0, -1, 1.5, Number.NaN, RANDOM_POOL_BYTES + 1]) {
      expect(() => randomPoolBytes(count)).toThrow(RangeError);
    }
  });
});
