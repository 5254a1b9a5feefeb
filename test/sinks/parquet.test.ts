/**
 * Parquet files read back by an independent reader (hyparquet) equal the JSON Lines output of the
 * same seed, with typed columns and several row groups.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import type { CustomerRecord } from '../../src/core/schema.ts';
import { binPath, runChild, runInProcess, tempDir } from '../support/cli.ts';

const seeded = ['--seed', '8', '--start', '2026-01-01T00:00:00Z', '--quiet'];

/** The Python with DuckDB that .ci/run installs (a virtual environment in the repository). */
const duckdbPython = fileURLToPath(new URL('../../.venv-ci/bin/python', import.meta.url));

/** Peak resident memory (KiB) of a CLI run, printed by the child itself at exit. */
function peakMemoryKiB(args: string[]): number {
  const report =
    "data:text/javascript,process.on('exit',()=>process.stderr.write('maxRSS '+process.resourceUsage().maxRSS))";
  const result = spawnSync(process.execPath, ['--import', report, binPath, ...args], { encoding: 'utf8' });
  expect(result.status).toBe(0);
  return Number(/maxRSS (\d+)/.exec(result.stderr)?.[1]);
}

async function readParquet(
  path: string,
): Promise<{ rows: Record<string, unknown>[]; types: Record<string, string>; rowGroups: number }> {
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  const types = Object.fromEntries(
    metadata.schema.slice(1).map((e) => [e.name, `${e.type}${e.converted_type ? `/${e.converted_type}` : ''}`]),
  );
  return {
    rows: (await parquetReadObjects({ file })) as Record<string, unknown>[],
    types,
    rowGroups: metadata.row_groups.length,
  };
}

/** A Parquet row as the JSON record it stands for. */
function asRecord(row: Record<string, unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (value === null || value === undefined) continue;
    record[key] = value instanceof Date ? value.toISOString() : typeof value === 'bigint' ? Number(value) : value;
  }
  return record;
}

