/**
 * The behavioural customer model (SPEC §1, §1b, docs/model.md): invariants on every record, labels
 * that mean a churn probability, the seed's ranges as the centre of each level, features that fit
 * together as a purchase history, and drift that moves traits without piling values on a bound.
 * Statistics are on seeded samples with tolerances well outside their sampling noise.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GenerationParams } from '../../src/core/customer.ts';
import { RecordSource } from '../../src/core/source.ts';
import { makeDrift } from '../../src/core/drift.ts';
import type { KeyFeature, RiskLevel } from '../../src/core/profiles.ts';
import { churnProbabilityCutoffs, keyFeatureProfiles, normaliseRiskMix, riskLevels } from '../../src/core/profiles.ts';
import type { CustomerRecord } from '../../src/core/schema.ts';
import { recordFields } from '../../src/core/schema.ts';
import { SyntheticDataGenerator } from '../../src/generator.ts';
import { brokenInvariant } from '../support/invariants.ts';
import { fixedStart, mean, sample, spearman } from '../support/records.ts';

/** Customer `index` of `seed` stamped `eventMs`, made by the record source every mode uses. */
function customerAt(seed: number, index: number, eventMs: number, params: GenerationParams): CustomerRecord {
  return new RecordSource(seed).record(index, eventMs, params);
}

const keyFeatures = Object.keys(keyFeatureProfiles) as KeyFeature[];
const rateFeatures = [
  'email_open_rate',
  'cart_abandonment_rate',
  'discount_usage_rate',
  'premium_product_rate',
] as const;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function withOutcome(count: number, seed: number, level?: RiskLevel): CustomerRecord[] {
  const generator = new SyntheticDataGenerator({ seed, start: fixedStart, withOutcome: true });
  return Array.from({ length: count }, () => generator.generateCustomer(level));
}

describe('invariants (SPEC §1, §1b), any seed, level, drift and overlap', () => {
  it('hold for random parameters (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.constantFrom<RiskLevel | undefined>('low', 'medium', 'high', undefined),
        fc.double({ min: -1, max: 2, noNaN: true }),
        fc.constantFrom<1 | -1>(1, -1),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (seed, index, level, factor, direction, overlap, conceptShift) => {
          const record = customerAt(seed, index, Date.parse(fixedStart), {
            mix: normaliseRiskMix({ low: 1, medium: 1, high: 1 }),
            level,
            drift: makeDrift(factor, direction),
            overlap,
            conceptShift,
            withOutcome: true,
          });
          expect(brokenInvariant(record)).toBeUndefined();
        },
      ),
      { numRuns: 5000 },
    );
  });

  for (const seed of [0, 1, 42, 1337, 2 ** 40 + 17]) {
    it(`hold over a grid of levels × drift for seed ${seed}`, () => {
      for (const level of riskLevels) {
        for (const drift of [0, 0.25, 0.5, 1]) {
          for (const direction of [1, -1] as const) {
            for (const record of sample(300, { seed, level, drift, direction })) {
              expect(brokenInvariant(record), `${level} drift ${drift}×${direction}`).toBeUndefined();
            }
          }
        }
      }
    });
  }

  it('writes every schema field, in schema order; the outcome only when asked', () => {
    const record = sample(1)[0]!;
    const required = recordFields.filter((f) => !('optional' in f)).map((f) => f.name);
    expect(Object.keys(JSON.parse(JSON.stringify(record)) as object)).toEqual(required);
    const outcome = withOutcome(1, 7)[0]!;
    expect(Object.keys(JSON.parse(JSON.stringify(outcome)) as object)).toEqual([
      ...required,
      'churned',
      'churn_probability',
    ]);
  });
});

describe('the label is the band of the true churn probability', () => {
  const records = withOutcome(30_000, 31);
  const [lowCut, highCut] = churnProbabilityCutoffs;

  it('every record: low below the first cut-off, medium up to the second, high from it on', () => {
    for (const r of records) {
      const p = r.churn_probability!;
      const band = p < lowCut ? 'low' : p < highCut ? 'medium' : 'high';
      // churn_probability is rounded to 4 places: allow that much at the cut-offs
      if (Math.abs(p - lowCut) > 1e-4 && Math.abs(p - highCut) > 1e-4) expect(band).toBe(r.true_risk_level);
    }
  });

  it('churned rises from low to medium to high (low ≤ 0.15, high ≥ 0.40) and matches the probability', () => {
    const rate = (level: RiskLevel): number => {
      const ofLevel = records.filter((r) => r.true_risk_level === level);
      return ofLevel.filter((r) => r.churned).length / ofLevel.length;
    };
    const [low, medium, high] = riskLevels.map(rate) as [number, number, number];
    expect(low).toBeLessThanOrEqual(0.15);
    expect(medium).toBeGreaterThan(low + 0.05);
    expect(high).toBeGreaterThan(medium + 0.05);
    expect(high).toBeGreaterThanOrEqual(0.4);
    // calibrated by construction: the share churned equals the mean probability (±4 sigma)
    const expected = mean(records.map((r) => r.churn_probability!));
    const observed = records.filter((r) => r.churned).length / records.length;
    expect(Math.abs(observed - expected)).toBeLessThan(4 * Math.sqrt((expected * (1 - expected)) / records.length));
  });
});

