/**
 * Statistics shared by the drift manifest and the drift report: the two-sample
 * Kolmogorov–Smirnov test, the population stability index, quantiles and a chi-square test of the
 * risk mix. Pure functions over sorted Float64Arrays; tests compare them with SciPy.
 */

export interface KsResult {
  /** Largest distance between the two empirical CDFs. */
  readonly statistic: number;
  /** Asymptotic p-value: Kolmogorov's distribution at √(n·m/(n+m))·D (SciPy's kstwobign). */
  readonly pValue: number;
}

/** Two-sample KS test of two ascending samples. Ties are handled by stepping past equal values. */
export function ksTwoSample(a: Float64Array, b: Float64Array): KsResult {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) return { statistic: 0, pValue: 1 };
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const x = Math.min(a[i] ?? 0, b[j] ?? 0);
    while (i < n && a[i] === x) i++;
    while (j < m && b[j] === x) j++;
    const gap = Math.abs(i / n - j / m);
    if (gap > d) d = gap;
  }
  return { statistic: d, pValue: kolmogorovSurvival(Math.sqrt((n * m) / (n + m)) * d) };
}

/** P(K > λ) for Kolmogorov's distribution, by whichever of its two series converges fast at λ. */
export function kolmogorovSurvival(lambda: number): number {
  if (lambda <= 0) return 1;
  if (lambda < 1.18) {
    // Jacobi's form: CDF = √(2π)/λ Σ exp(−(2k−1)²π²/(8λ²)).
    const factor = -(Math.PI * Math.PI) / (8 * lambda * lambda);
    let sum = 0;
    for (let k = 1; k <= 6; k++) sum += Math.exp((2 * k - 1) * (2 * k - 1) * factor);
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / lambda) * sum));
  }
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += k % 2 === 1 ? term : -term;
    if (term < 1e-300) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/** The q-quantile (0..1) of an ascending sample, linearly interpolated (NumPy's default). */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const low = sorted[below] ?? Number.NaN;
  const high = sorted[Math.min(sorted.length - 1, below + 1)] ?? low;
  return low + (high - low) * (position - below);
}

export function mean(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value;
  return values.length === 0 ? Number.NaN : sum / values.length;
}

/**
 * Population stability index of `sample` against `reference` over the reference's deciles
 * (fewer bins where values repeat); empty bins count as 0.01% so the index stays finite.
 * Rule of thumb: < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 large shift.
 */
export function populationStabilityIndex(reference: Float64Array, sample: Float64Array, bins = 10): number {
  if (reference.length === 0 || sample.length === 0) return 0;
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const edge = quantile(reference, k / bins);
    if (edges.length === 0 || edge > (edges[edges.length - 1] ?? -Infinity)) edges.push(edge);
  }
  const expected = binShares(reference, edges);
  const actual = binShares(sample, edges);
  let psi = 0;
  for (let k = 0; k < expected.length; k++) {
    const e = Math.max(expected[k] ?? 0, 1e-4);
    const a = Math.max(actual[k] ?? 0, 1e-4);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

/**
 * Pearson's chi-square test of homogeneity of two count vectors (e.g. the risk mix of a window
 * against the reference window); p from the chi-square distribution with (categories − 1) degrees
 * of freedom, in closed form for the 1 and 2 that the risk mix needs.
 */
export function chiSquareHomogeneity(a: readonly number[], b: readonly number[]): KsResult {
  const totalA = a.reduce((s, x) => s + x, 0);
  const totalB = b.reduce((s, x) => s + x, 0);
  const total = totalA + totalB;
  let statistic = 0;
  let categories = 0;
  for (let k = 0; k < a.length; k++) {
    const column = (a[k] ?? 0) + (b[k] ?? 0);
    if (column === 0) continue;
    categories++;
    const expectedA = (column * totalA) / total;
    const expectedB = (column * totalB) / total;
    statistic += ((a[k] ?? 0) - expectedA) ** 2 / expectedA + ((b[k] ?? 0) - expectedB) ** 2 / expectedB;
  }
  if (totalA === 0 || totalB === 0 || categories < 2) return { statistic: 0, pValue: 1 };
  return { statistic, pValue: chiSquareSurvival(statistic, categories - 1) };
}

// --- internal ---

function binShares(sorted: Float64Array, edges: readonly number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  let bin = 0;
  for (const value of sorted) {
    while (bin < edges.length && value > (edges[bin] ?? Infinity)) bin++;
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return counts.map((count) => count / sorted.length);
}

/** Chi-square survival for 1 or 2 degrees of freedom (more are not needed here). */
function chiSquareSurvival(x: number, degrees: number): number {
  if (degrees === 2) return Math.exp(-x / 2);
  if (degrees === 1) return erfc(Math.sqrt(x / 2));
  throw new RangeError(`chi-square with ${degrees} degrees of freedom is not supported`);
}

/** Complementary error function (Numerical Recipes' erfcc, relative error < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
