/**
 * Pacing on a monotonic schedule: record k is due at t0 + k × interval. Each wake-up releases every
 * record that is due, so lateness never accumulates (unlike sleeping a fixed interval after each
 * send) and the achieved rate over a run equals the asked one.
 */
import type { Clock } from './clock.ts';

export interface ScheduleOptions {
  /** Milliseconds between consecutive records. */
  intervalMs: number;
  /** When record 0 is due, after the start. Default 0 (a shard's first slot may come later). */
  firstDueMs?: number | undefined;
  /** Records in the run (Infinity: until stopped). */
  count: number;
  clock: Clock;
  signal?: AbortSignal | undefined;
  /** Most records released at once (bounds memory when the consumer falls behind). */
  maxBatch?: number | undefined;
}

/** A run of due records: indices [from, to). `lateMs` is how late record `from` was released. */
export interface DueRange {
  from: number;
  to: number;
  lateMs: number;
}

export async function* dueRanges(options: ScheduleOptions): AsyncGenerator<DueRange, void, undefined> {
  const { intervalMs, count, clock, signal, maxBatch = 4096 } = options;
  const t0 = clock.now() + (options.firstDueMs ?? 0);
  let next = 0;
  while (next < count && signal?.aborted !== true) {
    const dueAt = t0 + next * intervalMs;
    const now = clock.now();
    if (now < dueAt) {
      await clock.sleepUntil(dueAt, signal);
      continue;
    }
    // Every record due by now (a simulated clock releases whole batches at once).
    const dueByNow = clock.simulated ? count : Math.floor((now - t0) / intervalMs) + 1;
    const to = Math.min(count, dueByNow, next + maxBatch);
    if (clock.simulated) await clock.sleepUntil(t0 + (to - 1) * intervalMs);
    yield { from: next, to, lateMs: clock.simulated ? 0 : now - dueAt };
    next = to;
  }
}
