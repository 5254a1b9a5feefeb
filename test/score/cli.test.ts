/**
 * `churn-datagen score` through the built executable: a simple windowed detector run on a drift
 * file and its control that the CLI wrote, scored against the CLI's manifest; bad inputs are one
 * line, exit 2, and nothing written.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DriftManifest } from '../../src/core/manifest.ts';
import type { DetectorScore } from '../../src/score/score.ts';
import { scoreDetector } from '../../src/score/score.ts';
import { runChild, runInProcess, tempDir } from '../support/cli.ts';
import { fixedStart } from '../support/records.ts';

const dir = tempDir();
const manifestPath = join(dir, 'manifest.json');

/**
 * A sign-test detector on one feature: the first 3000 records give the reference median; every
 * block of 600 records with more than 6 standard deviations too many (or too few) values above
 * it (Binomial(600, ½) under no drift: sd √150) raises an alarm at the block's last record.
 * Distribution-free, so its false-alarm rate does not depend on the feature's tails.
 */
function signTestAlarms(path: string, feature: string): number[] {
  const values = readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as Record<string, number>)[feature] as number);
  const reference = values.slice(0, 3000).sort((a, b) => a - b);
  const median = ((reference[1499] as number) + (reference[1500] as number)) / 2;
  const block = 600;
  const alarms: number[] = [];
  for (let from = 3000; from + block <= values.length; from += block) {
    const above = values.slice(from, from + block).filter((value) => value > median).length;
    if (Math.abs(above - block / 2) > 6 * Math.sqrt(block / 4)) alarms.push(from + block - 1);
  }
  return alarms;
}

beforeAll(async () => {
  const drift = await runInProcess([
    'drift',
    ...['--kind', 'covariate', '--features', 'avg_order_value', '--shape', 'sudden', '--at', '0.5'],
    ...['--duration', '60', '--rate', '600', '--fast', '--seed', '1', '--start', fixedStart],
    ...['--output', join(dir, 'drifted.jsonl'), '--control-output', join(dir, 'control.jsonl')],
    ...['--manifest', manifestPath, '--quiet'],
  ]);
  expect(drift.code).toBe(0);
});

