import { SyntheticDataGenerator } from '../../src/generator.ts';
import type { CustomerRecord } from '../../src/core/schema.ts';
import type { RiskLevel } from '../../src/core/profiles.ts';
import type { DriftDirection } from '../../src/core/drift.ts';

export const fixedStart = '2026-01-01T00:00:00.000Z';

/** `count` customers of one level (or the default mix), with optional drift. */
export function sample(
  count: number,
  options: { seed?: number; level?: RiskLevel; drift?: number; direction?: DriftDirection; overlap?: number } = {},
): CustomerRecord[] {
  const generator = new SyntheticDataGenerator({
    seed: options.seed ?? 7,
    start: fixedStart,
    overlap: options.overlap,
  });
  if (options.drift !== undefined) generator.setDrift(options.drift, options.direction ?? 1);
  return Array.from({ length: count }, () => generator.generateCustomer(options.level));
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

export function correlation(xs: readonly number[], ys: readonly number[]): number {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Spearman's rank correlation (ties get their average rank). */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  return correlation(ranks(xs), ranks(ys));
}

function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2;
    i = j + 1;
  }
  return out;
}
