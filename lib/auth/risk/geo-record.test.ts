import { describe, expect, it } from "vitest";
import { MAX_ACCURACY_RADIUS_KM, countryCodeOf, locationFromRecord, positionFromHeaders, positionOf } from "./geo-record";

describe("countryCodeOf", () => {
  it.each([
    ["FR", "FR"],
    [" fr ", "FR"],
    ["XX", null],
    ["ZZ", null],
    ["EU", null],
    ["T1", null],
    ["FRA", null],
    ["", null],
    [null, null],
    [250, null],
  ])("%j → %j", (value, country) => {
    expect(countryCodeOf(value)).toBe(country);
  });
});

describe("positionOf", () => {
  it("takes numbers within range", () => {
    expect(positionOf(48.8566, 2.3522)).toEqual({ latitude: 48.8566, longitude: 2.3522 });
    expect(positionOf(-90, 180)).toEqual({ latitude: -90, longitude: 180 });
  });

  it.each([
    [91, 0],
    [0, -181],
    [Number.NaN, 2],
    ["48.8", 2],
    [undefined, undefined],
    [0, 0],
  ])("(%j, %j) is no position", (latitude, longitude) => {
    expect(positionOf(latitude, longitude)).toBeNull();
  });
});

describe("positionFromHeaders", () => {
  it("reads decimal degrees as edges write them", () => {
    expect(positionFromHeaders("37.78010", "-122.39060")).toEqual({ latitude: 37.7801, longitude: -122.3906 });
    expect(positionFromHeaders(" +51.5 ", "-0.1278")).toEqual({ latitude: 51.5, longitude: -0.1278 });
  });

  it.each([
    [null, "2.35"],
    ["48.85", null],
    ["", ""],
    ["48,85", "2,35"],
    ["1e1", "2"],
    ["0x10", "2"],
    ["48.85 N", "2.35"],
    ["Infinity", "2"],
    ["91", "2"],
    ["48.85", "-180.5"],
    ["0", "0"],
  ])("(%j, %j) is ignored", (latitude, longitude) => {
    expect(positionFromHeaders(latitude, longitude)).toBeNull();
  });
});

describe("locationFromRecord", () => {
  it("reads ip-location-db's country shape (the shipped database)", () => {
    expect(locationFromRecord({ country_code: "US" })).toEqual({ country: "US", position: null });
  });

  it("reads ip-location-db's city shape, flat", () => {
    expect(locationFromRecord({ country_code: "GB", city: "London", latitude: 51.5074, longitude: -0.1278 })).toEqual({
      country: "GB",
      position: { latitude: 51.5074, longitude: -0.1278 },
    });
  });

  it("reads the GeoLite2 / DB-IP shape", () => {
    const record = {
      country: { iso_code: "FR", names: { en: "France" } },
      location: { latitude: 48.8566, longitude: 2.3522, accuracy_radius: 20, time_zone: "Europe/Paris" },
    };
    expect(locationFromRecord(record)).toEqual({ country: "FR", position: { latitude: 48.8566, longitude: 2.3522 } });
  });

  it("drops a position vaguer than MAX_ACCURACY_RADIUS_KM: a country's centre, not the client's", () => {
    const record = (radius: number) => ({
      country: { iso_code: "US" },
      location: { latitude: 37.751, longitude: -97.822, accuracy_radius: radius },
    });
    expect(locationFromRecord(record(MAX_ACCURACY_RADIUS_KM)).position).not.toBeNull();
    expect(locationFromRecord(record(1000))).toEqual({ country: "US", position: null });
  });

  it("a record without the fields, or no record, is unknown", () => {
    for (const record of [null, undefined, "US", [], {}, { country: "US" }, { country: { iso_code: 1 } }, { location: {} }]) {
      expect(locationFromRecord(record)).toEqual({ country: null, position: null });
    }
  });
});
