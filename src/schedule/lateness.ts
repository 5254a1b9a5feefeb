/**
 * How late records were released relative to their due time, in a fixed-size histogram
 * (0.05 ms buckets up to 10 s, then one overflow bucket): constant memory for endless streams.
 */
const BUCKET_MS = 0.05;
const BUCKETS = 200_000;

export interface LatenessSummary {
  p50: number;
  p99: number;
  max: number;
}

export class LatenessHistogram {
  readonly #counts = new Uint32Array(BUCKETS + 1);
  #total = 0;
  #max = 0;

  record(lateMs: number): void {
    const late = Math.max(0, lateMs);
    const bucket = Math.min(BUCKETS, Math.floor(late / BUCKET_MS));
    this.#counts[bucket] = (this.#counts[bucket] ?? 0) + 1;
    this.#total++;
    if (late > this.#max) this.#max = late;
  }

  /** Quantiles (upper bucket edges, ms). */
  summary(): LatenessSummary {
    return { p50: this.#quantile(0.5), p99: this.#quantile(0.99), max: this.#max };
  }

  #quantile(q: number): number {
    if (this.#total === 0) return 0;
    const rank = Math.ceil(q * this.#total);
    let seen = 0;
    for (let i = 0; i <= BUCKETS; i++) {
      seen += this.#counts[i] ?? 0;
      if (seen >= rank) return i === BUCKETS ? this.#max : Math.min(this.#max, (i + 1) * BUCKET_MS);
    }
    return this.#max;
  }
}
