/**
 * Timed modes share one loop: a source says how many records a run has, how far apart they are
 * due, and what record k is; the scheduler releases due records; the sink takes them. On a
 * SimulatedClock the same loop runs as fast as the sink allows, with the same records.
 */
import type { CustomerRecord } from '../core/schema.ts';
import type { Clock } from '../schedule/clock.ts';
import { realClock } from '../schedule/clock.ts';
import type { DueRange } from '../schedule/scheduler.ts';
import { dueRanges } from '../schedule/scheduler.ts';
import type { LatenessSummary } from '../schedule/lateness.ts';
import { LatenessHistogram } from '../schedule/lateness.ts';
import type { DeliveryStats, RecordSink } from '../sinks/record-sink.ts';
import type { ChurnOutcome } from '../core/outcome.ts';
import type { OutcomeQueue, RecordFuture } from './outcomes.ts';

export interface TimedSource {
  /** Records in the run; Infinity runs until stopped. */
  readonly count: number;
  /** Real milliseconds between due times of consecutive records. */
  readonly intervalMs: number;
  /** When record 0 is due after the start (a shard's first slot). Default 0. */
  readonly firstDueMs?: number;
  /**
   * Records [from, to), called once per range, in order. With `futures`, also pushes each
   * record's future there (for the delayed outcomes).
   */
  recordsAt(from: number, to: number, futures?: RecordFuture[]): CustomerRecord[];
  /** When an event time falls due on the run's timeline, in ms after the start (outcomes need it). */
  dueOffsetOfEvent?(eventMs: number): number;
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
  /**
   * The delayed outcome stream: every released record's outcome is queued and goes to `sink` when
   * the timeline reaches it; the run goes on after the last record until the last outcome (or the
   * signal). Needs a source with dueOffsetOfEvent.
   */
  outcomes?: { queue: OutcomeQueue; sink: RecordSink<ChurnOutcome> } | undefined;
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
  /** The outcome stream's accounting, and the outcomes withheld (--label-missing) or still pending at the end. */
  outcomes?: { stats: DeliveryStats; withheld: number; pending: number } | undefined;
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
  const { control, outcomes } = options;
  let generated = 0;
  let closed = false;
  let firstReleaseAt = Number.NaN;
  let lastReleaseAt = Number.NaN;
  let turnAt = performance.now();
  try {
    const firstDueMs = source.firstDueMs ?? 0;
    /** When record `position` is scheduled, in ms after the start. */
    const slotOf = (position: number): number => firstDueMs + position * source.intervalMs;
    const ranges = dueRanges({
      intervalMs: source.intervalMs,
      firstDueMs,
      count: source.count,
      clock,
      signal: options.signal,
    });
    let pendingRange = ranges.next();
    let nextPosition = 0;
    /**
     * The next due range; meanwhile, on the real clock, every outcome that falls due before the
     * next record's slot is written at its own time rather than with the next records.
     */
    const nextRange = async (): Promise<IteratorResult<DueRange, void>> => {
      while (outcomes !== undefined && !clock.simulated) {
        const due = outcomes.queue.nextDueOffsetMs;
        if (due === undefined || due >= slotOf(nextPosition)) break;
        const stopSleeping = new AbortController();
        const outcomeTime = clock.sleepUntil(started + due, stopSleeping.signal).then(() => undefined);
        const first = await Promise.race([pendingRange, outcomeTime]);
        stopSleeping.abort();
        if (first !== undefined) return first;
        await writeOutcomes(
          outcomes.queue.takeDue(Math.min(clock.now() - started, slotOf(nextPosition)), true),
          outcomes.sink,
        );
      }
      return pendingRange;
    };
    for (let next = await nextRange(); next.done !== true; next = await nextRange()) {
      const range = next.value;
      const futures: RecordFuture[] | undefined = outcomes === undefined ? undefined : [];
      const records = source.recordsAt(range.from, range.to, futures);
      const releasedAt = clock.now();
      if (generated === 0) firstReleaseAt = releasedAt;
      lastReleaseAt = releasedAt;
      await sink.write(records);
      if (control !== undefined) await control.sink.write(control.source.recordsAt(range.from, range.to));
      if (outcomes !== undefined && futures !== undefined) {
        // Every outcome due by the last of these records' slots: later records come later.
        outcomes.queue.add(records, futures, (i) => slotOf(range.from + i));
        await writeOutcomes(outcomes.queue.takeDue(slotOf(range.to - 1)), outcomes.sink);
      }
      nextPosition = range.to;
      generated += records.length;
      if (!clock.simulated) {
        // Record k of the range was due (k - from) intervals after the first.
        for (let k = range.from; k < range.to; k++)
          lateness.record(range.lateMs - (k - range.from) * source.intervalMs);
      }
      options.onProgress?.({ generated, stats: sink.stats, elapsedMs: clock.now() - started, released: records });
      if (sink.closedByReader || control?.sink.closedByReader === true || outcomes?.sink.closedByReader === true) {
        await ranges.return();
        break;
      }
      // On a simulated clock every await may resolve at once, which would keep signal handlers
      // (and other I/O callbacks) waiting until the run ends: give the event loop a turn regularly.
      if (clock.simulated && performance.now() - turnAt > eventLoopTurnMs) {
        await new Promise((resolve) => setImmediate(resolve));
        turnAt = performance.now();
      }
      pendingRange = ranges.next();
    }
    const readerLeft =
      sink.closedByReader || control?.sink.closedByReader === true || outcomes?.sink.closedByReader === true;
    if (outcomes !== undefined && !readerLeft) {
      // The records are out; the timeline goes on until the last outcome is known.
      const { queue } = outcomes;
      for (let due = queue.nextDueOffsetMs; due !== undefined; due = queue.nextDueOffsetMs) {
        await clock.sleepUntil(started + due, options.signal);
        if (options.signal?.aborted === true) break;
        await writeOutcomes(queue.takeDue(clock.now() - started), outcomes.sink);
        if (outcomes.sink.closedByReader) break;
        if (clock.simulated && performance.now() - turnAt > eventLoopTurnMs) {
          await new Promise((resolve) => setImmediate(resolve));
          turnAt = performance.now();
        }
      }
    }
    // All outputs complete before any appears: when one cannot be (a full disk), none does.
    if (control !== undefined || outcomes !== undefined) {
      await control?.sink.finish?.();
      await outcomes?.sink.finish?.();
      await sink.finish?.();
    }
    const controlStats = await control?.sink.close();
    const outcomeStats = await outcomes?.sink.close();
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
      outcomes:
        outcomes === undefined || outcomeStats === undefined
          ? undefined
          : { stats: outcomeStats, withheld: outcomes.queue.withheld, pending: outcomes.queue.pending },
    };
  } finally {
    if (!closed) {
      // A failed run (a full disk, a sink error): a file is abandoned, Kafka delivers what it has.
      await abandon(sink);
      if (control !== undefined) await abandon(control.sink);
      if (outcomes !== undefined) await abandon(outcomes.sink);
    }
  }
}

async function writeOutcomes(due: readonly ChurnOutcome[], sink: RecordSink<ChurnOutcome>): Promise<void> {
  if (due.length > 0) await sink.write(due);
}

async function abandon<T>(sink: RecordSink<T>): Promise<void> {
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
