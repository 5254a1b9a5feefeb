/**
 * A model that was perfect when it was trained (--with-prediction): the churn probability under
 * the churn process as it was at the start of the run. Without drift, and under prior, covariate
 * and class-conditional drift, it equals the customer's true probability (calibrated per
 * customer); concept drift makes it stale.
 */
import { describe, expect, it } from 'vitest';
import type { DriftComponent } from '../../src/core/drift-schedule.ts';
import type { CustomerRecord } from '../../src/core/schema.ts';
import { SimulatedClock } from '../../src/schedule/clock.ts';
import { streamSource } from '../../src/modes/stream.ts';
import { timedRecords } from '../../src/modes/timed.ts';
import { fixedStart } from '../support/records.ts';

async function run(components: DriftComponent[], seed: number): Promise<CustomerRecord[]> {
  const source = streamSource({
    seed,
    ratePerMinute: 600,
    durationMinutes: 20,
    driftComponents: components,
    withOutcome: true,
    withPrediction: true,
    startMs: Date.parse(fixedStart),
  });
  const records: CustomerRecord[] = [];
  for await (const r of timedRecords(source, { clock: new SimulatedClock() })) records.push(r);
  return records;
}

const linear = { type: 'linear' } as const;

describe('predicted_churn_probability', () => {
  it.each([
    ['prior', [{ kind: 'prior', shape: linear, magnitude: 1, direction: 1 }]],
    ['covariate', [{ kind: 'covariate', shape: linear, magnitude: 1, direction: 1 }]],
    ['class-conditional', [{ kind: 'class-conditional', shape: linear, magnitude: 1, direction: 1 }]],
  ] as [string, DriftComponent[]][])(
    'under %s drift equals the true probability, record by record',
    async (_kind, components) => {
      const records = await run(components, 51);
      for (const r of records) {
        expect(r.predicted_churn_probability).toBe(r.churn_probability);
        expect(r.predicted_churn).toBe(r.churn_probability! >= 0.5);
      }
    },
  );

  it('goes stale under concept drift: late, customers churn more often than it predicts', async () => {
    const records = await run([{ kind: 'concept', shape: linear, magnitude: 1, direction: 1 }], 52);
    const tenth = records.length / 10;
    const churnRate = (rs: CustomerRecord[]): number => rs.filter((r) => r.churned).length / rs.length;
    const predicted = (rs: CustomerRecord[]): number =>
      rs.reduce((sum, r) => sum + r.predicted_churn_probability!, 0) / rs.length;
    const [early, late] = [records.slice(0, tenth), records.slice(-tenth)];
    expect(Math.abs(churnRate(early) - predicted(early))).toBeLessThan(0.05); // calibrated before the drift
    expect(churnRate(late) - predicted(late)).toBeGreaterThan(0.1); // stale after it
    expect(late.every((r) => r.churn_probability! >= r.predicted_churn_probability!)).toBe(true);
  });
});
