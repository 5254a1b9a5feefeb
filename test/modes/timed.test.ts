import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { streamSource } from '../../src/modes/stream.ts';
import { timedRecords } from '../../src/modes/timed.ts';
import { SimulatedClock } from '../../src/schedule/clock.ts';
import type { CustomerRecord } from '../../src/core/schema.ts';
import { runInProcess, tempDir } from '../support/cli.ts';

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('timed modes to files with --fast', () => {
  it.each([
    ['stream', ['stream', '--rate', '600', '--duration', '2', '--drift']],
    ['drift', ['drift', '--duration', '30', '--rate', '600']],
    ['lifecycle', ['lifecycle', '--customers', '25', '--days', '180']],
  ])('%s: same seed and start, byte-identical output', async (_mode, args) => {
    const dir = tempDir();
    const run = (name: string): Promise<{ code: number }> =>
      runInProcess([
        ...args,
        '--fast',
        '--seed',
        '11',
        '--start',
        '2026-03-01T00:00:00Z',
        '--output',
        join(dir, name),
        '--quiet',
      ]);
    expect((await run('a.jsonl')).code).toBe(0);
    expect((await run('b.jsonl')).code).toBe(0);
    expect(sha256(join(dir, 'a.jsonl'))).toBe(sha256(join(dir, 'b.jsonl')));
  });

  it('a 30-minute drift scenario at 600/min is a file of 18,000 records, drift_progress = elapsed / duration', async () => {
    const path = join(tempDir(), 'drift.csv');
    const result = await runInProcess([
      'drift',
      '--duration',
      '30',
      '--rate',
      '600',
      '--fast',
      '--seed',
      '1',
      '--start',
      '2026-01-01T00:00:00Z',
      '--output',
      path,
    ]);
    expect(result.code).toBe(0);
    const rows = parse<Record<string, string>>(readFileSync(path), { columns: true });
    expect(rows).toHaveLength(18_000);
    for (const [i, row] of rows.entries()) {
      if (i % 997 !== 0) continue;
      const elapsed = Date.parse(row.timestamp!) - Date.parse('2026-01-01T00:00:00Z');
      expect(elapsed).toBe(i * 100);
      expect(Number(row.drift_progress)).toBeCloseTo(elapsed / 1_800_000, 6);
    }
  });

  it('the same records as the real-time schedule would give: event time k × 60/rate after --start', async () => {
    const source = streamSource({ seed: 3, ratePerMinute: 7, durationMinutes: 0.5, startMs: 0 });
    const records: CustomerRecord[] = [];
    for await (const r of timedRecords(source, { clock: new SimulatedClock() })) records.push(r);
    expect(records.map((r) => Date.parse(r.timestamp))).toEqual([0, 8571, 17143, 25714]); // due strictly before 30 s
  });
});

describe('bad input of the timed modes (exit 2, one line)', () => {
  it.each([
    [['stream', '--rate', '0'], "--rate: expected a positive number, got '0'"],
    [['stream', '--rate', 'fast'], "--rate: expected a positive number, got 'fast'"],
    [['stream', '--rate', '-5'], "--rate: expected a positive number, got '-5'"],
    [['stream', '--duration', '-1'], "--duration: expected a positive number, got '-1'"],
    [['stream', '--drift'], '--drift: needs --duration'],
    [['stream', '--fast', '--output', '-'], '--fast: needs --duration'],
    [['stream', '--high', '-1'], "--high: expected a non-negative number, got '-1'"],
    [['stream', '--low', '0', '--medium', '0', '--high', '0'], 'shares must not all be zero'],
    [
      ['stream', '--compression', 'brotli'],
      "--compression: expected one of none, gzip, snappy, lz4, zstd, got 'brotli'",
    ],
    [['drift', '--duration', '0'], "--duration: expected a positive number, got '0'"],
    [['drift', '--rate', 'x'], "--rate: expected a positive number, got 'x'"],
    [['drift', '--wobble'], "unknown option '--wobble'"],
    [['lifecycle', '--customers', '0'], "--customers: expected a positive integer, got '0'"],
    [['lifecycle', '--days', '-7'], "--days: expected a non-negative integer, got '-7'"],
    [['lifecycle', '--speed', '0'], "--speed: expected a positive number, got '0'"],
    [['lifecycle', '--seed', 'x'], '--seed: expected a non-negative integer'],
    [
      ['stream', '--output', '/no/such/dir/s.jsonl', '--duration', '1'],
      "--output: directory '/no/such/dir' does not exist",
    ],
  ])('%j', async (args, message) => {
    const result = await runInProcess(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
