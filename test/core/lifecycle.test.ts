import { describe, expect, it } from 'vitest';
import { simulateLifecycle, snapshotDays } from '../../src/core/lifecycle.ts';
import { healthBand, keyFeatureProfiles } from '../../src/core/profiles.ts';
import type { CustomerRecord } from '../../src/core/schema.ts';
import { brokenInvariant } from '../support/invariants.ts';
import { mean } from '../support/records.ts';

const start = Date.UTC(2026, 0, 1);
const journeys = Array.from({ length: 200 }, (_, i) => simulateLifecycle(17, i, start, 180));
const all = journeys.flat();

function inBand(r: CustomerRecord, feature: 'order_frequency' | 'email_open_rate' | 'cart_abandonment_rate'): boolean {
  const [worst, best] = keyFeatureProfiles[feature].bands[healthBand[r.true_risk_level]];
  return r[feature] >= Math.min(worst, best) && r[feature] <= Math.max(worst, best);
}

describe('lifecycle journeys', () => {
  it('snapshots every 7 days from day 0, stamped start + day', () => {
    expect(snapshotDays(180)).toHaveLength(26);
    for (const journey of journeys.slice(0, 5)) {
      expect(journey.map((s) => s.snapshot_day)).toEqual(snapshotDays(180));
      for (const s of journey) expect(Date.parse(s.timestamp)).toBe(start + s.snapshot_day! * 86_400_000);
    }
  });

  it('obeys the invariants in every snapshot', () => {
    for (const s of all) expect(brokenInvariant(s)).toBeUndefined();
  });

  it('evolves consistently: tenure +7 per snapshot, lifetime counts never decrease, same customer_id', () => {
    for (const journey of journeys) {
      expect(new Set(journey.map((s) => s.customer_id)).size).toBe(1);
      for (let i = 1; i < journey.length; i++) {
        const [before, after] = [journey[i - 1]!, journey[i]!];
        expect(after.customer_age_days - before.customer_age_days).toBe(7);
        expect(after.account_age_days - before.account_age_days).toBe(7);
        for (const field of [
          'total_orders',
          'support_tickets_total',
          'returns_count',
          'refunds_count',
          'failed_payment_count',
          'total_revenue',
        ] as const) {
          expect(after[field], field).toBeGreaterThanOrEqual(before[field]);
        }
        expect(after.days_since_last_order <= before.days_since_last_order + 7).toBe(true);
      }
    }
  });

  it('starts every customer low risk and never improves', () => {
    const rank = { low: 0, medium: 1, high: 2 } as const;
    for (const journey of journeys) {
      expect(journey[0]!.true_risk_level).toBe('low');
      for (let i = 1; i < journey.length; i++) {
        expect(rank[journey[i]!.true_risk_level]).toBeGreaterThanOrEqual(rank[journey[i - 1]!.true_risk_level]);
      }
    }
  });

  it('brings at least 70% of customers to high risk by day 180, at different times', () => {
    const reachedHigh = journeys.filter((j) => j[j.length - 1]!.true_risk_level === 'high');
    expect(reachedHigh.length / journeys.length).toBeGreaterThanOrEqual(0.7);
    const firstHighDay = reachedHigh.map((j) => j.find((s) => s.true_risk_level === 'high')!.snapshot_day!);
    expect(new Set(firstHighDay).size).toBeGreaterThan(5); // onset and pace differ per customer
  });

  it('labels agree with the features: a snapshot labelled high looks high-risk', () => {
    for (const feature of ['order_frequency', 'email_open_rate', 'cart_abandonment_rate'] as const) {
      expect(all.filter((s) => inBand(s, feature)).length / all.length, feature).toBeGreaterThan(0.97);
    }
    const recency = (level: string): number =>
      mean(all.filter((s) => s.true_risk_level === level).map((s) => s.days_since_last_order));
    expect(recency('low')).toBeLessThan(recency('medium'));
    expect(recency('medium')).toBeLessThan(recency('high'));
  });

  it('is a pure function of (seed, customer index)', () => {
    expect(simulateLifecycle(17, 3, start, 180)).toEqual(journeys[3]);
    expect(simulateLifecycle(18, 3, start, 180)).not.toEqual(journeys[3]);
  });
});
