/**
 * Sampling helpers over a CounterRng. Each draws a fixed, documented number of uniforms where it
 * can, so the stream layout stays easy to reason about. Only Math.sqrt/log/exp/cos/sin are used:
 * V8 implements them in its own portable code (fdlibm), so results do not depend on the platform.
 */
import type { CounterRng } from './random.ts';

const HALF_ULP = 2 ** -33; // half the resolution of CounterRng.next()
const ACKLAM_LOW = 0.02425;

/**
 * Standard normal N(0, 1) by inverting its CDF at one uniform (P. J. Acklam's rational
 * approximation, relative error below 1.2e-9, its centre tabulated: see normalOf). One uniform per
 * value keeps the stream layout simple.
 */
export function normal(rng: CounterRng): number {
  return normalOf(rng.next());
}

/**
 * The standard normal at a uniform in [0, 1) drawn beforehand (what normal() does with its draw).
 * The central 95% interpolates a table of Acklam's values (within 4e-6 of them): two loads and a
 * multiply-add instead of a rational function with a division. The tails compute it.
 */
export function normalOf(uniform: number): number {
  const p = uniform + HALF_ULP; // (0, 1)
  if (p < ACKLAM_LOW) return acklamTail(p);
  if (p > 1 - ACKLAM_LOW) return -acklamTail(1 - p);
  const t = (p - ACKLAM_LOW) * CENTRAL_STEPS_PER_UNIT;
  const i = t | 0;
  const below = CENTRAL_TABLE[i] as number;
  return below + (t - i) * ((CENTRAL_TABLE[i + 1] as number) - below);
}

/** Log-normal with the given median and log-space spread. */
export function logNormal(rng: CounterRng, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng));
}

/** Uniform in [lo, hi). */
export function uniform(rng: CounterRng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng.next();
}

/**
 * Poisson(lambda) with one uniform: inversion of the CDF for small means, above them a normal
 * with the Cornish–Fisher skewness term, rounded and clamped at zero. The corrected normal is
 * within 0.007 of the Poisson in total variation from a mean of 4 on (0.002 at 12), where the
 * inversion loop would be long.
 */
export function poisson(rng: CounterRng, lambda: number): number {
  if (!(lambda > 0)) return 0;
  if (lambda >= NORMAL_FROM_MEAN) {
    const z = normal(rng);
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * z + (z * z - 1) / 6));
  }
  const u = rng.next();
  let k = 0;
  let p = Math.exp(-lambda);
  let cumulative = p;
  while (u > cumulative && k < 100) {
    k++;
    p *= lambda / k;
    cumulative += p;
  }
  return k;
}

/**
 * Binomial(n, p), always within [0, n]: Bernoulli trials for tiny n, else one uniform, counting
 * the rarer outcome: inversion of the CDF while its mean is small (returns, refunds), and above
 * that a normal with the Cornish–Fisher skewness term, rounded and clamped (as for poisson).
 */
export function binomial(rng: CounterRng, n: number, p: number): number {
  if (n <= 0 || !(p > 0)) return 0;
  if (p >= 1) return n;
  if (n <= 6) {
    let k = 0;
    for (let i = 0; i < n; i++) k += rng.next() < p ? 1 : 0;
    return k;
  }
  const rarer = p <= 0.5 ? p : 1 - p;
  const mean = n * rarer;
  let k: number;
  if (mean >= NORMAL_FROM_MEAN) {
    const z = normal(rng);
    // Math.max, not clamp: a value rounded up to −0 becomes 0 (clamp would keep −0).
    k = Math.max(
      0,
      Math.min(n, Math.round(mean + Math.sqrt(mean * (1 - rarer)) * z + ((1 - 2 * rarer) * (z * z - 1)) / 6)),
    );
  } else {
    k = binomialInversion(rng.next(), n, rarer);
  }
  return p <= 0.5 ? k : n - k;
}

