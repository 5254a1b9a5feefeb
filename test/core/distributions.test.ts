import { describe, expect, it } from 'vitest';
import { binomial, normal, poisson } from '../../src/core/distributions.ts';
import { CounterRng, streamDomains } from '../../src/core/random.ts';
import { mean } from '../support/records.ts';

function many(n: number, draw: (rng: CounterRng) => number): number[] {
  const rng = new CounterRng();
  rng.reset(5, streamDomains.customer, 0);
  return Array.from({ length: n }, () => draw(rng));
}

describe('distributions', () => {
  it('normal has mean 0, variance 1 and the right tails', () => {
    const xs = many(200_000, normal);
    expect(Math.abs(mean(xs))).toBeLessThan(0.01);
    expect(mean(xs.map((x) => x * x))).toBeCloseTo(1, 1);
    expect(xs.filter((x) => x > 1.96).length / xs.length).toBeCloseTo(0.025, 2);
    expect(xs.filter((x) => x < -2.576).length / xs.length).toBeCloseTo(0.005, 2);
  });

  it.each([0.5, 3, 11, 30, 120])('poisson(%d) has the right mean and variance', (lambda) => {
    const xs = many(50_000, (rng) => poisson(rng, lambda));
    expect(xs.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
    expect(mean(xs) / lambda).toBeCloseTo(1, 1);
    const variance = mean(xs.map((x) => (x - lambda) ** 2));
    expect(variance / lambda).toBeGreaterThan(0.9);
    expect(variance / lambda).toBeLessThan(1.1);
  });

  it.each([
    [3, 0.7],
    [20, 0.05],
    [200, 0.1],
    [400, 0.5],
    [30, 0.99],
  ])('binomial(%d, %d) stays in [0, n] with mean n·p', (n, p) => {
    const xs = many(30_000, (rng) => binomial(rng, n, p));
    expect(xs.every((x) => Number.isInteger(x) && x >= 0 && x <= n)).toBe(true);
    expect(Math.abs(mean(xs) - n * p)).toBeLessThan(0.03 * n * p + 0.05);
  });

  it('handles degenerate parameters', () => {
    const rng = new CounterRng();
    rng.reset(1, streamDomains.customer, 1);
    expect(poisson(rng, 0)).toBe(0);
    expect(binomial(rng, 0, 0.5)).toBe(0);
    expect(binomial(rng, 10, 0)).toBe(0);
    expect(binomial(rng, 10, 1)).toBe(10);
  });
});

describe('counts above a mean of 4: a normal with the skewness term', () => {
  /** Total variation distance between the draws' frequencies and a probability mass function. */
  function totalVariation(xs: readonly number[], pmf: (k: number) => number, support: number): number {
    const counts = new Array<number>(support + 1).fill(0);
    for (const x of xs) counts[x] = (counts[x] ?? 0) + 1;
    return counts.reduce((sum, c, k) => sum + Math.abs(c / xs.length - pmf(k)), 0) / 2;
  }
  const poissonPmf = (lambda: number) => (k: number) => {
    let p = Math.exp(-lambda);
    for (let i = 1; i <= k; i++) p *= lambda / i;
    return p;
  };
  const binomialPmf = (n: number, p: number) => (k: number) => {
    let c = 1;
    for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
    return c * p ** k * (1 - p) ** (n - k);
  };

  it.each([4, 6, 12, 40])('poisson(%d) is within 0.01 of the exact distribution, never −0', (lambda) => {
    const xs = many(200_000, (rng) => poisson(rng, lambda));
    expect(xs.some((x) => Object.is(x, -0))).toBe(false);
    expect(totalVariation(xs, poissonPmf(lambda), 200)).toBeLessThan(0.01);
  });

  it.each([
    [20, 0.25],
    [36, 0.3],
    [100, 0.05],
    [60, 0.9],
  ])('binomial(%d, %d) is within 0.01 of the exact distribution, never −0', (n, p) => {
    const xs = many(200_000, (rng) => binomial(rng, n, p));
    expect(xs.some((x) => Object.is(x, -0))).toBe(false);
    expect(totalVariation(xs, binomialPmf(n, p), n)).toBeLessThan(0.01);
  });
});
