/**
 * Clocks for pacing. Times are milliseconds on a monotonic scale (never stepped by NTP); event
 * timestamps are computed from the schedule, not read from a clock, so a simulated run produces
 * exactly the timestamps a real-time run would.
 */
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Resolves once now() >= `at`, or early when `signal` aborts. */
  sleepUntil(at: number, signal?: AbortSignal): Promise<void>;
  /** True when sleeping costs no real time (the --fast mode). */
  readonly simulated: boolean;
}

/** The real monotonic clock (performance.now), sleeping with timers. */
export const realClock: Clock = {
  now: () => performance.now(),
  simulated: false,
  sleepUntil(at, signal) {
    const delay = at - performance.now();
    if (delay <= 0 || signal?.aborted === true) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, delay);
      signal?.addEventListener('abort', done, { once: true });
    });
  },
};

/** A clock that jumps to whatever time is waited for: as fast as the consumer takes records. */
export class SimulatedClock implements Clock {
  readonly simulated = true;
  #now: number;

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleepUntil(at: number): Promise<void> {
    if (at > this.#now) this.#now = at;
    return Promise.resolve();
  }
}