/** Index drawn from a cumulative distribution (last entry 1). */
export function pickCumulative(rng: CounterRng, cumulative: readonly number[]): number {
  return pickCumulativeAt(rng.next(), cumulative);
}

/** pickCumulative at a uniform drawn beforehand. */
export function pickCumulativeAt(u: number, cumulative: readonly number[]): number {
  const last = cumulative.length - 1;
  for (let i = 0; i < last; i++) if (u < (cumulative[i] as number)) return i;
  return last;
}

/** Folds x back into [0, 1] by reflection at the edges (keeps noise from piling up on a bound). */
export function reflectUnit(x: number): number {
  for (let i = 0; i < 4 && (x < 0 || x > 1); i++) x = x < 0 ? -x : 2 - x;
  return clamp(x, 0, 1);
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Turns weights into a cumulative distribution ending exactly at 1. */
export function cumulativeOf(weights: readonly number[]): number[] {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let running = 0;
  const cumulative = weights.map((w) => (running += w / total));
  cumulative[cumulative.length - 1] = 1;
  return cumulative;
}

// --- internal ---

/** Binomial(n, p) by inversion of the CDF at `u`, for a small mean n·p (p ≤ 0.5). */
function binomialInversion(u: number, n: number, p: number): number {
  const odds = p / (1 - p);
  let k = 0;
  let pk = powInteger(1 - p, n); // P(X = 0)
  let cumulative = pk;
  while (u > cumulative && k < n) {
    pk *= ((n - k) / (k + 1)) * odds;
    k++;
    cumulative += pk;
  }
  return k;
}

/** base^n for an integer n ≥ 0, by squaring: a few products instead of a log and an exp. */
function powInteger(base: number, n: number): number {
  let result = 1;
  let square = base;
  // n is a count of orders or emails, far below 2^31: the integer bit operations apply.
  for (let e = n; e > 0; e >>= 1) {
    if ((e & 1) === 1) result *= square;
    square *= square;
  }
  return result;
}

/** The mean from which poisson and binomial draw a corrected normal instead of inverting. */
const NORMAL_FROM_MEAN = 4;

/** Acklam's central branch, for ACKLAM_LOW ≤ p ≤ 1 − ACKLAM_LOW. */
function acklamCentral(p: number): number {
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((-39.69683028665376 * r + 220.9460984245205) * r - 275.9285104469687) * r + 138.357751867269) * r -
      30.66479806614716) *
      r +
      2.506628277459239) *
      q) /
    (((((-54.47609879822406 * r + 161.5858368580409) * r - 155.6989798598866) * r + 66.80131188771972) * r -
      13.28068155288572) *
      r +
      1)
  );
}

/** Acklam's central values at CENTRAL_STEPS equal steps of p, both ends included. */
const CENTRAL_STEPS = 4096;
const CENTRAL_STEPS_PER_UNIT = CENTRAL_STEPS / (1 - 2 * ACKLAM_LOW);
const CENTRAL_TABLE = Float64Array.from({ length: CENTRAL_STEPS + 2 }, (_, i) =>
  acklamCentral(Math.min(1 - ACKLAM_LOW, ACKLAM_LOW + i / CENTRAL_STEPS_PER_UNIT)),
);

/** Acklam's tail branch, for p < ACKLAM_LOW; the upper tail is its mirror image. */
function acklamTail(p: number): number {
  const q = Math.sqrt(-2 * Math.log(p));
  return (
    (((((-0.007784894002430293 * q - 0.3223964580411365) * q - 2.400758277161838) * q - 2.54967134781347) * q +
      4.374664141464968) *
      q +
      2.938163982698783) /
    ((((0.007784695709041462 * q + 0.3224671290700398) * q + 2.445134137142996) * q + 3.754408661907416) * q + 1)
  );
}

/** `value` rounded to a multiple of 1 / scale (scale 100: cents). */
export function roundTo(value: number, scale: number): number {
  return Math.round(value * scale) / scale;
}
