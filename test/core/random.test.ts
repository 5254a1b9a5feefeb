import { describe, expect, it } from 'vitest';
import { CounterRng, streamDomains } from '../../src/core/random.ts';

function draws(seed: number, index: number, n = 8, domain: 1 | 2 = streamDomains.customer): number[] {
  const rng = new CounterRng();
  rng.reset(seed, domain, index);
  return Array.from({ length: n }, () => rng.next());
}

describe('CounterRng', () => {
  it('replays the same stream for the same (seed, domain, index)', () => {
    expect(draws(42, 7)).toEqual(draws(42, 7));
    expect(draws(0, 0)).toEqual(draws(0, 0));
  });

  it.each([
    ['seed 0 vs seed 1', [0, 5], [1, 5]],
    ['neighbouring indices', [42, 1000], [42, 1001]],
    ['index words above 2^32', [42, 2 ** 32 + 3], [42, 3]],
    ['seed words above 2^32', [2 ** 32 + 9, 3], [9, 3]],
  ] as const)('gives unrelated streams for %s', (_name, [seedA, indexA], [seedB, indexB]) => {
    const a = draws(seedA, indexA);
    const b = draws(seedB, indexB);
    expect(a).not.toEqual(b);
    expect(a.filter((x, i) => x === b[i])).toHaveLength(0);
  });

  it('fill() gives the draws next() would, in order, and the stream goes on after them', () => {
    const rng = new CounterRng();
    rng.reset(42, streamDomains.customer, 9);
    const filled = new Float64Array(5);
    rng.fill(filled);
    const after = rng.next();
    expect([...filled, after]).toEqual(draws(42, 9, 6));
  });

  it('keeps domains apart', () => {
    expect(draws(42, 3, 8, streamDomains.customer)).not.toEqual(draws(42, 3, 8, streamDomains.lifecycle));
  });

  it('is uniform on [0, 1): chi-square over 20 bins, 200k draws from 20k streams', () => {
    const bins = new Array<number>(20).fill(0);
    const rng = new CounterRng();
    for (let index = 0; index < 20_000; index++) {
      rng.reset(1234, streamDomains.customer, index);
      for (let k = 0; k < 10; k++) {
        const u = rng.next();
        expect(u >= 0 && u < 1).toBe(true);
        bins[Math.floor(u * 20)]!++;
      }
    }
    const expected = 200_000 / 20;
    const chiSquare = bins.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(43.8); // 19 degrees of freedom, p = 0.001
  });

  it('has no correlation between the first draws of neighbouring indices', () => {
    const rng = new CounterRng();
    const firsts: number[] = [];
    for (let index = 0; index < 50_000; index++) {
      rng.reset(99, streamDomains.customer, index);
      firsts.push(rng.next());
    }
    let sum = 0;
    for (let i = 1; i < firsts.length; i++) sum += (firsts[i]! - 0.5) * (firsts[i - 1]! - 0.5);
    const lagOneCorrelation = sum / (firsts.length - 1) / (1 / 12);
    expect(Math.abs(lagOneCorrelation)).toBeLessThan(0.02); // ~4.5 standard errors
  });
});
