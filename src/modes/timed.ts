/**
 * Timed modes share one loop: a source says how many records a run has, how far apart they are
 * due, and what record k is; the scheduler releases due records; the sink takes them. On a
 * SimulatedClock the same loop runs as fast as the sink allows, with the same records.
 */
import type { CustomerRecord } from '../core/schema.ts';
import type { Clock } from '../schedule/clock.ts';
import { realClock } from '../schedule/clock.ts';
import { dueRanges } from '../schedule/scheduler.ts';
import type { LatenessSummary } from '../schedule/lateness.ts';
import { LatenessHistogram } from '../schedule/lateness.ts';
import type { DeliveryStats, RecordSink } from '../sinks/record-sink.ts';

export interface TimedSource {
  /** Records in the run; Infinity runs until stopped. */
  readonly count: number;
  /** Real milliseconds between due times of consecutive records. */
  readonly intervalMs: number;
  /** When record 0 is due after the start (a shard's first slot). Default 0. */
  readonly firstDueMs?: number;
  /** Records [from, to), called once per range, in order. */
  recordsAt(from: number, to: number): CustomerRecord[];
}

export interface TimedRunOptions {
  clock?: Clock | undefined;
  signal?: AbortSignal | undefined;
  /** Called after each released range (the CLI's status line reads it). */
  onProgress?: ((progress: TimedProgress) => void) | undefined;
  /**
   * A paired output written in step with the main one: for each released range [from, to) of
   * `source`, the control source's records [from, to) go to the control sink.
   */
  control?: { source: TimedSource; sink: RecordSink } | undefined;
}

export interface TimedProgress {
  generated: number;
  stats: DeliveryStats;
  elapsedMs: number;
  /** The records just released. */
  released: readonly CustomerRecord[];
}

export interface TimedRunResult {
  generated: number;
  stats: DeliveryStats;
  elapsedMs: number;
  /** Achieved rate: records per minute between the first and the last release. */
  achievedPerMinute: number;
  /** Stopped by the signal (a normal end for a stream) rather than by running out of records. */
  stopped: boolean;
  /** How late records were released after their due time, in ms (real clock only). */
  lateness: LatenessSummary;
  /** The control output's accounting, when there is one. */
  controlStats?: DeliveryStats | undefined;
}

/** Longest stretch of simulated-clock work between two turns of the event loop. */
const eventLoopTurnMs = 20;

/** Paces `source` into `sink`, then closes the sink (delivering what is in flight). */
export async function runTimed(
  source: TimedSource,
  sink: RecordSink,
  options: TimedRunOptions = {},
): Promise<TimedRunResult> {
  const clock = options.clock ?? realClock;
  const started = clock.now();
  const lateness = new LatenessHistogram();
  const { control } = options;
  let generated = 0;
  let closed = false;
  let firstReleaseAt = Number.NaN;
  let lastReleaseAt = Number.NaN;
  let turnAt = performance.now();
  try {
    for await (const range of dueRanges({
      intervalMs: source.intervalMs,
      count: source.count,
      clock,
      signal: options.signal,
    })) {
      const records = source.recordsAt(range.from, range.to);
      const releasedAt = clock.now();
      if (generated === 0) firstReleaseAt = releasedAt;
      lastReleaseAt = releasedAt;
      await sink.write(records);
      if (control !== undefined) await control.sink.write(control.source.recordsAt(range.from, range.to));
      generated += records.length;
      if (!clock.simulated) {
        // Record k of the range was due (k - from) intervals after the first.
        for (let k = range.from; k < range.to; k++)
          lateness.record(range.lateMs - (k - range.from) * source.intervalMs);
      }
      options.onProgress?.({ generated, stats: sink.stats, elapsedMs: clock.now() - started, released: records });
      if (sink.closedByReader) break;
      // On a simulated clock every await may resolve at once, which would keep signal handlers
      // (and other I/O callbacks) waiting until the run ends: give the event loop a turn regularly.
      if (clock.simulated && performance.now() - turnAt > eventLoopTurnMs) {
        await new Promise((resolve) => setImmediate(resolve));
        turnAt = performance.now();
      }
    }
    // Both outputs complete before either appears: when one cannot be (a full disk), neither does.
    if (control !== undefined) {
      await control.sink.finish?.();
      await sink.finish?.();
    }
    const controlStats = await control?.sink.close();
    const stats = await sink.close();
    closed = true;
    return {
      generated,
      stats,
      elapsedMs: clock.now() - started,
      achievedPerMinute: generated > 1 ? ((generated - 1) / (lastReleaseAt - firstReleaseAt)) * 60_000 : 0,
      stopped: options.signal?.aborted === true,
      lateness: lateness.summary(),
      controlStats,
    };
  } finally {
    if (!closed) {
      // A failed run (a full disk, a sink error): a file is abandoned, Kafka delivers what it has.
      await abandon(sink);
      if (control !== undefined) await abandon(control.sink);
    }
  }
}

async function abandon(sink: RecordSink): Promise<void> {
  await (sink.abort === undefined ? sink.close() : sink.abort()).catch(() => undefined);
}

/** Async iterable view of a timed source: records as they fall due, without any sink. */
export async function* timedRecords(
  source: TimedSource,
  options: TimedRunOptions = {},
): AsyncGenerator<CustomerRecord, void, undefined> {
  const clock = options.clock ?? realClock;
  for await (const range of dueRanges({
    intervalMs: source.intervalMs,
    count: source.count,
    clock,
    signal: options.signal,
  })) {
    yield* source.recordsAt(range.from, range.to);
  }
}