describe('score: end to end', () => {
  it('a sign-test detector on prices: found within a block of the onset, silent on the control, above both baselines', async () => {
    const alarms = signTestAlarms(join(dir, 'drifted.jsonl'), 'avg_order_value');
    const control = signTestAlarms(join(dir, 'control.jsonl'), 'avg_order_value');
    // CSV for the drifted stream (written newest first: the scorer sorts), JSON Lines of times for the control.
    writeFileSync(join(dir, 'alarms.csv'), `record\n${[...alarms].reverse().join('\n')}\n`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as DriftManifest;
    const recordTime = (k: number): string => new Date(Date.parse(manifest.start) + k * 100).toISOString();
    writeFileSync(
      join(dir, 'control-alarms.jsonl'),
      control.map((k) => `${JSON.stringify({ timestamp: recordTime(k) })}\n`).join(''),
    );
    const out = join(dir, 'score.json');
    const result = await runChild([
      'score',
      ...['--manifest', manifestPath, '--alarms', join(dir, 'alarms.csv')],
      ...['--control-alarms', join(dir, 'control-alarms.jsonl'), '--out', out],
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const score = JSON.parse(readFileSync(out, 'utf8')) as DetectorScore;
    expect(score).toEqual(scoreDetector(manifest, alarms, { controlAlarms: control.map(recordTime) }));

    // The manifest's onset: halfway, record 18000. The first block wholly after it ends at record 18599.
    const [covariate] = score.detector.components;
    expect(covariate?.events[0]?.onset).toBe('2026-01-01T00:30:00.000Z');
    expect(covariate).toMatchObject({ kind: 'covariate', shape: 'sudden', detected: 1, false_alarms_before_onset: 0 });
    expect(covariate?.delay_records).toBeGreaterThanOrEqual(0);
    expect(covariate?.delay_records).toBeLessThanOrEqual(1199);
    expect(score.detector.overall).toMatchObject({ precision: 1, recall: 1, f1: 1, false_alarms: 0, mdr: 0 });
    expect(score.detector.control).toMatchObject({ false_alarms: 0, mtfa_seconds: null });
    // Fixed baseline without a tolerance: every 360 s, 10 alarms, the 6 from 00:30 on true: F1 0.75.
    expect(score.baselines.fixed_interval.overall).toMatchObject({ alarms: 10, precision: 0.6, recall: 1, f1: 0.75 });
    expect(score.baselines.fixed_interval.control).toMatchObject({ false_alarms: 10, mtfa_seconds: 360 });
    expect(score.baselines.never.overall).toMatchObject({ f1: 0, mdr: 1 });

    // The table on stdout: the component with its onset, the detector beside the baselines.
    expect(result.stdout).toMatch(
      /^Detector score: seed 1, 2026-01-01T00:00:00.000Z to 2026-01-01T01:00:00.000Z, 36000 records at 600\/min; tolerance none/,
    );
    expect(result.stdout).toContain('covariate (sudden), onset 2026-01-01T00:30:00.000Z');
    expect(result.stdout).toMatch(
      /precision \/ recall \/ F1 +1\.000 \/ 1\.000 \/ 1\.000 +0\.600 \/ 1\.000 \/ 0\.750 +n\/a \/ 0\.000 \/ 0\.000/,
    );
    expect(result.stdout).toMatch(/control stream\n {2}false alarms +0 +10 +0\n/);
  });

  it('--tolerance in records; --out - writes the JSON to stdout instead of the table', async () => {
    writeFileSync(join(dir, 'late.csv'), 'timestamp\n2026-01-01T00:40:00Z\n');
    const result = await runChild([
      'score',
      ...['--manifest', manifestPath, '--alarms', join(dir, 'late.csv'), '--tolerance', '3000records', '--out', '-'],
    ]);
    expect(result.code).toBe(0);
    const score = JSON.parse(result.stdout) as DetectorScore;
    expect(score.tolerance).toEqual({ seconds: 300, records: 3000 });
    expect(score.detector.overall).toMatchObject({ missed: 1, false_alarms: 1, mdr: 1 });
    expect(score.baselines.fixed_interval.interval_seconds).toBe(300);
  });

  it('an empty alarm file is a detector that never fired', async () => {
    writeFileSync(join(dir, 'none.csv'), '');
    const out = join(dir, 'none.json');
    const result = await runChild([
      'score',
      '--manifest',
      manifestPath,
      '--alarms',
      join(dir, 'none.csv'),
      '--out',
      out,
    ]);
    expect(result.code).toBe(0);
    const score = JSON.parse(readFileSync(out, 'utf8')) as DetectorScore;
    expect(score.detector).toEqual(score.baselines.never);
  });
});

describe('score: bad input', () => {
  const write = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  const cases: [string, () => string[], string][] = [
    [
      'no manifest flag',
      () => ['--alarms', write('ok.csv', 'record\n1\n')],
      "required option '--manifest <file>' not specified",
    ],
    [
      'a missing manifest',
      () => ['--manifest', join(dir, 'nope.json'), '--alarms', write('ok.csv', 'record\n1\n')],
      `--manifest: cannot read manifest '${join(dir, 'nope.json')}' (ENOENT)`,
    ],
    [
      'records as the manifest',
      () => ['--manifest', join(dir, 'drifted.jsonl'), '--alarms', write('ok.csv', 'record\n1\n')],
      '(not JSON)',
    ],
    [
      'a JSON file that is no manifest',
      () => [
        '--manifest',
        write('other.json', '{"format": "churn-datagen/report@1"}'),
        '--alarms',
        write('ok.csv', 'record\n1\n'),
      ],
      'is not a churn-datagen drift manifest',
    ],
    [
      'a record past the run',
      () => ['--manifest', manifestPath, '--alarms', write('past.csv', 'record\n5\n36000\n')],
      `--alarms: ${join(dir, 'past.csv')}: alarm record 36000 is outside the run (records 0 to 35999, 2026-01-01T00:00:00.000Z to 2026-01-01T01:00:00.000Z)`,
    ],
    [
      'a time before the run',
      () => ['--manifest', manifestPath, '--alarms', write('early.jsonl', '{"timestamp": "2025-12-31T23:00:00Z"}\n')],
      'alarm 2025-12-31T23:00:00Z is outside the run (2026-01-01T00:00:00.000Z to 2026-01-01T01:00:00.000Z)',
    ],
    [
      'an unknown column',
      () => ['--manifest', manifestPath, '--alarms', write('cols.csv', 'index\n5\n')],
      "unknown column 'index'",
    ],
    [
      'an alarm that is no time',
      () => ['--manifest', manifestPath, '--alarms', write('soon.csv', 'timestamp\nsoon\n')],
      "alarm 'soon' is neither a record index nor an ISO-8601 time",
    ],
    [
      'a missing alarm file',
      () => ['--manifest', manifestPath, '--alarms', join(dir, 'nope.csv')],
      `--alarms: cannot read '${join(dir, 'nope.csv')}' (ENOENT)`,
    ],
    [
      'a control alarm past the run',
      () => [
        '--manifest',
        manifestPath,
        '--alarms',
        write('ok.csv', 'record\n1\n'),
        '--control-alarms',
        write('cpast.csv', 'record\n99999\n'),
      ],
      `--control-alarms: ${join(dir, 'cpast.csv')}: alarm record 99999 is outside the run`,
    ],
    [
      'a tolerance without a unit',
      () => ['--manifest', manifestPath, '--alarms', write('ok.csv', 'record\n1\n'), '--tolerance', '10'],
      "--tolerance: expected a positive duration (90s, 10m, 2h, 1d) or record count (500records), got '10'",
    ],
    [
      'a zero tolerance',
      () => ['--manifest', manifestPath, '--alarms', write('ok.csv', 'record\n1\n'), '--tolerance', '0s'],
      "got '0s'",
    ],
  ];

  it.each(cases)('%s: one line, exit 2, no --out written', async (_name, args, message) => {
    const out = join(dir, 'never-written.json');
    const result = await runChild(['score', ...args(), '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
    expect(result.stderr).toMatch(/^churn-datagen: [^\n]+\n$/);
    expect(existsSync(out)).toBe(false);
  });
});
