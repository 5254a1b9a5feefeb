/**
 * Counter-based random streams (algorithm "cdg-rng-1").
 *
 * Every record draws from its own stream, keyed by (seed, domain, index). Record i is therefore a
 * pure function of the seed, i and the generation parameters: any slice of a dataset can be
 * generated alone, in any order, by any number of workers, with identical results.
 *
 * Keying: the seed and the index are split into 32-bit words and mixed with `lowbias32`
 * (a bijective 32-bit hash) into the 128-bit state of sfc32 (Chris Doty-Humphrey's Small Fast
 * Chaotic generator). Each index word enters one state word through a bijection, so distinct
 * (seed, domain, index) triples give distinct states; 12 warm-up rounds then spread every key
 * bit over the whole state before the first draw.
 *
 * Changing anything here changes every seeded output: bump `rngAlgorithm` and the golden
 * checksums in test/core/golden.test.ts together.
 */
export const rngAlgorithm = 'cdg-rng-1';

/** Independent families of streams: the same index in two domains gives unrelated draws. */
export const streamDomains = {
  customer: 1,
  lifecycle: 2,
  /** The drift report's reservoir sampling. */
  report: 3,
  /** Which delayed outcomes never arrive (--label-missing). */
  outcome: 4,
} as const;

export type StreamDomain = (typeof streamDomains)[keyof typeof streamDomains];

const TWO_POW_32 = 4294967296;
const WARM_UP_ROUNDS = 12;

/** A seeded stream of uniform numbers in [0, 1) with 32-bit resolution. */
export class CounterRng {
  #a = 0;
  #b = 0;
  #c = 0;
  #d = 0;

  /** Positions this generator at the start of stream (seed, domain, index). */
  reset(seed: number, domain: StreamDomain, index: number): void {
    const seedLo = seed >>> 0;
    const seedHi = Math.floor(seed / TWO_POW_32) >>> 0;
    const indexLo = index >>> 0;
    const indexHi = Math.floor(index / TWO_POW_32) >>> 0;
    // Stored as int32 (| 0): the same bits, but V8 keeps the fields small integers instead of boxing
    // values above 2^31 as doubles, an allocation on every step.
    this.#a = lowbias32(indexLo ^ lowbias32(seedLo ^ 0x9e3779b9)) | 0;
    this.#b = lowbias32(indexHi ^ lowbias32(seedHi ^ 0x7f4a7c15) ^ Math.imul(domain, 0x85ebca6b)) | 0;
    this.#c = lowbias32(seedLo ^ 0x243f6a88) | 0;
    this.#d = lowbias32(seedHi ^ lowbias32(domain + 0x632be5ab)) | 0;
    for (let i = 0; i < WARM_UP_ROUNDS; i++) this.#step();
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.#step() / TWO_POW_32;
  }

  /** The next `out.length` uniforms into `out`, in stream order (the same values next() would give). */
  fill(out: Float64Array): void {
    // #step with the state in locals: the same rounds, without a field load and store per round.
    let a = this.#a;
    let b = this.#b;
    let c = this.#c;
    let d = this.#d;
    for (let i = 0; i < out.length; i++) {
      const t = (((a + b) | 0) + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      out[i] = (t >>> 0) / TWO_POW_32;
    }
    this.#a = a;
    this.#b = b;
    this.#c = c;
    this.#d = d;
  }

  // --- internal ---

  /** One sfc32 round; returns an unsigned 32-bit integer. */
  #step(): number {
    const a = this.#a;
    const b = this.#b;
    const c = this.#c;
    const d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    this.#c = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }
}

/** Chris Wellons' lowbias32: a bijective 32-bit integer hash with very low bias. */
function lowbias32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}
