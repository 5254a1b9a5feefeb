/**
 * `lifecycle` mode (SPEC §3): N customers' weekly snapshots on one simulated timeline. All
 * customers' day-d snapshots are released together (interleaved, day by day), d / speed seconds
 * after the start; each is stamped start + d days.
 */
import { CustomerJourney, snapshotDays, snapshotIntervalDays } from '../core/lifecycle.ts';
import type { CustomerRecord } from '../core/schema.ts';
import type { Shard } from '../core/shard.ts';
import { globalIndex, shardSize, wholeShard } from '../core/shard.ts';
import { DatagenError } from '../errors.ts';
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
}

export const lifecycleDefaults = { customers: 10, days: 180, speed: 60 } as const;

/** The lifecycle as a timed source; one "record" index per snapshot day, N records each. */
export function lifecycleSource(options: LifecycleOptions): TimedSource {
  const customers = options.customers ?? lifecycleDefaults.customers;
  const days = options.days ?? lifecycleDefaults.days;
  const speed = options.speed ?? lifecycleDefaults.speed;
  if (!Number.isSafeInteger(customers) || customers <= 0)
    throw new DatagenError('INVALID_ARGUMENT', `customers must be a positive integer, got ${customers}.`);
  if (!Number.isSafeInteger(days) || days < 0)
    throw new DatagenError('INVALID_ARGUMENT', `days must be a non-negative integer, got ${days}.`);
  if (!(speed > 0)) throw new DatagenError('INVALID_ARGUMENT', `speed must be a positive number, got ${speed}.`);
  const shard = options.shard ?? wholeShard;
  const journeys = Array.from(
    { length: shardSize(customers, shard) },
    (_, position) => new CustomerJourney(options.seed, globalIndex(position, shard), options.startMs),
  );
  return {
    count: snapshotDays(days).length,
    intervalMs: (snapshotIntervalDays * 1000) / speed,
    recordsAt: (from, to) => {
      const records: CustomerRecord[] = [];
      for (let snapshot = from; snapshot < to; snapshot++) for (const journey of journeys) records.push(journey.next());
      return records;
    },
  };
}
