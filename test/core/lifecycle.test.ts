import { describe, expect, it } from 'vitest';
import { simulateLifecycle, snapshotDays } from '../../src/core/lifecycle.ts';
import { brokenInvariant } from '../support/invariants.ts';
import { mean } from '../support/records.ts';

const start = Date.UTC(2026, 0, 1);
const journeys = Array.from({ length: 400 }, (_, i) =>
  simulateLifecycle(17, i, start, 180, undefined, { withOutcome: true }),
);
const all = journeys.flat();

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

  it('most churn: at least 20% make no order in the last 60 days, and churned ones order no more', () => {
    const silent = journeys.filter((j) => {
      const last = j[j.length - 1]!;
      return (
        last.days_since_last_order >= 60 && last.total_orders === j.find((s) => s.snapshot_day! >= 115)!.total_orders
      );
    });
    expect(silent.length / journeys.length).toBeGreaterThanOrEqual(0.2);
    // The outcome is the journey's own future: a snapshot marked churned sees no order in the
    // following 90 days of the same journey, one not churned sees one.
    for (const journey of journeys) {
      for (const s of journey) {
        const later = journey.filter(
          (o) => o.snapshot_day! > s.snapshot_day! && o.snapshot_day! <= s.snapshot_day! + 84,
        );
        const end = journey.find((o) => o.snapshot_day === s.snapshot_day! + 91);
        const orderedWithin84 = later.some((o) => o.total_orders > s.total_orders);
        if (orderedWithin84) expect(s.churned, `day ${s.snapshot_day}`).toBe(false);
        if (end !== undefined && end.total_orders === s.total_orders) expect(s.churned).toBe(true);
      }
    }
  });

  it('visits and email opens fade as the journey goes on', () => {
    const at = (day: number, field: 'website_visits_30d' | 'email_open_rate'): number =>
      mean(all.filter((s) => s.snapshot_day === day).map((s) => s[field]));
    expect(at(175, 'website_visits_30d')).toBeLessThan(at(0, 'website_visits_30d') / 2);
    expect(at(175, 'email_open_rate')).toBeLessThan(at(0, 'email_open_rate') / 2);
  });

  it('labels agree with the features: recency and frequency follow the level', () => {
    const byLevel = (level: string, field: 'days_since_last_order' | 'order_frequency'): number =>
      mean(all.filter((s) => s.true_risk_level === level).map((s) => s[field]));
    expect(byLevel('low', 'days_since_last_order')).toBeLessThan(byLevel('medium', 'days_since_last_order'));
    expect(byLevel('medium', 'days_since_last_order')).toBeLessThan(byLevel('high', 'days_since_last_order'));
    expect(byLevel('low', 'order_frequency')).toBeGreaterThan(byLevel('high', 'order_frequency'));
  });

  it('is a pure function of (seed, customer index)', () => {
    expect(simulateLifecycle(17, 3, start, 180, undefined, { withOutcome: true })).toEqual(journeys[3]);
    expect(simulateLifecycle(18, 3, start, 180, undefined, { withOutcome: true })).not.toEqual(journeys[3]);
  });
});
