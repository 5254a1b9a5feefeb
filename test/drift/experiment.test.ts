/**
 * Drift as a scorable experiment (issue 6): per kind of drift, a two-sample KS test between the
 * first and last windows flags exactly the features the manifest says drifted; the paired control
 * flags none; concept drift keeps the features while an early-trained classifier fails late.
 * Files are written by the CLI and read back with JSON.parse.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GenerationParams } from '../../src/core/customer.ts';
import { RecordSource } from '../../src/core/source.ts';
import type { DriftComponent } from '../../src/core/drift-schedule.ts';
import {
  componentPhase,
  driftEffectsAt,
  makeDriftSchedule,
  shapeValue,
  specDriftComponents,
} from '../../src/core/drift-schedule.ts';
import type { DriftManifest } from '../../src/core/manifest.ts';
import { driftManifest } from '../../src/core/manifest.ts';
import type { CustomerRecord } from '../../src/core/schema.ts';
import { numericFeatures } from '../../src/core/schema.ts';
import { ksTwoSample } from '../../src/core/statistics.ts';
import { runInProcess, tempDir } from '../support/cli.ts';
import { brokenInvariant } from '../support/invariants.ts';
import { fixedStart } from '../support/records.ts';

/** Customer `index` of `seed` stamped `eventMs`, made by the record source every mode uses. */
function customerAt(seed: number, index: number, eventMs: number, params: GenerationParams): CustomerRecord {
  return new RecordSource(seed).record(index, eventMs, params);
}

const readJsonLines = (path: string): CustomerRecord[] =>
  readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as CustomerRecord);

const sortedValues = (records: readonly CustomerRecord[], feature: string): Float64Array =>
  Float64Array.from(records.map((r) => r[feature as keyof CustomerRecord] as number)).sort();

/** Features whose KS test between the first and last tenth of the run has p < 1e-4. */
function flaggedFeatures(records: readonly CustomerRecord[]): string[] {
  const tenth = Math.floor(records.length / 10);
  const first = records.slice(0, tenth);
  const last = records.slice(-tenth);
  return numericFeatures.filter((f) => ksTwoSample(sortedValues(first, f), sortedValues(last, f)).pValue < 1e-4);
}

interface Experiment {
  drifted: CustomerRecord[];
  control: CustomerRecord[];
  manifest: DriftManifest;
}

