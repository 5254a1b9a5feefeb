/**
 * The delayed outcome stream (--outcomes-output): one outcome per record, known at the customer's
 * next order or when the horizon has passed, never before; in the order they become known; the
 * same verdict as the record's own `churned`; deterministic; a seeded share withheld.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CustomerRecord } from '../../src/core/schema.ts';
import { binPath, runInProcess, tempDir } from '../support/cli.ts';
import { waitFor } from '../support/wait.ts';

interface Outcome {
  customer_id: string;
  timestamp: string;
  observed_at: string;
  churned: boolean;
  next_order_at?: string;
}

const DAY_MS = 86_400_000;
const start = '2026-01-01T00:00:00Z';

function readLines<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as T);
}

async function run(args: string[]): Promise<{ records: CustomerRecord[]; outcomes: Outcome[]; stderr: string }> {
  const dir = tempDir();
  const result = await runInProcess([
    ...args,
    '--fast',
    '--start',
    start,
    '--with-outcome',
    '--output',
    join(dir, 'records.jsonl'),
    '--outcomes-output',
    join(dir, 'outcomes.jsonl'),
  ]);
  expect(result.code, result.stderr).toBe(0);
  return {
    records: readLines<CustomerRecord>(join(dir, 'records.jsonl')),
    outcomes: readLines<Outcome>(join(dir, 'outcomes.jsonl')),
    stderr: result.stderr,
  };
}

/** What holds for every outcome of every mode, with the record it belongs to. */
function expectOutcomesOf(
  records: CustomerRecord[],
  outcomes: Outcome[],
  horizonDays: number,
  inObservedOrder = true,
): void {
  const byRecord = new Map(records.map((r) => [`${r.customer_id}@${r.timestamp}`, r]));
  const seen = new Set<string>();
  let previous = -Infinity;
  for (const outcome of outcomes) {
    const key = `${outcome.customer_id}@${outcome.timestamp}`;
    const record = byRecord.get(key);
    expect(record, key).toBeDefined();
    expect(seen.has(key), `${key} twice`).toBe(false);
    seen.add(key);
    const recordMs = Date.parse(outcome.timestamp);
    const observedMs = Date.parse(outcome.observed_at);
    // In the order they become known (stream, drift), and never before the record.
    if (inObservedOrder) expect(observedMs, key).toBeGreaterThanOrEqual(previous);
    previous = observedMs;
    expect(observedMs).toBeGreaterThanOrEqual(recordMs);
    if (outcome.churned) {
      expect(outcome.next_order_at).toBeUndefined();
      expect(observedMs - recordMs).toBe(Math.round(horizonDays * DAY_MS));
    } else {
      expect(outcome.next_order_at).toBe(outcome.observed_at);
      expect(observedMs - recordMs).toBeLessThanOrEqual(Math.round(horizonDays * DAY_MS));
    }
    if (horizonDays === 90) expect(outcome.churned, key).toBe(record?.churned);
  }
}

