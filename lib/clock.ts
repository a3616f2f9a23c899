/**
 * Time comes from a clock so that tests can move it (docs/architecture.md § Code conventions).
 * Production code takes a `Clock` as a dependency and never calls `new Date()`
 * for a decision about expiry.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};

/** A clock for tests: starts at `start` and moves only when told to. */
export class MovableClock implements Clock {
  private current: number;

  constructor(start: Date | string = "2026-01-01T00:00:00Z") {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advanceSeconds(seconds: number): void {
    this.current += seconds * 1000;
  }
}
