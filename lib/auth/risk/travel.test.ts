import { describe, expect, it } from "vitest";
import type { GeoPosition } from "./signals";
import { IGNORED_DISTANCE_KM, IMPOSSIBLE_TRAVEL_KMH, distanceKm, isImpossibleTravel, isValidPosition } from "./travel";

const PARIS: GeoPosition = { latitude: 48.8566, longitude: 2.3522 };
const LONDON: GeoPosition = { latitude: 51.5074, longitude: -0.1278 };
const NEW_YORK: GeoPosition = { latitude: 40.7128, longitude: -74.006 };
const VERSAILLES: GeoPosition = { latitude: 48.8049, longitude: 2.1204 }; // ~18 km from Paris
const SUVA: GeoPosition = { latitude: -18.1248, longitude: 178.4501 }; // Fiji, west of the antimeridian
const APIA: GeoPosition = { latitude: -13.8333, longitude: -171.75 }; // Samoa, east of it

const T0 = new Date("2026-03-01T12:00:00Z");
const later = (minutes: number) => new Date(T0.getTime() + minutes * 60 * 1000);

describe("distanceKm", () => {
  it.each([
    ["Paris–London", PARIS, LONDON, 344],
    ["New York–London", NEW_YORK, LONDON, 5570],
    ["Suva–Apia, across the antimeridian", SUVA, APIA, 1150],
    ["half the equator", { latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 }, 20015],
  ])("%s ≈ %d km (within 1%%)", (_name, from, to, expected) => {
    expect(Math.abs(distanceKm(from, to) - expected) / expected).toBeLessThan(0.01);
    expect(distanceKm(to, from)).toBeCloseTo(distanceKm(from, to), 6);
  });

  it("is zero for one place and small across the antimeridian, not a trip round the world", () => {
    expect(distanceKm(PARIS, PARIS)).toBe(0);
    expect(distanceKm({ latitude: -17, longitude: 179.9 }, { latitude: -17, longitude: -179.9 })).toBeLessThan(25);
  });
});

describe("isValidPosition", () => {
  it.each([
    [{ latitude: 90, longitude: 180 }, true],
    [{ latitude: -90, longitude: -180 }, true],
    [{ latitude: 90.01, longitude: 0 }, false],
    [{ latitude: 0, longitude: -180.01 }, false],
    [{ latitude: Number.NaN, longitude: 0 }, false],
    [{ latitude: 0, longitude: Number.POSITIVE_INFINITY }, false],
  ])("%j → %s", (position, valid) => {
    expect(isValidPosition(position)).toBe(valid);
  });
});

describe("isImpossibleTravel", () => {
  it("Paris then London an hour later is a flight; ten minutes later is not", () => {
    expect(isImpossibleTravel({ position: PARIS, at: T0 }, { position: LONDON, at: later(60) })).toBe(false);
    expect(isImpossibleTravel({ position: PARIS, at: T0 }, { position: LONDON, at: later(10) })).toBe(true);
  });

  it("draws the line at IMPOSSIBLE_TRAVEL_KMH", () => {
    const minutesAtLimit = (distanceKm(NEW_YORK, LONDON) / IMPOSSIBLE_TRAVEL_KMH) * 60;
    expect(isImpossibleTravel({ position: NEW_YORK, at: T0 }, { position: LONDON, at: later(minutesAtLimit + 1) })).toBe(false);
    expect(isImpossibleTravel({ position: NEW_YORK, at: T0 }, { position: LONDON, at: later(minutesAtLimit - 1) })).toBe(true);
  });

  it("ignores moves under IGNORED_DISTANCE_KM, even at no time at all", () => {
    expect(distanceKm(PARIS, VERSAILLES)).toBeLessThan(IGNORED_DISTANCE_KM);
    expect(isImpossibleTravel({ position: PARIS, at: T0 }, { position: VERSAILLES, at: T0 })).toBe(false);
  });

  it("no time at all with a real distance is impossible", () => {
    expect(isImpossibleTravel({ position: PARIS, at: T0 }, { position: LONDON, at: T0 })).toBe(true);
  });

  it("counts time backwards (clocks or rows out of order) by its absolute value", () => {
    expect(isImpossibleTravel({ position: PARIS, at: later(60) }, { position: LONDON, at: T0 })).toBe(false);
    expect(isImpossibleTravel({ position: PARIS, at: later(10) }, { position: LONDON, at: T0 })).toBe(true);
  });

  it("crosses the antimeridian by the short way", () => {
    // ~1,150 km: two hours is a flight, thirty minutes is not.
    expect(isImpossibleTravel({ position: SUVA, at: T0 }, { position: APIA, at: later(120) })).toBe(false);
    expect(isImpossibleTravel({ position: SUVA, at: T0 }, { position: APIA, at: later(30) })).toBe(true);
  });

  it("is false when either position is missing or invalid, or a time is not a date", () => {
    const bad: GeoPosition[] = [
      { latitude: Number.NaN, longitude: 0 },
      { latitude: 91, longitude: 0 },
      { latitude: 0, longitude: 181 },
    ];
    expect(isImpossibleTravel(null, { position: LONDON, at: T0 })).toBe(false);
    expect(isImpossibleTravel({ position: PARIS, at: T0 }, { position: null, at: T0 })).toBe(false);
    for (const position of bad) {
      expect(isImpossibleTravel({ position, at: T0 }, { position: LONDON, at: T0 })).toBe(false);
      expect(isImpossibleTravel({ position: PARIS, at: T0 }, { position, at: T0 })).toBe(false);
    }
    expect(isImpossibleTravel({ position: PARIS, at: new Date(Number.NaN) }, { position: LONDON, at: T0 })).toBe(false);
  });
});