describe('Parquet output', () => {
  it('batch: the same customers as JSON Lines, typed columns, row groups of 25,000', async () => {
    const dir = tempDir();
    expect(
      (await runInProcess(['batch', '--count', '230000', ...seeded, '--output', join(dir, 'c.parquet')])).code,
    ).toBe(0);
    expect((await runInProcess(['batch', '--count', '230000', ...seeded, '--output', join(dir, 'c.jsonl')])).code).toBe(
      0,
    );
    const { rows, types, rowGroups } = await readParquet(join(dir, 'c.parquet'));
    expect(rowGroups).toBe(10);
    expect(types).toMatchObject({
      customer_id: 'BYTE_ARRAY/UTF8',
      timestamp: 'INT64/TIMESTAMP_MILLIS',
      total_orders: 'INT32',
      support_tickets_open: 'INT32',
      total_revenue: 'DOUBLE',
      email_open_rate: 'DOUBLE',
      favorite_category: 'BYTE_ARRAY/UTF8',
    });
    const lines = readFileSync(join(dir, 'c.jsonl'), 'utf8').trimEnd().split('\n');
    expect(rows).toHaveLength(lines.length);
    for (let i = 0; i < lines.length; i += 997) expect(asRecord(rows[i]!)).toEqual(JSON.parse(lines[i]!));
    expect(asRecord(rows[rows.length - 1]!)).toEqual(JSON.parse(lines[lines.length - 1]!));
  });

  it('timed modes carry their optional columns (drift_progress, snapshot_day)', async () => {
    const dir = tempDir();
    await runInProcess([
      'drift',
      '--duration',
      '1',
      '--rate',
      '300',
      '--fast',
      ...seeded,
      '--output',
      join(dir, 'd.parquet'),
    ]);
    await runInProcess([
      'drift',
      '--duration',
      '1',
      '--rate',
      '300',
      '--fast',
      ...seeded,
      '--output',
      join(dir, 'd.jsonl'),
    ]);
    const drift = await readParquet(join(dir, 'd.parquet'));
    expect(drift.rows.map(asRecord)).toEqual(
      readFileSync(join(dir, 'd.jsonl'), 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as CustomerRecord),
    );
    await runInProcess([
      'lifecycle',
      '--customers',
      '4',
      '--days',
      '28',
      '--fast',
      ...seeded,
      '--output',
      join(dir, 'l.parquet'),
    ]);
    const lifecycle = await readParquet(join(dir, 'l.parquet'));
    expect(lifecycle.types.snapshot_day).toBe('INT32');
    expect(lifecycle.rows.map((r) => r.snapshot_day)).toEqual([
      0, 0, 0, 0, 7, 7, 7, 7, 14, 14, 14, 14, 21, 21, 21, 21, 28, 28, 28, 28,
    ]);
  });

  it('Ctrl-C leaves no file; --workers does not apply', async () => {
    const dir = tempDir();
    const result = await runChild(['batch', '--count', '50000000', ...seeded, '--output', join(dir, 'big.parquet')], {
      signal: 'SIGINT',
      afterMs: 1500,
    });
    expect(result.code).toBe(130);
    expect(readdirSync(dir)).toEqual([]);
    const workers = await runInProcess([
      'batch',
      '--count',
      '10',
      ...seeded,
      '--workers',
      '2',
      '--output',
      join(dir, 'w.parquet'),
    ]);
    expect(workers.code).toBe(2);
    expect(workers.stderr).toContain('--workers: applies to jsonl, json and csv output, not to parquet');
  });

  it.skipIf(!existsSync(duckdbPython))(
    'DuckDB reads the event time as TIMESTAMP WITH TIME ZONE, at the instants the JSON Lines give',
    async () => {
      const dir = tempDir();
      const parquet = join(dir, 't.parquet');
      expect((await runInProcess(['batch', '--count', '50', ...seeded, '--output', parquet])).code).toBe(0);
      expect((await runInProcess(['batch', '--count', '50', ...seeded, '--output', join(dir, 't.jsonl')])).code).toBe(
        0,
      );
      const script = `
import duckdb, json, sys
con = duckdb.connect()
con.execute("SET TimeZone = 'UTC'")
kind = con.execute("SELECT column_type FROM (DESCRIBE SELECT * FROM read_parquet(?)) WHERE column_name = 'timestamp'", [sys.argv[1]]).fetchone()[0]
times = [row[0] for row in con.execute("SELECT strftime(timestamp, '%Y-%m-%dT%H:%M:%S.%gZ') FROM read_parquet(?)", [sys.argv[1]]).fetchall()]
print(json.dumps({"type": kind, "times": times}))
`;
      const result = spawnSync(duckdbPython, ['-c', script, parquet], { encoding: 'utf8' });
      expect(result.stderr).toBe('');
      const read = JSON.parse(result.stdout) as { type: string; times: string[] };
      expect(read.type).toBe('TIMESTAMP WITH TIME ZONE');
      const lines = readFileSync(join(dir, 't.jsonl'), 'utf8').trimEnd().split('\n');
      expect(read.times).toEqual(lines.map((line) => (JSON.parse(line) as CustomerRecord).timestamp));
    },
  );

  it('streams in row groups: peak memory does not grow with the record count', () => {
    const run = (count: number): number =>
      peakMemoryKiB(['batch', '--count', String(count), ...seeded, '--format', 'parquet', '--output', '/dev/null']);
    const small = run(100_000);
    const large = run(600_000);
    // Six times the records, the same working set: one row group and its encoding.
    expect(large - small).toBeLessThan(64 * 1024);
    expect(large).toBeLessThan(320 * 1024);
  });

  it('stops at once when the reader of stdout goes away (| head -c 100), exit 0', () => {
    const started = Date.now();
    const result = spawnSync(
      'bash',
      [
        '-c',
        `set -o pipefail; "${process.execPath}" "${binPath}" batch --count 100000000 --format parquet --output - | head -c 100 | wc -c`,
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(result.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000); // 10^8 records would take many minutes
    expect(result.stdout.trim()).toBe('100');
    expect(result.stderr).toContain('stdout was closed by the reader; stopped after');
  });
});