describe('risk profiles at drift 0: the seed ranges are the centre of each level', () => {
  for (const level of riskLevels) {
    const records = sample(6000, { seed: 11, level });
    it(`${level}: labels are what was asked; each key feature's median is inside the seed's range`, () => {
      expect(records.every((r) => r.true_risk_level === level)).toBe(true);
      for (const feature of keyFeatures) {
        const [lo, hi] = keyFeatureProfiles[feature][level];
        const m = median(records.map((r) => r[feature]));
        expect(m, `${feature} median`).toBeGreaterThanOrEqual(lo);
        expect(m, `${feature} median`).toBeLessThanOrEqual(hi);
      }
    });
  }

  it('no key feature is a wall: every level has values outside its range on both sides where there is room', () => {
    const high = sample(6000, { seed: 12, level: 'high' });
    expect(high.some((r) => r.days_since_last_order > 120)).toBe(true);
    const low = sample(6000, { seed: 12, level: 'low' });
    expect(low.filter((r) => r.order_frequency < 1.5).length / low.length).toBeGreaterThan(0.05);
  });

  it('within each level the six pairs of key features do not correlate alike (|ρ| spread ≥ 0.15)', () => {
    for (const level of riskLevels) {
      const records = sample(5000, { seed: 19, level });
      const rhos: number[] = [];
      for (let i = 0; i < keyFeatures.length; i++) {
        for (let j = i + 1; j < keyFeatures.length; j++) {
          const a = keyFeatures[i]!;
          const b = keyFeatures[j]!;
          rhos.push(
            Math.abs(
              spearman(
                records.map((r) => r[a]),
                records.map((r) => r[b]),
              ),
            ),
          );
        }
      }
      expect(
        Math.max(...rhos) - Math.min(...rhos),
        `${level}: ${rhos.map((r) => r.toFixed(2)).join(' ')}`,
      ).toBeGreaterThanOrEqual(0.15);
    }
  });
});

describe('the features fit together as a purchase history', () => {
  const records = sample(30_000, { seed: 23 });

  it('recency and frequency come from one purchase process: tightly linked; engagement less so', () => {
    const rho = (a: KeyFeature, b: KeyFeature): number =>
      Math.abs(
        spearman(
          records.map((r) => r[a]),
          records.map((r) => r[b]),
        ),
      );
    expect(rho('order_frequency', 'days_since_last_order')).toBeGreaterThan(0.6);
    expect(rho('email_open_rate', 'days_since_last_order')).toBeLessThan(
      rho('order_frequency', 'days_since_last_order'),
    );
  });

  it('total orders are not a formula of frequency and tenure', () => {
    const exact = records.filter(
      (r) => Math.round((r.order_frequency * r.customer_age_days) / 30.44) === r.total_orders,
    ).length;
    expect(exact / records.length).toBeLessThan(0.5);
  });

  it('some customers have made one order only, and for them recency is tenure', () => {
    const single = records.filter((r) => r.total_orders === 1);
    expect(single.length).toBeGreaterThan(0);
    expect(single.every((r) => r.days_since_last_order === r.customer_age_days)).toBe(true);
  });

  it('levels tell the seed story beyond the four key features', () => {
    const byLevel = (level: RiskLevel, field: keyof CustomerRecord): number =>
      mean(records.filter((r) => r.true_risk_level === level).map((r) => r[field] as number));
    for (const [field, riskierIsHigher] of [
      ['website_visits_30d', false],
      ['support_tickets_total', true],
      ['discount_usage_rate', true],
      ['premium_product_rate', false],
      ['failed_payment_count', true],
    ] as const) {
      const [low, high] = [byLevel('low', field), byLevel('high', field)];
      if (riskierIsHigher) expect(high, field).toBeGreaterThan(low);
      else expect(high, field).toBeLessThan(low);
    }
  });
});

