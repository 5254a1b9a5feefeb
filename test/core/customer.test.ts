import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateCustomerRecord } from '../../src/core/customer.ts';
import { makeDrift } from '../../src/core/drift.ts';
import type { KeyFeature, RiskLevel } from '../../src/core/profiles.ts';
import { healthBand, keyFeatureProfiles, normaliseRiskMix, riskLevels } from '../../src/core/profiles.ts';
import { CounterRng } from '../../src/core/random.ts';
import type { CustomerRecord } from '../../src/core/schema.ts';
import { recordFields } from '../../src/core/schema.ts';
import { SyntheticDataGenerator } from '../../src/generator.ts';
import { brokenInvariant } from '../support/invariants.ts';
import { correlation, fixedStart, mean, sample } from '../support/records.ts';

const keyFeatures = Object.keys(keyFeatureProfiles) as KeyFeature[];

function inRange(record: CustomerRecord, feature: KeyFeature, level: RiskLevel): boolean {
  const [worst, best] = keyFeatureProfiles[feature].bands[healthBand[level]];
  const value = record[feature];
  return value >= Math.min(worst, best) && value <= Math.max(worst, best);
}

function shareInRange(records: CustomerRecord[], feature: KeyFeature, level: RiskLevel): number {
  return records.filter((r) => inRange(r, feature, level)).length / records.length;
}

describe('invariants (SPEC §1), any seed, level, drift and overlap', () => {
  it('hold for random parameters (fast-check)', () => {
    const rng = new CounterRng();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.constantFrom<RiskLevel | undefined>('low', 'medium', 'high', undefined),
        fc.double({ min: -1, max: 2, noNaN: true }),
        fc.constantFrom<1 | -1>(1, -1),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (seed, index, level, factor, direction, overlap) => {
          const record = generateCustomerRecord(rng, seed, index, Date.parse(fixedStart), {
            mix: normaliseRiskMix({ low: 1, medium: 1, high: 1 }),
            level,
            drift: makeDrift(factor, direction),
            overlap,
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

  it('writes every schema field, in schema order', () => {
    const record = sample(1)[0]!;
    expect(Object.keys(JSON.parse(JSON.stringify(record)) as object)).toEqual(
      recordFields.filter((f) => !('optional' in f)).map((f) => f.name),
    );
  });
});

describe('risk profiles at drift 0', () => {
  for (const level of riskLevels) {
    const records = sample(20_000, { seed: 11, level });
    it.each(keyFeatures)(`${level}: at least 95%% of %s inside the seed's range`, (feature) => {
      expect(shareInRange(records, feature, level)).toBeGreaterThanOrEqual(0.95);
    });
    it(`${level}: labels are what was asked`, () => {
      expect(records.every((r) => r.true_risk_level === level)).toBe(true);
    });
  }

  it('no single key feature separates the classes perfectly (default overlap)', () => {
    const byLevel = Object.fromEntries(riskLevels.map((level) => [level, sample(5000, { seed: 3, level })]));
    for (const feature of keyFeatures) {
      for (const [a, b] of [
        ['low', 'medium'],
        ['medium', 'high'],
      ] as const) {
        const inOthersRange = byLevel[a]!.filter((r) => inRange(r, feature, b)).length;
        expect(inOthersRange, `${a} customers in the ${b} range of ${feature}`).toBeGreaterThan(0);
      }
    }
  });

  it('overlap is a working knob: 0 keeps classes apart, 0.3 mixes them', () => {
    const clean = sample(10_000, { seed: 5, level: 'medium', overlap: 0 });
    const noisy = sample(10_000, { seed: 5, level: 'medium', overlap: 0.3 });
    expect(shareInRange(clean, 'order_frequency', 'medium')).toBeGreaterThan(0.985);
    expect(shareInRange(noisy, 'order_frequency', 'medium')).toBeLessThan(0.8);
    expect(shareInRange(noisy, 'order_frequency', 'medium')).toBeGreaterThan(0.6);
  });

  it('fields relate the way real ones do', () => {
    const records = sample(20_000, { seed: 8 });
    const column = (f: keyof CustomerRecord): number[] => records.map((r) => r[f] as number);
    expect(correlation(column('total_orders'), column('customer_age_days'))).toBeGreaterThan(0.3);
    expect(correlation(column('total_orders'), column('order_frequency'))).toBeGreaterThan(0.3);
    expect(correlation(column('total_revenue'), column('total_orders'))).toBeGreaterThan(0.7);
    expect(correlation(column('product_views_30d'), column('website_visits_30d'))).toBeGreaterThan(0.7);
    expect(correlation(column('email_open_rate'), column('cart_abandonment_rate'))).toBeLessThan(-0.5);
    expect(correlation(column('email_open_rate'), column('website_visits_30d'))).toBeGreaterThan(0.3);
    expect(correlation(column('support_tickets_total'), column('email_open_rate'))).toBeLessThan(0);
    // …and within a level too (shared position in the band, not only the label)
    const low = records.filter((r) => r.true_risk_level === 'low');
    const lowColumn = (f: keyof CustomerRecord): number[] => low.map((r) => r[f] as number);
    expect(correlation(lowColumn('email_open_rate'), lowColumn('order_frequency'))).toBeGreaterThan(0.2);
  });

  it('levels tell the seed story beyond the four key features', () => {
    const stats = (level: RiskLevel): Record<string, number> => {
      const records = sample(5000, { seed: 9, level });
      return {
        tickets: mean(records.map((r) => r.support_tickets_total / Math.max(1, r.customer_age_days / 365))),
        visits: mean(records.map((r) => r.website_visits_30d)),
        premium: mean(records.map((r) => r.premium_product_rate)),
        discount: mean(records.map((r) => r.discount_usage_rate)),
        failed: mean(records.map((r) => r.failed_payment_count)),
        returnRate: mean(records.map((r) => r.returns_count / r.total_orders)),
      };
    };
    const [low, medium, high] = [stats('low'), stats('medium'), stats('high')];
    for (const key of ['tickets', 'discount', 'failed', 'returnRate']) {
      expect(low[key]!, key).toBeLessThan(medium[key]!);
      expect(medium[key]!, key).toBeLessThan(high[key]!);
    }
    for (const key of ['visits', 'premium']) {
      expect(low[key]!, key).toBeGreaterThan(medium[key]!);
      expect(medium[key]!, key).toBeGreaterThan(high[key]!);
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
});

describe('drift (SPEC §2)', () => {
  const meanOf = (records: CustomerRecord[], field: KeyFeature): number => mean(records.map((r) => r[field]));

  for (const level of riskLevels) {
    it(`direction 1 makes ${level}-risk customers riskier, -1 healthier, for every key feature`, () => {
      const base = sample(6000, { seed: 13, level });
      const riskier = sample(6000, { seed: 13, level, drift: 0.5, direction: 1 });
      const healthier = sample(6000, { seed: 13, level, drift: 0.5, direction: -1 });
      for (const [feature, riskierIsHigher] of [
        ['order_frequency', false],
        ['days_since_last_order', true],
        ['email_open_rate', false],
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
      // secondary features follow
      expect(mean(riskier.map((r) => r.website_visits_30d))).toBeLessThan(mean(base.map((r) => r.website_visits_30d)));
    });
  }

  it('at factor 1, low-risk customers look like medium-risk ones', () => {
    const drifted = sample(5000, { seed: 14, level: 'low', drift: 1, direction: 1 });
    for (const feature of keyFeatures) expect(shareInRange(drifted, feature, 'medium'), feature).toBeGreaterThan(0.9);
    expect(drifted.every((r) => r.true_risk_level === 'low')).toBe(true);
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
