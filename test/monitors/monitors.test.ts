/**
 * The monitors' recipes (docs/monitors.md) run as a user would run them, on files the CLI wrote:
 * river (ADWIN over a drifted feature; the served model scored as its delayed outcomes arrive),
 * Evidently (DataDriftPreset, reference vs drifted window) and NannyML (univariate drift; CBPE's
 * estimated ROC AUC against the realised one). Each test asserts what the user looks for. One
 * seed; the figures of other seeds are in docs/monitors.md. .ci/run installs the pinned packages
 * (test/requirements.txt) into .venv-ci.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, tempDir } from '../support/cli.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const python = join(root, '.venv-ci', 'bin', 'python');
const here = join(root, 'test', 'monitors');
const DAY = 86_400_000;

const seed = '1';
const timed = [
  '--duration',
  '60',
  '--rate',
  '600',
  '--fast',
  '--seed',
  seed,
  '--start',
  '2026-01-01T00:00:00Z',
  '--quiet',
];
const sudden = ['--shape', 'sudden', '--at', '0.5', ...timed];

interface Manifest {
  drifted_features: string[];
  weakly_drifted_features: string[];
  stable_features: string[];
}

/** Runs one of the recipe scripts and parses the JSON object it prints. */
async function recipe<T>(script: string, args: string[]): Promise<T> {
  const { stdout } = await promisify(execFile)(python, [join(here, script), ...args], {
    maxBuffer: 16 << 20,
    env: { ...process.env, DO_NOT_TRACK: '1', NML_DISABLE_USAGE_LOGGING: '1' },
  });
  return JSON.parse(stdout) as T;
}