describe('risk mix', () => {
  it('draws labels in the asked proportions', () => {
    const records = new SyntheticDataGenerator({ seed: 21, start: fixedStart }).generateBatch(30_000, {
      low: 0.6,
      medium: 0.3,
      high: 0.1,
    });
    for (const [level, share] of [
      ['low', 0.6],
      ['medium', 0.3],
      ['high', 0.1],
    ] as const) {
      const observed = records.filter((r) => r.true_risk_level === level).length / records.length;
      const sigma = Math.sqrt((share * (1 - share)) / records.length);
      expect(Math.abs(observed - share), level).toBeLessThan(4 * sigma);
    }
  });

  it('normalises weights: 6/3/1 and 0.6/0.3/0.1 give the same customers', () => {
    const a = new SyntheticDataGenerator({ seed: 4, start: fixedStart }).generateBatch(500, {
      low: 6,
      medium: 3,
      high: 1,
    });
    const b = new SyntheticDataGenerator({ seed: 4, start: fixedStart }).generateBatch(500, {
      low: 0.6,
      medium: 0.3,
      high: 0.1,
    });
    expect(a).toEqual(b);
  });

  it('a zero share means none of that level', () => {
    const records = new SyntheticDataGenerator({ seed: 4, start: fixedStart }).generateBatch(3000, {
      low: 0,
      medium: 1,
      high: 0,
    });
    expect(new Set(records.map((r) => r.true_risk_level))).toEqual(new Set(['medium']));
  });

  it('overlap is label noise: that share behaves like a neighbouring level', () => {
    const noisy = new SyntheticDataGenerator({ seed: 5, start: fixedStart, overlap: 0.3, withOutcome: true });
    const records = Array.from({ length: 6000 }, () => noisy.generateCustomer('low'));
    const offBand = records.filter((r) => r.churn_probability! >= churnProbabilityCutoffs[0]).length / records.length;
    expect(offBand).toBeGreaterThan(0.25);
    expect(offBand).toBeLessThan(0.35);
  });
});

describe('drift (SPEC §2): it moves the traits, never the observed values', () => {
  const meanOf = (records: CustomerRecord[], field: KeyFeature): number => mean(records.map((r) => r[field]));

  for (const level of riskLevels) {
    it(`direction 1 makes ${level}-risk customers look riskier, -1 healthier; labels stay`, () => {
      const base = sample(6000, { seed: 13, level });
      const riskier = sample(6000, { seed: 13, level, drift: 1, direction: 1 });
      const healthier = sample(6000, { seed: 13, level, drift: 1, direction: -1 });
      for (const [feature, riskierIsHigher] of [
        ['order_frequency', false],
        ['cart_abandonment_rate', true],
      ] as const) {
        const [b, r, h] = [meanOf(base, feature), meanOf(riskier, feature), meanOf(healthier, feature)];
        if (riskierIsHigher) {
          expect(r, `${feature} riskier`).toBeGreaterThan(b);
          expect(h, `${feature} healthier`).toBeLessThan(b);
        } else {
          expect(r, `${feature} riskier`).toBeLessThan(b);
          expect(h, `${feature} healthier`).toBeGreaterThan(b);
        }
      }
      expect(mean(riskier.map((r) => r.support_tickets_total))).toBeGreaterThan(
        mean(base.map((r) => r.support_tickets_total)),
      );
      expect([...riskier, ...healthier].every((r) => r.true_risk_level === level)).toBe(true);
    });
  }

  it('under full drift in either direction no rate piles up at 0 or 1 (at most 5 points more than at drift 0)', () => {
    const atBound = (records: CustomerRecord[], field: (typeof rateFeatures)[number]): number =>
      records.filter((r) => r[field] === 0 || r[field] === 1).length / records.length;
    const base = sample(20_000, { seed: 17 });
    for (const direction of [1, -1] as const) {
      const drifted = sample(20_000, { seed: 17, drift: 1, direction });
      for (const field of rateFeatures) {
        expect(atBound(drifted, field) - atBound(base, field), `${field} direction ${direction}`).toBeLessThanOrEqual(
          0.05,
        );
      }
    }
  });

  it('clamps the factor to [0, 1]', () => {
    expect(sample(200, { seed: 2, drift: 7 })).toEqual(sample(200, { seed: 2, drift: 1 }));
    expect(sample(200, { seed: 2, drift: -3 })).toEqual(sample(200, { seed: 2 }));
    expect(new SyntheticDataGenerator({ seed: 1 }).drift).toEqual({ factor: 0, direction: 1 });
  });

  it('rejects a NaN factor and a direction other than ±1', () => {
    const generator = new SyntheticDataGenerator({ seed: 1 });
    expect(() => generator.setDrift(Number.NaN, 1)).toThrow('Drift factor must be a number, got NaN.');
    expect(() => generator.setDrift(0.5, 2 as 1)).toThrow('Drift direction must be 1 or -1, got 2.');
  });
});
