import type { GeoPosition } from "./signals";

/**
 * Impossible travel: two successful sign-ins of one account whose positions
 * are farther apart than anyone could fly in the time between them. The
 * positions come from IP geolocation, so a few tens of kilometres of error
 * are normal and moves below IGNORED_DISTANCE_KM are not judged at all.
 */

/** A cruising airliner is ~900 km/h: anything faster did not travel, it is a second party or a proxy. */
export const IMPOSSIBLE_TRAVEL_KMH = 1000;
/** Below this, two positions may be the same place seen through two networks (geolocation error). */
export const IGNORED_DISTANCE_KM = 50;
/** The mean Earth radius (IUGG), for great-circle distances; the error against the ellipsoid is under 0.5%. */
export const EARTH_MEAN_RADIUS_KM = 6371.0088;

const MILLISECONDS_PER_HOUR = 60 * 60 * 1000;

/** A latitude in [-90, 90] and a longitude in [-180, 180]; anything else (NaN, out of range) is no position. */
export function isValidPosition(position: GeoPosition | null | undefined): position is GeoPosition {
  return (
    position != null &&
    Number.isFinite(position.latitude) &&
    Number.isFinite(position.longitude) &&
    Math.abs(position.latitude) <= 90 &&
    Math.abs(position.longitude) <= 180
  );
}

/** Great-circle distance in km (haversine), which handles the antimeridian and the poles without special cases. */
export function distanceKm(from: GeoPosition, to: GeoPosition): number {
  const radians = (degrees: number) => (degrees * Math.PI) / 180;
  const deltaLatitude = radians(to.latitude - from.latitude);
  const deltaLongitude = radians(to.longitude - from.longitude);
  const a =
    Math.sin(deltaLatitude / 2) ** 2 +
    Math.cos(radians(from.latitude)) * Math.cos(radians(to.latitude)) * Math.sin(deltaLongitude / 2) ** 2;
  // min(): rounding can push `a` a hair above 1 for antipodal points, and asin(>1) is NaN.
  return 2 * EARTH_MEAN_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

export interface TimedPosition {
  position: GeoPosition;
  at: Date;
}

/**
 * Whether going from the previous successful sign-in to this one needs more
 * than IMPOSSIBLE_TRAVEL_KMH. False when either position is missing or
 * invalid, or when the move is under IGNORED_DISTANCE_KM; elapsed time counts
 * by its absolute value, since the two times may come from clocks (or rows)
 * in either order; no time at all with a real distance is impossible.
 */
export function isImpossibleTravel(
  previous: TimedPosition | null,
  current: { position: GeoPosition | null; at: Date },
): boolean {
  if (!previous || !isValidPosition(previous.position) || !isValidPosition(current.position)) return false;
  const elapsedMilliseconds = Math.abs(current.at.getTime() - previous.at.getTime());
  if (Number.isNaN(elapsedMilliseconds)) return false;
  const distance = distanceKm(previous.position, current.position);
  if (distance < IGNORED_DISTANCE_KM) return false;
  if (elapsedMilliseconds === 0) return true;
  return distance / (elapsedMilliseconds / MILLISECONDS_PER_HOUR) > IMPOSSIBLE_TRAVEL_KMH;
}