async function runExperiment(flags: string[], seed: number): Promise<Experiment> {
  const dir = tempDir();
  const result = await runInProcess([
    'drift',
    ...flags,
    '--duration',
    '60',
    '--rate',
    '500',
    '--fast',
    '--seed',
    String(seed),
    '--start',
    fixedStart,
    '--output',
    join(dir, 'drifted.jsonl'),
    '--control-output',
    join(dir, 'control.jsonl'),
    '--manifest',
    join(dir, 'manifest.json'),
    '--quiet',
  ]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return {
    drifted: readJsonLines(join(dir, 'drifted.jsonl')),
    control: readJsonLines(join(dir, 'control.jsonl')),
    manifest: JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as DriftManifest,
  };
}

describe('per kind of drift, KS between the first and last windows flags exactly what the manifest says', () => {
  it.each([
    ['prior', ['--kind', 'prior'], 21],
    ['covariate', ['--kind', 'covariate', '--features', 'avg_order_value,product_views_30d'], 22],
    [
      'covariate (sign-up gap, sigmoid)',
      ['--kind', 'covariate', '--features', 'account_age_days', '--shape', 'sigmoid'],
      23,
    ],
    ['concept', ['--kind', 'concept'], 24],
    ['class-conditional', ['--kind', 'class-conditional'], 25],
    [
      'concept, healthier, sigmoid',
      ['--kind', 'concept', '--direction', '-1', '--shape', 'sigmoid', '--at', '0.4'],
      27,
    ],
    [
      'prior + covariate + concept, sudden',
      ['--kind', 'prior,covariate,concept', '--shape', 'sudden', '--at', '0.3'],
      26,
    ],
  ])('%s', async (_name, flags, seed) => {
    const { drifted, control, manifest } = await runExperiment(flags, seed);
    expect(drifted).toHaveLength(30_000);
    const flagged = flaggedFeatures(drifted);
    // Every feature the manifest calls drifted is detected; none it calls stable is; the weakly
    // drifted ones (moved, but by less than the detection rule's margin) may go either way.
    expect(flagged).toEqual(expect.arrayContaining([...manifest.drifted_features]));
    expect(flagged.filter((f) => manifest.stable_features.includes(f))).toEqual([]);
    expect(flaggedFeatures(control)).toEqual([]); // the paired control: no false alarms
    for (const r of drifted) expect(brokenInvariant(r)).toBeUndefined();
  });

  it('the manifest names the features of each kind', async () => {
    const { manifest } = await runExperiment(['--kind', 'covariate,concept', '--features', 'avg_order_value'], 1);
    expect(manifest.components.map((c) => [c.kind, c.features, c.label_changes])).toEqual([
      ['covariate', ['total_revenue', 'avg_order_value'], false],
      ['concept', [], true],
    ]);
    expect(manifest.components.map((c) => c.changes)).toEqual([
      { 'P(y)': false, 'P(x|y)': true, 'P(y|x)': false },
      { 'P(y)': true, 'P(x|y)': true, 'P(y|x)': true },
    ]);
    expect(manifest.drifted_features).toEqual(['total_revenue', 'avg_order_value']);
    expect(manifest.stable_features).toHaveLength(numericFeatures.length - 2);
    expect(manifest.label_drift).toBe(true);
    expect(manifest.detection.window_records).toBe(3000);
  });
});

describe('the emitted label mix is what the manifest timeline says', () => {
  const mixOf = (records: readonly CustomerRecord[]): Record<string, number> => {
    const counts: Record<string, number> = { low: 0, medium: 0, high: 0 };
    for (const r of records) counts[r.true_risk_level]!++;
    return {
      low: counts.low! / records.length,
      medium: counts.medium! / records.length,
      high: counts.high! / records.length,
    };
  };
  const timelineMixAt = (manifest: DriftManifest, progress: number): Record<string, number> => {
    const point = manifest.timeline.reduce((best, p) =>
      Math.abs(p.progress - progress) < Math.abs(best.progress - progress) ? p : best,
    );
    return point.mix as unknown as Record<string, number>;
  };

  it.each([
    ['the SPEC scenario (prior + class-conditional)', [], 41],
    ['concept drift', ['--kind', 'concept'], 42],
  ])('%s: first and last tenth within 3 points of the timeline', async (_name, flags, seed) => {
    const { drifted, control, manifest } = await runExperiment(flags, seed);
    const tenth = drifted.length / 10;
    for (const [records, progress] of [
      [drifted.slice(0, tenth), 0.05],
      [drifted.slice(-tenth), 0.95],
    ] as const) {
      const emitted = mixOf(records);
      const expected = timelineMixAt(manifest, progress);
      for (const level of ['low', 'medium', 'high'])
        expect(Math.abs(emitted[level]! - expected[level]!), level).toBeLessThan(0.03);
    }
    if (flags.length === 0) {
      // the scenario's own end points: 50/30/20 at the start, 10/30/60 at the end
      expect(timelineMixAt(manifest, 0)).toEqual({ low: 0.5, medium: 0.3, high: 0.2 });
      expect(timelineMixAt(manifest, 1)).toEqual({ low: 0.1, medium: 0.3, high: 0.6 });
      expect(manifest.drifted_features.length).toBeGreaterThan(10);
      expect(flaggedFeatures(drifted)).toEqual(expect.arrayContaining([...manifest.drifted_features]));
      expect(flaggedFeatures(control)).toEqual([]);
    }
  });

  it('a plain stream flags nothing', async () => {
    const dir = tempDir();
    const path = join(dir, 'plain.jsonl');
    const result = await runInProcess([
      'stream',
      '--duration',
      '60',
      '--rate',
      '500',
      '--fast',
      '--seed',
      '43',
      '--start',
      fixedStart,
      '--output',
      path,
      '--quiet',
    ]);
    expect(result.code).toBe(0);
    expect(flaggedFeatures(readJsonLines(path))).toEqual([]);
  });
});

describe('the manifest says when', () => {
  const manifestOf = (shape: DriftComponent['shape']): DriftManifest =>
    driftManifest(
      makeDriftSchedule({
        startMs: Date.parse(fixedStart),
        durationMs: 3_600_000,
        baseMix: { low: 0.5, medium: 0.3, high: 0.2 },
        components: [{ kind: 'covariate', shape, magnitude: 0.5, direction: 1 }],
      }),
      { seed: 1, ratePerMinute: 60, shard: '0/1' },
    );

  it('onset, half and full strength of progress-driven shapes, as progress and time', () => {
    const sudden = manifestOf({ type: 'sudden', at: 0.3 }).components[0]!;
    expect([sudden.onset, sudden.half, sudden.full]).toEqual(
      new Array(3).fill({ progress: 0.3, time: '2026-01-01T00:18:00.000Z' }),
    );
    const linear = manifestOf({ type: 'linear' }).components[0]!;
    expect([linear.onset?.progress, linear.half?.progress, linear.full?.progress]).toEqual([0.00001, 0.5, 1]);
    expect(linear.full?.time).toBe('2026-01-01T01:00:00.000Z');
    const sigmoid = manifestOf({ type: 'sigmoid', center: 0.6, width: 0.05 }).components[0]!;
    expect(sigmoid.half?.progress).toBeCloseTo(0.6, 2);
  });

  it('recurring drift gives its period and peaks instead, and a timeline fine enough to draw the cycle', () => {
    const manifest = manifestOf({ type: 'recurring', period: 'daily' });
    expect(manifest.components[0]).toMatchObject({ period: 'daily', peaks: 'daily at 12:00 UTC' });
    expect(manifest.components[0]!.onset).toBeUndefined();
    const long = driftManifest(
      makeDriftSchedule({
        startMs: 0,
        durationMs: 7 * 86_400_000,
        baseMix: { low: 0.5, medium: 0.3, high: 0.2 },
        components: [{ kind: 'prior', shape: { type: 'recurring', period: 'daily' }, magnitude: 1, direction: 1 }],
      }),
      { seed: 1, ratePerMinute: 60, shard: '0/1' },
    );
    expect(long.timeline).toHaveLength(7 * 48 + 1);
    const noon = long.timeline.find((point) => point.time === '1970-01-01T12:00:00.000Z');
    expect(noon).toMatchObject({ phase: 'drifted', strength: { prior: 1 }, mix: { low: 0.1, medium: 0.3, high: 0.6 } });
  });
});

describe('concept drift', () => {
  it('keeps every feature distribution while a classifier trained on early data loses accuracy late', async () => {
    const { drifted, manifest } = await runExperiment(['--kind', 'concept', '--shape', 'sudden', '--at', '0.5'], 31);
    expect(manifest.drifted_features).toEqual([]);
    expect(flaggedFeatures(drifted)).toEqual([]);
    const tenth = drifted.length / 10;
    const model = trainGaussianNaiveBayes(drifted.slice(0, tenth));
    const early = accuracy(model, drifted.slice(tenth, 2 * tenth)); // held out, before the drift
    const late = accuracy(model, drifted.slice(-tenth));
    expect(early).toBeGreaterThan(0.75);
    expect(late).toBeLessThan(early - 0.2);
  });

  it('the same behaviour carries a riskier label: features equal the control record for record', async () => {
    const { drifted, control } = await runExperiment(['--kind', 'concept'], 32);
    const withoutLabel = (r: CustomerRecord): object => omit(r, ['true_risk_level', 'drift_phase']);
    expect(drifted.map(withoutLabel)).toEqual(control.map(withoutLabel));
    const rank = { low: 0, medium: 1, high: 2 } as const;
    const moved = drifted.filter((r, i) => r.true_risk_level !== control[i]!.true_risk_level);
    expect(moved.length).toBeGreaterThan(drifted.length / 6);
    for (const r of moved) {
      const before = control[drifted.indexOf(r)]!;
      expect(rank[r.true_risk_level]).toBe(rank[before.true_risk_level] + 1);
    }
  });
});

describe('the paired control stream', () => {
  it('is the same customers at the same times with drift off: exactly `stream` without drift, plus progress', async () => {
    const { drifted, control } = await runExperiment(['--kind', 'prior,class-conditional'], 41);
    const plain = join(tempDir(), 'plain.jsonl');
    const result = await runInProcess([
      'stream',
      ...['--duration', '60', '--rate', '500', '--fast', '--seed', '41', '--start', fixedStart],
      ...['--output', plain, '--quiet'],
    ]);
    expect(result.code).toBe(0);
    const steady = readJsonLines(plain);
    expect(control.map((r) => omit(r, ['drift_progress', 'drift_phase']))).toEqual(steady);
    expect(control.map((r) => r.customer_id)).toEqual(drifted.map((r) => r.customer_id));
    expect(control.map((r) => r.drift_progress)).toEqual(drifted.map((r) => r.drift_progress));
    expect(new Set(control.map((r) => r.drift_phase))).toEqual(new Set(['baseline']));
  });
});

describe('shapes', () => {
  const at = (shape: DriftComponent['shape'], p: number, eventMs = 0): number => shapeValue(shape, p, eventMs);

  it('linear and sigmoid run from 0 at the start to 1 at the end; sudden steps at its point', () => {
    expect([at({ type: 'linear' }, 0), at({ type: 'linear' }, 0.25), at({ type: 'linear' }, 1)]).toEqual([0, 0.25, 1]);
    const sigmoid = { type: 'sigmoid', center: 0.7, width: 0.05 } as const;
    expect(at(sigmoid, 0)).toBe(0);
    expect(at(sigmoid, 1)).toBeCloseTo(1, 12);
    expect(at(sigmoid, 0.7)).toBeCloseTo(0.5, 2);
    expect(at(sigmoid, 0.5)).toBeLessThan(0.02);
    expect(at(sigmoid, 0.9)).toBeGreaterThan(0.98);
    const sudden = { type: 'sudden', at: 0.4 } as const;
    expect([at(sudden, 0.3999), at(sudden, 0.4), at(sudden, 0.9)]).toEqual([0, 1, 1]);
  });

  it('recurring cycles follow the UTC day (0 at midnight, 1 at noon) and week (0 on Monday 00:00)', () => {
    const day = { type: 'recurring', period: 'daily' } as const;
    const week = { type: 'recurring', period: 'weekly' } as const;
    const t = (iso: string): number => Date.parse(iso);
    expect(at(day, 0, t('2026-03-02T00:00:00Z'))).toBeCloseTo(0, 12);
    expect(at(day, 0, t('2026-03-02T06:00:00Z'))).toBeCloseTo(0.5, 12);
    expect(at(day, 0, t('2026-03-02T12:00:00Z'))).toBeCloseTo(1, 12);
    expect(at(week, 0, t('2026-03-02T00:00:00Z'))).toBeCloseTo(0, 12); // a Monday
    expect(at(week, 0, t('2026-03-05T12:00:00Z'))).toBeCloseTo(1, 12); // Thursday noon
    const component = { kind: 'prior', shape: day, magnitude: 1, direction: 1 } as const;
    expect(componentPhase(component, 0, t('2026-03-02T03:00:00Z'))).toBe('rising');
    expect(componentPhase(component, 0, t('2026-03-02T15:00:00Z'))).toBe('falling');
    expect(componentPhase(component, 0, t('2026-03-02T00:00:00Z'))).toBe('baseline');
  });

  it('a recurring covariate drift over two simulated days raises order values at noon, not at midnight', async () => {
    const path = join(tempDir(), 'seasonal.jsonl');
    const result = await runInProcess([
      'drift',
      ...['--kind', 'covariate', '--features', 'avg_order_value', '--shape', 'recurring', '--period', 'daily'],
      ...['--duration', '2880', '--rate', '10', '--fast', '--seed', '5', '--start', '2026-03-02T00:00:00Z'],
      ...['--output', path, '--quiet'],
    ]);
    expect(result.code).toBe(0);
    const records = readJsonLines(path);
    const hour = (r: CustomerRecord): number => new Date(r.timestamp).getUTCHours();
    const meanValue = (rs: CustomerRecord[]): number => rs.reduce((s, r) => s + r.avg_order_value, 0) / rs.length;
    const noon = records.filter((r) => hour(r) >= 10 && hour(r) < 14);
    const night = records.filter((r) => hour(r) >= 22 || hour(r) < 2);
    expect(meanValue(noon) / meanValue(night)).toBeGreaterThan(1.35);
    expect(new Set(records.map((r) => r.drift_phase))).toEqual(new Set(['baseline', 'rising', 'falling', 'drifted']));
  });
});

describe('the schedule keeps the SPEC scenario as the default and every invariant under any drift', () => {
  it('the default drift mode is the SPEC scenario: mix 50/30/20 → 10/30/60, class-conditional factor = progress', () => {
    const schedule = makeDriftSchedule({
      startMs: 0,
      durationMs: 1000,
      baseMix: { low: 0.5, medium: 0.3, high: 0.2 },
      components: specDriftComponents(),
    });
    const effects = driftEffectsAt(schedule, 500, 500);
    expect(effects.mix.low).toBeCloseTo(0.3, 12);
    expect(effects.mix.medium).toBeCloseTo(0.3, 12);
    expect(effects.mix.high).toBeCloseTo(0.4, 12);
    expect(effects.drift).toEqual({ factor: 0.5, direction: 1 });
    expect(effects.phase).toBe('rising');
  });

  it('records keep the SPEC §1 invariants for any kinds, shape, magnitude and direction', () => {
    const shape = fc.oneof(
      fc.constant({ type: 'linear' } as const),
      fc.record({ type: fc.constant('sudden' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.record({
        type: fc.constant('sigmoid' as const),
        center: fc.double({ min: 0, max: 1, noNaN: true }),
        width: fc.double({ min: 0.01, max: 1, noNaN: true }),
      }),
      fc.record({
        type: fc.constant('recurring' as const),
        period: fc.constantFrom('daily' as const, 'weekly' as const),
      }),
    );
    fc.assert(
      fc.property(
        fc.subarray(['prior', 'covariate', 'concept', 'class-conditional'] as const, { minLength: 1 }),
        shape,
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.constantFrom(1 as const, -1 as const),
        fc.nat(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (kinds, driftShape, magnitude, direction, seed, progress) => {
          const schedule = makeDriftSchedule({
            startMs: Date.parse(fixedStart),
            durationMs: 3_600_000,
            baseMix: { low: 0.5, medium: 0.3, high: 0.2 },
            components: kinds.map((kind) => ({ kind, shape: driftShape, magnitude, direction })),
          });
          const elapsed = progress * 3_600_000;
          const eventMs = Math.round(schedule.startMs + elapsed);
          const effects = driftEffectsAt(schedule, elapsed, eventMs);
          for (let index = 0; index < 20; index++) {
            const record = customerAt(seed, index, eventMs, {
              mix: effects.mix,
              drift: effects.drift,
              overlap: 0.02,
              driftProgress: effects.progress,
              driftPhase: effects.phase,
              conceptShift: effects.conceptShift,
              covariate: effects.covariate,
            });
            expect(brokenInvariant(record)).toBeUndefined();
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('bad drift flags: one line naming the flag and the value, exit 2, no files', () => {
  it.each([
    [
      ['drift', '--kind', 'seasonal'],
      /^churn-datagen: --kind: expected a list of prior, covariate, concept, class-conditional, got 'seasonal'$/,
    ],
    [['drift', '--shape', 'zigzag'], /--shape: expected one of linear, sigmoid, sudden, recurring, got 'zigzag'/],
    [['drift', '--shape', 'sudden', '--at', '2'], /--at: expected a number from 0 to 1, got '2'/],
    [['drift', '--shape', 'sigmoid', '--width', '0'], /--width: expected a number above 0 and at most 1, got '0'/],
    [['drift', '--shape', 'recurring', '--period', 'monthly'], /--period: expected daily or weekly, got 'monthly'/],
    [['drift', '--magnitude', '0'], /--magnitude: expected a number above 0 and at most 1, got '0'/],
    [['drift', '--direction', '2'], /--direction: expected 1 \(riskier\) or -1 \(healthier\), got '2'/],
    [
      ['drift', '--target-mix', '10/30'],
      /--target-mix: expected low\/medium\/high shares such as 10\/30\/60, got '10\/30'/,
    ],
    [
      ['drift', '--kind', 'covariate', '--features', 'email_open_rate'],
      /--features: expected a list of avg_order_value, product_views_30d, account_age_days, got 'email_open_rate'/,
    ],
    [['stream', '--duration', '1', '--manifest', 'MANIFEST'], /--manifest: needs --drift/],
    [['stream', '--duration', '1', '--control-output', 'CONTROL'], /--control-output: needs --drift/],
    [
      ['drift', '--control-output', 'CONTROL', '--control-topic', 't'],
      /give either --control-output or --control-topic/,
    ],
    [
      ['drift', '--control-output', 'OUT'],
      /^churn-datagen: --control-output: same output as --output \('.*out\.jsonl' and '.*out\.jsonl' are one file\); give each its own$/,
    ],
    [['drift', '--manifest', 'MISSING_DIR'], /^churn-datagen: --manifest: directory '.*' does not exist$/],
    [['drift', '--control-output', 'MISSING_DIR'], /^churn-datagen: --control-output: directory '.*' does not exist$/],
    [
      ['drift', '--control-output', 'NO_FORMAT'],
      /--control-output: cannot tell the format of '.*c\.txt' from its extension/,
    ],
  ])('%j', async (args, message) => {
    const dir = tempDir();
    const paths = {
      OUT: join(dir, 'out.jsonl'),
      MANIFEST: join(dir, 'm.json'),
      CONTROL: join(dir, 'c.jsonl'),
      MISSING_DIR: join(dir, 'missing', 'x.jsonl'),
      NO_FORMAT: join(dir, 'c.txt'),
    };
    const resolved = args.map((a) => (a in paths ? paths[a as keyof typeof paths] : a));
    const result = await runInProcess([...resolved, '--fast', '--output', paths.OUT]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trimEnd()).toMatch(message);
    for (const path of Object.values(paths)) expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir)).toEqual([]); // no temporary files either
  });
});

function omit(record: CustomerRecord, keys: readonly string[]): object {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}

// --- a small classifier, independent of the report's ---

interface GaussianNaiveBayes {
  readonly classes: readonly { label: string; prior: number; means: number[]; variances: number[] }[];
}

const classifierFeatures = [
  'order_frequency',
  'days_since_last_order',
  'email_open_rate',
  'cart_abandonment_rate',
] as const;

function trainGaussianNaiveBayes(records: readonly CustomerRecord[]): GaussianNaiveBayes {
  const labels = [...new Set(records.map((r) => r.true_risk_level))];
  return {
    classes: labels.map((label) => {
      const rows = records.filter((r) => r.true_risk_level === label);
      const means = classifierFeatures.map((f) => rows.reduce((s, r) => s + r[f], 0) / rows.length);
      const variances = classifierFeatures.map(
        (f, i) => rows.reduce((s, r) => s + (r[f] - means[i]!) ** 2, 0) / rows.length + 1e-9,
      );
      return { label, prior: rows.length / records.length, means, variances };
    }),
  };
}

function accuracy(model: GaussianNaiveBayes, records: readonly CustomerRecord[]): number {
  let correct = 0;
  for (const r of records) {
    let best = '';
    let bestScore = -Infinity;
    for (const c of model.classes) {
      let score = Math.log(c.prior);
      classifierFeatures.forEach((f, i) => {
        score -= (r[f] - c.means[i]!) ** 2 / (2 * c.variances[i]!) + 0.5 * Math.log(c.variances[i]!);
      });
      if (score > bestScore) {
        bestScore = score;
        best = c.label;
      }
    }
    if (best === r.true_risk_level) correct++;
  }
  return correct / records.length;
}