/** Runs the CLI in real time, noting when each outcome line first appears in the growing file. */
async function followOutcomes(args: string[]): Promise<{
  code: number | null;
  stderr: string;
  outcomes: Outcome[];
  seenAt: number[];
}> {
  const dir = tempDir();
  const child = spawn(
    process.execPath,
    [binPath, ...args, '--output', join(dir, 'r.jsonl'), '--outcomes-output', join(dir, 'o.jsonl')],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const seenAt: number[] = [];
  const look = (): void => {
    const files = readdirSync(dir);
    const growing =
      files.find((f) => f.startsWith('.o.jsonl.') && f.endsWith('.tmp')) ?? files.find((f) => f === 'o.jsonl');
    if (growing === undefined) return;
    let text: string;
    try {
      text = readFileSync(join(dir, growing), 'utf8');
    } catch {
      return;
    }
    while (seenAt.length < text.split('\n').length - 1) seenAt.push(Date.now());
  };
  const poll = setInterval(look, 10);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(poll);
  look();
  return { code, stderr, outcomes: code === 0 ? readLines<Outcome>(join(dir, 'o.jsonl')) : [], seenAt };
}

describe('delayed outcomes', () => {
  it('drift: one per record, known at the next order or after 90 days, the record’s own verdict', async () => {
    const { records, outcomes } = await run([
      'drift',
      '--kind',
      'concept',
      '--shape',
      'sudden',
      '--duration',
      '60',
      '--rate',
      '600',
      '--seed',
      '5',
    ]);
    expect(records).toHaveLength(36_000);
    expect(outcomes).toHaveLength(36_000);
    expectOutcomesOf(records, outcomes, 90);
    // Both kinds of outcome occur, and the early ones (an order) come in between.
    const churned = outcomes.filter((o) => o.churned).length;
    expect(churned).toBeGreaterThan(3600);
    expect(churned).toBeLessThan(32_400);
  });

  it('lifecycle: each snapshot’s outcome is the journey’s own next order', async () => {
    const { records, outcomes } = await run(['lifecycle', '--customers', '40', '--days', '140', '--seed', '3']);
    expect(outcomes).toHaveLength(records.length);
    // A snapshot of day d goes out during the week after d: an order in that week is known once
    // the snapshot is out, so the file is in the order outcomes became known, not by observed_at.
    expectOutcomesOf(records, outcomes, 90, false);
    // A journey's outcome at day d that came from an order is that customer's next order: later
    // snapshots of the same customer before that order point to the same one.
    const bySnapshot = new Map(outcomes.map((o) => [`${o.customer_id}@${o.timestamp}`, o]));
    for (const record of records) {
      const later = records.find(
        (r) => r.customer_id === record.customer_id && r.snapshot_day === (record.snapshot_day ?? 0) + 7,
      );
      const outcome = bySnapshot.get(`${record.customer_id}@${record.timestamp}`);
      if (later === undefined || outcome?.next_order_at === undefined) continue;
      if (Date.parse(outcome.next_order_at) > Date.parse(later.timestamp)) {
        expect(bySnapshot.get(`${later.customer_id}@${later.timestamp}`)?.next_order_at).toBe(outcome.next_order_at);
      }
    }
  });

  it('lifecycle: the same outcome file in real time as on the simulated clock', async () => {
    const args = ['lifecycle', '--customers', '200', '--days', '28', '--speed', '60', '--seed', '5', '--start', start];
    const dir = tempDir();
    const real = await runInProcess([
      ...args,
      '--output',
      join(dir, 'r1.jsonl'),
      '--outcomes-output',
      join(dir, 'o1.jsonl'),
    ]);
    const fast = await runInProcess([
      ...args,
      '--fast',
      '--output',
      join(dir, 'r2.jsonl'),
      '--outcomes-output',
      join(dir, 'o2.jsonl'),
    ]);
    expect(real.code, real.stderr).toBe(0);
    expect(fast.code, fast.stderr).toBe(0);
    const realOutcomes = readFileSync(join(dir, 'o1.jsonl'), 'utf8');
    expect(realOutcomes.split('\n').length - 1).toBe(1000); // 5 snapshots of 200 customers
    expect(realOutcomes).toBe(readFileSync(join(dir, 'o2.jsonl'), 'utf8'));
  });

  it('--outcome-horizon 30: churn within 30 days; who churned in 90 churned in 30 too', async () => {
    const args = ['stream', '--rate', '600', '--duration', '5', '--seed', '8'];
    const long = await run(args);
    const short = await run([...args, '--outcome-horizon', '30']);
    expectOutcomesOf(short.records, short.outcomes, 30);
    const shortOf = new Map(short.outcomes.map((o) => [o.customer_id, o]));
    let more = 0;
    for (const outcome of long.outcomes) {
      const other = shortOf.get(outcome.customer_id);
      if (outcome.churned) expect(other?.churned).toBe(true);
      else if (other?.churned === true) more++;
      else expect(other?.next_order_at).toBe(outcome.next_order_at); // the same next order
    }
    expect(more).toBeGreaterThan(0);
  });

  it('--label-missing 0.2: a seeded fifth never arrives, recorded in the manifest and the summary', async () => {
    const dir = tempDir();
    const args = [
      'drift',
      '--duration',
      '10',
      '--rate',
      '1000',
      '--seed',
      '11',
      '--label-missing',
      '0.2',
      '--manifest',
      join(dir, 'manifest.json'),
    ];
    const first = await run(args);
    const second = await run(args);
    expect(second.outcomes).toEqual(first.outcomes); // deterministic
    const withheld = 10_000 - first.outcomes.length;
    // Binomial(10,000, 0.2): sd 40; ±5 sd.
    expect(withheld).toBeGreaterThan(1800);
    expect(withheld).toBeLessThan(2200);
    expect(first.stderr).toContain(`withheld ${withheld} (--label-missing)`);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      outcomes: { horizon_days: number; label_missing: number };
    };
    expect(manifest.outcomes).toEqual({ horizon_days: 90, label_missing: 0.2 });
  });

  it('CSV: a header and one row per outcome, next_order_at empty for churned customers', async () => {
    const dir = tempDir();
    const result = await runInProcess([
      'stream',
      '--rate',
      '60',
      '--duration',
      '1',
      '--fast',
      '--seed',
      '2',
      '--start',
      start,
      '--output',
      join(dir, 'r.jsonl'),
      '--outcomes-output',
      join(dir, 'o.csv'),
    ]);
    expect(result.code, result.stderr).toBe(0);
    const [header, ...rows] = readFileSync(join(dir, 'o.csv'), 'utf8').trimEnd().split('\n');
    expect(header).toBe('customer_id,timestamp,observed_at,churned,next_order_at');
    expect(rows).toHaveLength(60);
    for (const row of rows) {
      const [, , observed, churned, next] = row.split(',');
      expect(churned === 'true' ? next : observed).toBe(churned === 'true' ? '' : next);
    }
  });

  it('a real-time stream: an outcome due between two records is written at its own time', async () => {
    // Records at 0 and 3 s; a horizon of one second: the outcomes are due at 1 s and 4 s (or at an
    // order before then), while the next record is still 2 s away.
    const run = await followOutcomes([
      'stream',
      '--rate',
      '20',
      '--duration',
      '0.1',
      '--seed',
      '6',
      '--outcome-horizon',
      String(1 / 86_400),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.outcomes).toHaveLength(2);
    run.outcomes.forEach((outcome, i) => {
      const dueAt = Date.parse(outcome.observed_at); // event time is wall time in a real-time stream
      expect(run.seenAt[i] as number, `outcome ${i}`).toBeGreaterThanOrEqual(dueAt - 5);
      expect((run.seenAt[i] as number) - dueAt, `outcome ${i}`).toBeLessThan(500);
    });
  });

  it('Ctrl-C while outcomes are 90 days away: stops at once, publishes the files, counts them as not yet known', async () => {
    const dir = tempDir();
    const child = spawn(
      process.execPath,
      [
        binPath,
        'stream',
        '--rate',
        '600',
        '--duration',
        '0.05',
        '--seed',
        '7',
        '--output',
        join(dir, 'r.jsonl'),
      ].concat(['--outcomes-output', join(dir, 'o.jsonl')]),
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const abandonedBy = new Promise<string>((resolve) => child.on('close', () => resolve(stderr)));
    // The 30 records take 3 s; the run then waits for outcomes due in 90 days.
    await waitFor(() => /the run goes on until the last one/.test(stderr), {
      what: 'the message that the run waits for the outcomes',
      abandonedBy,
    });
    // The records file as it grows (renamed to r.jsonl at the end): all 30 records written.
    const growing = /tail -f (\S+) \(renamed to \S*r\.jsonl at the end\)/.exec(stderr)?.[1];
    expect(growing, stderr).toBeDefined();
    const written = (): number =>
      readFileSync(growing!, 'utf8')
        .split('\n')
        .filter((line) => line !== '').length;
    await waitFor(() => written() >= 30, {
      what: `the 30 records in ${growing}`,
      state: () => `${written()} lines`,
      abandonedBy,
    });
    const stoppedAt = Date.now();
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(Date.now() - stoppedAt).toBeLessThan(2000);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/generated 30, acknowledged 30, failed 0/);
    expect(stderr).toMatch(/outcomes: acknowledged \d+, failed 0, withheld 0 \(--label-missing\), not yet known \d+/);
    const known = readFileSync(join(dir, 'o.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line !== '').length;
    const pending = Number(/not yet known (\d+)/.exec(stderr)?.[1]);
    expect(known + pending).toBe(30);
    expect(readdirSync(dir).sort()).toEqual(['o.jsonl', 'r.jsonl']);
  });

  it('on the real clock, an outcome is written when its time comes on the run’s timeline, never before', async () => {
    // 2 customers, a snapshot a week at 30 days a second; outcomes up to 20 days (0.67 s) later.
    const run = await followOutcomes([
      'lifecycle',
      '--customers',
      '2',
      '--days',
      '21',
      '--speed',
      '30',
      '--seed',
      '4',
      '--outcome-horizon',
      '20',
    ]);
    const { stderr, seenAt, outcomes } = run;
    expect(run.code, stderr).toBe(0);
    const startMs = Date.parse(/--start (\S+)\)/.exec(stderr)?.[1] ?? '');
    expect(outcomes).toHaveLength(8); // days 0, 7, 14, 21 of 2 customers
    expect(seenAt).toHaveLength(8);
    outcomes.forEach((outcome, i) => {
      // Day d of the timeline is d / 30 s after the start.
      const dueAt = startMs + ((Date.parse(outcome.observed_at) - startMs) / DAY_MS / 30) * 1000;
      expect(seenAt[i] as number, `outcome ${i}`).toBeGreaterThanOrEqual(dueAt - 5);
      expect((seenAt[i] as number) - dueAt, `outcome ${i}`).toBeLessThan(1000);
    });
    expect(stderr).toMatch(/outcomes: acknowledged 8, failed 0, withheld 0 \(--label-missing\), not yet known 0/);
  });

  it.each([
    [
      ['--topic', 'churn', '--outcomes-topic', 'churn'],
      /^churn-datagen: --outcomes-topic: same topic as --topic \('churn'\)/,
    ],
    [
      ['--control-topic', 'c', '--outcomes-topic', 'c'],
      /^churn-datagen: --outcomes-topic: same topic as --control-topic \('c'\)/,
    ],
  ])('to Kafka, %j: one line naming the flag, exit 2, before connecting', async (extra, message) => {
    const drift = extra.includes('--control-topic') ? ['drift'] : ['stream'];
    const result = await runInProcess([
      ...drift,
      '--rate',
      '60',
      '--duration',
      '1',
      '--kafka-servers',
      '127.0.0.1:1',
      ...extra,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it.each([
    [['--label-missing', '0.1'], /^churn-datagen: --label-missing: needs --outcomes-output or --outcomes-topic/],
    [
      ['--outcomes-output', 'o.jsonl', '--outcome-horizon', '0'],
      /^churn-datagen: --outcome-horizon: expected a positive number/,
    ],
    [
      ['--outcomes-output', 'o.jsonl', '--outcome-horizon', '91'],
      /^churn-datagen: --outcome-horizon: expected a number from/,
    ],
    [
      ['--outcomes-output', 'o.jsonl', '--label-missing', '1.5'],
      /^churn-datagen: --label-missing: expected a number from 0 to 1/,
    ],
    [['--outcomes-output', 'o.parquet'], /^churn-datagen: --outcomes-output: expected a \.jsonl or \.csv file/],
    [['--outcomes-output', 'o.jsonl', '--outcomes-topic', 't'], /^churn-datagen: --outcomes-output: give either/],
    [['--outcomes-output', 'same.jsonl'], /^churn-datagen: --outcomes-output: same output as --output/],
    [
      ['--outcomes-output', '-', '--output', '-'],
      /^churn-datagen: --outcomes-output: same output as --output \(stdout\)/,
    ],
  ])('bad input %j: one line naming the flag, exit 2, no file', async (extra, message) => {
    const dir = tempDir();
    const output = extra.includes('--output') ? [] : ['--output', join(dir, 'same.jsonl')];
    const args = extra.map((arg) => (arg.endsWith('.jsonl') || arg.endsWith('.parquet') ? join(dir, arg) : arg));
    const result = await runInProcess(['stream', '--rate', '60', '--duration', '1', '--fast', ...output, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
  });
});
