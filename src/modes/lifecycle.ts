/**
 * `lifecycle` mode (SPEC §3): N customers' weekly snapshots on one simulated timeline, interleaved
 * day by day: the day-d snapshots of all customers are released one after the other over the week
 * that follows d / speed seconds after the start, and each is stamped start + d days. A record
 * index is one snapshot of one customer, so the scheduler's batches bound memory to the customers'
 * states and a signal is seen between batches.
 */
import { CustomerJourney, snapshotDays, snapshotIntervalDays } from '../core/lifecycle.ts';
import type { CustomerRecord } from '../core/schema.ts';
import type { Shard } from '../core/shard.ts';
import { MS_PER_DAY } from '../core/time.ts';
import { globalIndex, shardSize, wholeShard } from '../core/shard.ts';
import { checkLifecycleOptions } from '../options/validate.ts';
import type { TimedSource } from './timed.ts';

export interface LifecycleOptions {
  seed: number;
  /** Default 10. */
  customers?: number | undefined;
  /** Days each journey lasts. Default 180. */
  days?: number | undefined;
  /** Simulated days per real second. Default 60. */
  speed?: number | undefined;
  /** Event time of day 0, epoch ms. */
  startMs: number;
  /** This process's customers: indices i with i mod n = k. Default: all. */
  shard?: Shard | undefined;
  /** Adds `churned` (no order in the 90 days after the snapshot, as the journey goes on) and `churn_probability`. */
  withOutcome?: boolean | undefined;
  /** Adds `predicted_churn_probability` and `predicted_churn` (the journey's true probability: lifecycle has no concept drift). */
  withPrediction?: boolean | undefined;
}

export const lifecycleDefaults = { customers: 10, days: 180, speed: 60 } as const;

/** The lifecycle as a timed source; record k is snapshot ⌊k / N⌋ of the shard's customer k mod N. */
export function lifecycleSource(options: LifecycleOptions): TimedSource {
  checkLifecycleOptions(options);
  const customers = options.customers ?? lifecycleDefaults.customers;
  const days = options.days ?? lifecycleDefaults.days;
  const speed = options.speed ?? lifecycleDefaults.speed;
  const shard = options.shard ?? wholeShard;
  // Journeys are made on first use, inside the scheduler's batches, so a signal is seen while a
  // large run is still starting up.
  const perSnapshot = shardSize(customers, shard);
  const journeys: CustomerJourney[] = [];
  const journey = (position: number): CustomerJourney =>
    (journeys[position] ??= new CustomerJourney(
      options.seed,
      globalIndex(position, shard),
      options.startMs,
      undefined,
      {
        withOutcome: options.withOutcome,
        withPrediction: options.withPrediction,
      },
    ));
  return {
    count: snapshotDays(days).length * perSnapshot,
    intervalMs: (snapshotIntervalDays * 1000) / speed / perSnapshot,
    recordsAt: (from, to, futures) => {
      const records: CustomerRecord[] = [];
      for (let k = from; k < to; k++) {
        const position = k % perSnapshot;
        if (futures === undefined) {
          records.push(journey(position).next());
        } else {
          // Index in the whole run: snapshot s of customer c is s × customers + c, in every shard.
          const index = Math.floor(k / perSnapshot) * customers + globalIndex(position, shard);
          const future = { index, nextOrderDays: Infinity };
          records.push(journey(position).next(future));
          futures.push(future);
        }
      }
      return records;
    },
    // Day d is due d / speed seconds after the start.
    dueOffsetOfEvent: (eventMs) => (eventMs - options.startMs) / (MS_PER_DAY / 1000) / speed,
  };
}
