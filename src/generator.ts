/**
 * SyntheticDataGenerator: the library's entry point for making customers (SPEC §3). A thin,
 * stateful convenience over the pure core: it remembers the seed, the next customer index, the
 * drift setting and the clock, and asks the core for the record at each index.
 */
import { defaultOverlap } from './core/customer.ts';
import type { GenerationParams } from './core/customer.ts';
import type { Drift, DriftDirection } from './core/drift.ts';
import { makeDrift, noDrift } from './core/drift.ts';
import type { RiskLevel, RiskMix } from './core/profiles.ts';
import { defaultRiskMix, normaliseRiskMix, riskLevels } from './core/profiles.ts';
import { simulateLifecycle } from './core/lifecycle.ts';
import type { CustomerRecord } from './core/schema.ts';
import { RecordSource, defaultIntervalMs, eventTimeOf } from './core/source.ts';
import { checkGeneratorOptions, checkIndex, toEpochMs } from './options/validate.ts';
import { DatagenError } from './errors.ts';

export interface GeneratorOptions {
  /** Non-negative integer up to 2^53 − 1; 0 is a seed. Default: a random one, readable as `.seed`. */
  seed?: number;
  /** Mix used when no level is asked for. Default 50/30/20 (low/medium/high). */
  riskDistribution?: RiskMix;
  /** Share of customers behaving like a neighbouring risk level (label noise), 0..1. Default 0. */
  overlap?: number;
  /** Adds `churned` and `churn_probability` (the outcome the label predicts) to every record. */
  withOutcome?: boolean;
  /** Adds `predicted_churn_probability` and `predicted_churn` (the model of the generator's start). */
  withPrediction?: boolean;
  /**
   * Event time of customer index 0. With it, customer k is stamped `start + k × intervalMs`
   * and the output is fully reproducible; without it each customer is stamped with `now()`.
   */
  start?: Date | number | string;
  /** Event-time spacing between consecutive customers when `start` is set. Default 1000 ms. */
  intervalMs?: number;
  /** Index of the first customer this generator makes (for slices of a larger dataset). Default 0. */
  firstIndex?: number;
  /** Clock used when `start` is not set. Default `Date.now`. */
  now?: () => number;
}

/**
 * Makes realistic customers labelled low / medium / high churn risk.
 *
 * @example
 * const generator = new SyntheticDataGenerator({ seed: 42 });
 * const loyal = generator.generateCustomer('low');
 * const batch = generator.generateBatch(100, { low: 0.5, medium: 0.3, high: 0.2 });
 * generator.setDrift(0.5, 1); // every level looks half a level riskier
 */
export class SyntheticDataGenerator {
  /** The seed in use (chosen at random when none was given), so a run can be replayed. */
  readonly seed: number;
  readonly #mix: RiskMix;
  readonly #overlap: number;
  readonly #withOutcome: boolean;
  readonly #withPrediction: boolean;
  readonly #startMs: number | undefined;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #source: RecordSource;
  #nextIndex: number;
  #drift: Drift = noDrift;

  /** @throws {DatagenError} INVALID_ARGUMENT for a bad seed, mix, overlap, start or interval. */
  constructor(options: GeneratorOptions = {}) {
    checkGeneratorOptions(options);
    this.seed = options.seed ?? randomSeed();
    this.#mix = normaliseRiskMix(options.riskDistribution ?? defaultRiskMix);
    this.#overlap = options.overlap ?? defaultOverlap;
    this.#withOutcome = options.withOutcome === true;
    this.#withPrediction = options.withPrediction === true;
    this.#startMs = options.start === undefined ? undefined : toEpochMs(options.start);
    this.#intervalMs = options.intervalMs ?? defaultIntervalMs;
    this.#nextIndex = options.firstIndex ?? 0;
    this.#now = options.now ?? Date.now;
    this.#source = new RecordSource(this.seed);
  }

  /** Current drift setting. */
  get drift(): Drift {
    return this.#drift;
  }

  /** Index the next generated customer will have. */
  get nextIndex(): number {
    return this.#nextIndex;
  }

  /**
   * Sets feature drift for the customers generated from now on (SPEC §2). Direction 1 makes
   * every level riskier, -1 healthier; the factor is clamped to [0, 1]; 0 turns drift off.
   * @throws {DatagenError} INVALID_ARGUMENT if the factor is NaN or the direction not ±1.
   */
  setDrift(factor: number, direction: DriftDirection = 1): void {
    this.#drift = makeDrift(factor, direction);
  }

  /** One customer; its label is `level` if given, else drawn from the generator's mix. */
  generateCustomer(level?: RiskLevel): CustomerRecord {
    if (level !== undefined && !riskLevels.includes(level)) {
      throw new DatagenError(
        'INVALID_ARGUMENT',
        `Risk level must be one of ${riskLevels.join(', ')}, got ${JSON.stringify(level)}.`,
      );
    }
    return this.#make({
      mix: this.#mix,
      level,
      drift: this.#drift,
      overlap: this.#overlap,
      withOutcome: this.#withOutcome,
      withPrediction: this.#withPrediction,
    });
  }

  /** `count` customers in an array, labels drawn from `riskDistribution` (default: the generator's mix). */
  generateBatch(count: number, riskDistribution?: RiskMix): CustomerRecord[] {
    return Array.from(this.customers(count, riskDistribution));
  }

  /**
   * The same customers as generateBatch, lazily: constant memory for any count.
   * @throws {DatagenError} INVALID_ARGUMENT if count is not a non-negative integer.
   */
  *customers(count: number, riskDistribution?: RiskMix): Generator<CustomerRecord, void, undefined> {
    checkIndex('count', count);
    const params: GenerationParams = {
      mix: riskDistribution === undefined ? this.#mix : normaliseRiskMix(riskDistribution),
      drift: this.#drift,
      overlap: this.#overlap,
      withOutcome: this.#withOutcome,
      withPrediction: this.#withPrediction,
    };
    for (let i = 0; i < count; i++) yield this.#make(params);
  }

  /**
   * One customer's journey from low to high risk as weekly snapshots (day 0, 7, … ≤ durationDays),
   * all keyed by `customerId`. Uses the next customer index for its random stream.
   */
  simulateCustomerLifecycle(customerId: string, durationDays = 180): CustomerRecord[] {
    if (!Number.isSafeInteger(durationDays) || durationDays < 0) {
      throw new DatagenError(
        'INVALID_ARGUMENT',
        `durationDays must be a non-negative integer, got ${String(durationDays)}.`,
      );
    }
    const index = this.#nextIndex++;
    return simulateLifecycle(this.seed, index, this.#startMs ?? Math.floor(this.#now()), durationDays, customerId, {
      withOutcome: this.#withOutcome,
      withPrediction: this.#withPrediction,
    });
  }

  // --- internal ---

  #make(params: GenerationParams): CustomerRecord {
    const index = this.#nextIndex++;
    const eventTimeMs =
      this.#startMs === undefined ? Math.floor(this.#now()) : eventTimeOf(this.#startMs, index, this.#intervalMs);
    return this.#source.record(index, eventTimeMs, params);
  }
}

/** A fresh random seed in [0, 2^32). */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 0;
}