describe('monitors on files the CLI wrote (river, Evidently, NannyML)', () => {
  const dir = tempDir();
  const file = (name: string) => join(dir, name);
  let covariate: Manifest;

  beforeAll(async () => {
    expect(existsSync(python), `${python} is missing: run bash .ci/run (it installs test/requirements.txt)`).toBe(true);
    // feature drift: covariate drift moves 3 features and leaves 13 stable; Parquet, with a control
    const runs = [
      ['drift', '--kind', 'covariate', ...sudden, '--output', file('covariate.parquet')],
      ['--control-output', file('covariate-control.parquet'), '--manifest', file('covariate.json')],
      // a stale model: concept drift, the served predictions and their delayed outcomes; CSV
      ['drift', '--kind', 'concept', ...sudden, '--with-prediction', '--output', file('concept.csv')],
      ['--outcomes-output', file('concept-outcomes.jsonl'), '--manifest', file('concept.json')],
      // the same customers with drift off, and their outcomes
      ['stream', ...timed, '--with-prediction', '--output', file('control.csv')],
      ['--outcomes-output', file('control-outcomes.jsonl')],
    ];
    for (let i = 0; i < runs.length; i += 2) {
      const result = await runInProcess([...runs[i]!, ...runs[i + 1]!]);
      expect(result.code, result.stderr).toBe(0);
    }
    covariate = JSON.parse(readFileSync(file('covariate.json'), 'utf8')) as Manifest;
  }, 120_000);

  describe('river', () => {
    interface Adwin {
      onset: string;
      onset_index: number;
      alarms: { index: number; timestamp: string }[];
    }

    it('ADWIN over avg_order_value fires within 20 s of a sudden covariate onset, never before it, never on the control', async () => {
      expect(covariate.drifted_features).toContain('avg_order_value');
      const drifted = await recipe<Adwin>('river_monitor.py', [
        'adwin',
        file('covariate.parquet'),
        'avg_order_value',
        file('covariate.json'),
        file('alarms.csv'),
      ]);
      expect(drifted.onset_index).toBe(18_000);
      const first = drifted.alarms[0];
      expect(first, 'no alarm').toBeDefined();
      expect(first!.index, 'an alarm before the onset').toBeGreaterThanOrEqual(drifted.onset_index);
      expect(Date.parse(first!.timestamp) - Date.parse(drifted.onset)).toBeLessThanOrEqual(20_000);

      const control = await recipe<Adwin>('river_monitor.py', [
        'adwin',
        file('covariate-control.parquet'),
        'avg_order_value',
        file('covariate.json'),
        file('control-alarms.csv'),
      ]);
      expect(control.alarms).toEqual([]);

      // the alarms as churn-datagen score reads them
      const scored = await runInProcess([
        'score',
        ...['--manifest', file('covariate.json'), '--alarms', file('alarms.csv')],
        ...['--control-alarms', file('control-alarms.csv'), '--tolerance', '20s', '--out', '-'],
      ]);
      expect(scored.code, scored.stderr).toBe(0);
      const { overall, control: onControl } = (
        JSON.parse(scored.stdout) as {
          detector: {
            overall: { detected: number; missed: number; false_alarms: number };
            control: { false_alarms: number };
          };
        }
      ).detector;
      expect([overall.detected, overall.missed, overall.false_alarms, onControl.false_alarms]).toEqual([1, 0, 0, 0]);
    }, 120_000);

    interface Delayed {
      onset: string;
      alert_threshold: number;
      first_alert: string | null;
      cohorts: { start: string; after_onset: boolean; log_loss: number; accuracy: number; final_at: string | null }[];
    }

    it('delayed outcomes: the log loss of the served model rises for post-onset cohorts, seen only 90 days on; not on the control', async () => {
      const drifted = await recipe<Delayed>('river_monitor.py', [
        'delayed',
        file('concept.csv'),
        file('concept-outcomes.jsonl'),
        file('concept.json'),
      ]);
      const before = drifted.cohorts.filter((c) => !c.after_onset);
      const after = drifted.cohorts.filter((c) => c.after_onset);
      expect([before.length, after.length]).toEqual([6, 6]);
      for (const c of drifted.cohorts) expect(c.final_at, c.start).not.toBeNull();
      for (const c of before) expect(c.log_loss, c.start).toBeLessThanOrEqual(drifted.alert_threshold);
      for (const c of after) expect(c.log_loss, c.start).toBeGreaterThan(drifted.alert_threshold);
      const worstBefore = Math.min(...before.map((c) => c.accuracy));
      for (const c of after) expect(c.accuracy, c.start).toBeLessThan(worstBefore - 0.1);
      // the alert comes when the first post-onset cohort's outcomes are all in: 90 days after it
      const onset = Date.parse(drifted.onset);
      expect(drifted.first_alert).toBe(after[0]!.final_at);
      expect(Date.parse(drifted.first_alert!)).toBeGreaterThanOrEqual(onset + 90 * DAY);
      expect(Date.parse(drifted.first_alert!)).toBeLessThanOrEqual(onset + 90 * DAY + 5 * 60_000);

      const control = await recipe<Delayed>('river_monitor.py', [
        'delayed',
        file('control.csv'),
        file('control-outcomes.jsonl'),
        file('concept.json'),
      ]);
      expect(control.first_alert).toBeNull();
      for (const c of control.cohorts) expect(c.log_loss, c.start).toBeLessThanOrEqual(control.alert_threshold);
    }, 120_000);
  });

  describe('Evidently', () => {
    interface DataDrift {
      reference_rows: number;
      current_rows: number;
      dataset_drift: boolean;
      drifted_columns: string[];
    }

    it('DataDriftPreset: dataset drift, and the drifted columns are the manifest’s; on the control, none', async () => {
      const html = file('evidently.html');
      const drifted = await recipe<DataDrift>('evidently_monitor.py', [
        file('covariate.parquet'),
        file('covariate.json'),
        html,
      ]);
      expect([drifted.reference_rows, drifted.current_rows]).toEqual([18_000, 18_000]);
      expect(drifted.dataset_drift).toBe(true);
      const weak = new Set(covariate.weakly_drifted_features);
      expect(drifted.drifted_columns.filter((c) => !weak.has(c))).toEqual([...covariate.drifted_features].sort());
      expect(statSync(html).size).toBeGreaterThan(0);

      const control = await recipe<DataDrift>('evidently_monitor.py', [
        file('covariate-control.parquet'),
        file('covariate.json'),
      ]);
      expect(control.dataset_drift).toBe(false);
      expect(control.drifted_columns).toEqual([]);
    }, 120_000);
  });

  describe('NannyML', () => {
    interface Univariate {
      onset: string;
      chunks: { start: string }[];
      features: Record<string, { statistic: number[]; alert: boolean[] }>;
    }

    const afterOnset = (run: { onset: string; chunks: { start: string }[] }) =>
      run.chunks.map((c) => Date.parse(c.start) >= Date.parse(run.onset));

    it('univariate drift: drifted features alert in every chunk after the onset and none before, stable ones never; the control never', async () => {
      const drifted = await recipe<Univariate>('nannyml_monitor.py', [
        'drift',
        file('covariate.parquet'),
        file('covariate.json'),
      ]);
      const post = afterOnset(drifted);
      expect([post.filter((p) => !p).length, post.filter((p) => p).length]).toEqual([3, 9]);
      for (const feature of covariate.drifted_features) {
        expect(drifted.features[feature]!.alert, feature).toEqual(post);
      }
      for (const feature of covariate.stable_features) {
        expect(drifted.features[feature]!.alert.some(Boolean), feature).toBe(false);
      }

      const control = await recipe<Univariate>('nannyml_monitor.py', [
        'drift',
        file('covariate-control.parquet'),
        file('covariate.json'),
      ]);
      for (const [feature, { alert }] of Object.entries(control.features))
        expect(alert.some(Boolean), feature).toBe(false);
    }, 120_000);

    interface Performance {
      onset: string;
      chunks: { start: string; estimated: number; lower: number; realised: number }[];
    }

    /** Estimated and realised ROC AUC "agree" within this: about 7 of CBPE's sampling errors (0.004) at 2,000 records. */
    const tolerance = 0.03;

    it('CBPE: estimated and realised ROC AUC agree before the onset; after concept drift the realised drops and the estimate stays', async () => {
      const drifted = await recipe<Performance>('nannyml_monitor.py', [
        'performance',
        file('concept.csv'),
        file('concept-outcomes.jsonl'),
        file('concept.json'),
      ]);
      const post = afterOnset(drifted);
      const before = drifted.chunks.filter((_, i) => !post[i]);
      const after = drifted.chunks.filter((_, i) => post[i]);
      expect([before.length, after.length]).toEqual([3, 9]);
      for (const c of before) expect(Math.abs(c.estimated - c.realised), c.start).toBeLessThanOrEqual(tolerance);
      for (const c of after) expect(c.realised, c.start).toBeLessThan(c.lower);
      const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
      expect(mean(after.map((c) => c.estimated - c.realised))).toBeGreaterThan(tolerance);
      const estimateBefore = mean(before.map((c) => c.estimated));
      for (const c of after) expect(Math.abs(c.estimated - estimateBefore), c.start).toBeLessThanOrEqual(0.02);

      const control = await recipe<Performance>('nannyml_monitor.py', [
        'performance',
        file('control.csv'),
        file('control-outcomes.jsonl'),
        file('concept.json'),
      ]);
      for (const c of control.chunks)
        expect(Math.abs(c.estimated - c.realised), c.start).toBeLessThanOrEqual(tolerance);
    }, 120_000);
  });
});
