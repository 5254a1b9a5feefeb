/**
 * The one record source: (seed, index, parameters, event time) → record. The library's
 * generator, batch (in the main thread and in workers), stream and drift all make their records
 * here, and all stamp them by the one rule for event time below; lifecycle journeys observe the
 * same customer model (customer.ts) week by week.
 */
import type { CustomerFields, CustomerFuture, GenerationParams } from './customer.ts';
import { customerIdOf, generateCustomerFields, newCustomerFields, recordOf } from './customer.ts';
import { CounterRng } from './random.ts';
import type { CustomerRecord } from './schema.ts';
import { formatIsoTimestamp } from './time.ts';

/** Event-time spacing between consecutive customers of a batch or generator. */
export const defaultIntervalMs = 1000;

/**
 * The event time of record `index` of a run that starts at `startMs` with records `intervalMs`
 * apart: rounded to the millisecond, so a spacing that is not a whole number of milliseconds
 * (60,000 / 7 at 7 a minute) gives every record the millisecond nearest its due time, whatever
 * the floating-point error of index × spacing.
 */
export function eventTimeOf(startMs: number, index: number, intervalMs: number): number {
  return startMs + Math.round(index * intervalMs);
}

/** Makes the customers of one seed; holds the scratch state, so use one per thread. */
export class RecordSource {
  /** The fields of the customer last made by fill(), reused (batch encodes them in place). */
  readonly fields: CustomerFields = newCustomerFields();
  readonly #rng = new CounterRng();
  readonly #seed: number;

  constructor(seed: number) {
    this.#seed = seed;
  }

  /**
   * Fills `fields` with customer `index` under `params` (drift moves them record by record), and
   * `future` (the days to its next order) when given.
   */
  fill(index: number, params: GenerationParams, future?: CustomerFuture): CustomerFields {
    generateCustomerFields(this.#rng, this.#seed, index, params, this.fields, future);
    return this.fields;
  }

  /** Customer `index` stamped `eventMs`, as a record of its own. */
  record(index: number, eventMs: number, params: GenerationParams, future?: CustomerFuture): CustomerRecord {
    return recordOf(this.fill(index, params, future), customerIdOf(index), formatIsoTimestamp(eventMs));
  }
}
