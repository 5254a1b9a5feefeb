/**
 * `stream` and `drift` modes (SPEC §3): customers at a steady rate, optionally under the drift
 * scenario. Record k is due k × 60/rate seconds after the start and is stamped with exactly that
 * event time; it is a pure function of (seed, k, options), so any run, real-time or simulated,
 * replays identically.
 */
import type { CustomerFuture, GenerationParams } from '../core/customer.ts';
import { defaultOverlap, paramsUnderDrift } from '../core/customer.ts';
import { RecordSource, eventTimeOf } from '../core/source.ts';
import { noDrift } from '../core/drift.ts';
import type { DriftComponent, DriftSchedule } from '../core/drift-schedule.ts';
import { driftEffectsAt, makeDriftSchedule, specDriftComponents } from '../core/drift-schedule.ts';
import type { RiskMix } from '../core/profiles.ts';
import { defaultRiskMix, normaliseRiskMix } from '../core/profiles.ts';
import type { Shard } from '../core/shard.ts';
import { globalIndex, shardSize, wholeShard } from '../core/shard.ts';
import type { CustomerRecord } from '../core/schema.ts';
import { DatagenError } from '../errors.ts';
import { checkStreamOptions } from '../options/validate.ts';
import type { TimedSource } from './timed.ts';

export interface StreamOptions {
  seed: number;
  /** Customers per minute (fractions allowed). Default 60. */
  ratePerMinute?: number | undefined;
  /** Minutes to run (fractions allowed); undefined runs until stopped. */
  durationMinutes?: number | undefined;
  /** Mix of levels (the scenario's starting mix when driftProgression is on). Default 50/30/20. */
  riskDistribution?: RiskMix | undefined;
  /**
   * Apply a drift schedule over the duration: `driftComponents`, or by default the SPEC scenario
   * (mix → 10/30/60, class-conditional drift 0 → 1).
   */
  driftProgression?: boolean | undefined;
  /** The kinds, shapes and magnitudes of drift (drift-schedule.ts); implies driftProgression. */
  driftComponents?: readonly DriftComponent[] | undefined;
  /**
   * The paired control: the same customers (seed, index, event time) with drift off, still
   * stamped with the run's drift_progress and phase `baseline`, so a detector can be scored on it.
   */
  control?: boolean | undefined;
  overlap?: number | undefined;
  /** Adds `churned` and `churn_probability` to every record. */
  withOutcome?: boolean | undefined;
  /** Adds `predicted_churn_probability` and `predicted_churn`: the model of the run's start. */
  withPrediction?: boolean | undefined;
  /** Event time of record 0, epoch ms. */
  startMs: number;
  /** This process's slots of the schedule: records i with i mod n = k. Default: all. */
  shard?: Shard | undefined;
}

export const defaultRatePerMinute = 60;

/** The stream (or this shard's part of it) as a timed source: count, spacing and record j. */
export function streamSource(
  options: StreamOptions,
): TimedSource & { recordAt(k: number): CustomerRecord; readonly schedule: DriftSchedule | undefined } {
  checkStreamOptions(options);
  const rate = options.ratePerMinute ?? defaultRatePerMinute;
  const duration = options.durationMinutes;
  const intervalMs = 60_000 / rate;
  // Records due strictly before the end: k × interval < duration.
  const count = duration === undefined ? Infinity : Math.max(1, Math.ceil(rate * duration - 1e-9));
  const mix = normaliseRiskMix(options.riskDistribution ?? defaultRiskMix);
  const overlap = options.overlap ?? defaultOverlap;
  let schedule: DriftSchedule | undefined;
  if (options.driftProgression === true || options.driftComponents !== undefined) {
    if (duration === undefined) throw new DatagenError('INVALID_ARGUMENT', 'Drift progression needs a duration.');
    schedule = makeDriftSchedule({
      startMs: options.startMs,
      durationMs: duration * 60_000,
      baseMix: mix,
      components: options.driftComponents ?? specDriftComponents(),
    });
  }
  const withOutcome = options.withOutcome === true;
  const withPrediction = options.withPrediction === true;
  const steady: GenerationParams = { mix, drift: noDrift, overlap, withOutcome, withPrediction };
  const control = options.control === true;
  const source = new RecordSource(options.seed);
  const recordAt = (k: number, future?: CustomerFuture): CustomerRecord => {
    // Progress counts from the exact due offset; the event time is rounded to the millisecond.
    const eventMs = eventTimeOf(options.startMs, k, intervalMs);
    if (schedule === undefined) return source.record(k, eventMs, steady, future);
    const effects = driftEffectsAt(schedule, k * intervalMs, eventMs);
    const params: GenerationParams = control
      ? { ...steady, driftProgress: effects.progress, driftPhase: 'baseline' }
      : paramsUnderDrift(effects, { overlap, withOutcome, withPrediction });
    return source.record(k, eventMs, params, future);
  };
  const shard = options.shard ?? wholeShard;
  // The shard's j-th record is global record k + j·n, due at (k + j·n) × interval.
  const shardRecordAt = (position: number): CustomerRecord => recordAt(globalIndex(position, shard));
  return {
    count: shardSize(count, shard),
    intervalMs: intervalMs * shard.count,
    firstDueMs: intervalMs * shard.index,
    recordAt: shardRecordAt,
    schedule,
    recordsAt: (from, to, futures) => {
      const records: CustomerRecord[] = [];
      for (let position = from; position < to; position++) {
        const k = globalIndex(position, shard);
        if (futures === undefined) {
          records.push(recordAt(k));
        } else {
          const future = { index: k, nextOrderDays: Infinity };
          records.push(recordAt(k, future));
          futures.push(future);
        }
      }
      return records;
    },
    // Event time is the real time since the start.
    dueOffsetOfEvent: (eventMs) => eventMs - options.startMs,
  };
}
