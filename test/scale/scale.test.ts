/**
 * Scale-out: n shards together make exactly the unsharded dataset; worker threads make exactly
 * the bytes of one thread.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CustomerRecord } from '../../src/core/schema.ts';
import { runChild, runInProcess, tempDir } from '../support/cli.ts';
import { writeBatch } from '../../src/modes/batch.ts';
import { writeBatchParallel } from '../../src/modes/parallel-batch.ts';
import { FileSink } from '../../src/sinks/file.ts';
import type { Sink } from '../../src/sinks/types.ts';

const seeded = ['--seed', '21', '--start', '2026-02-01T00:00:00Z', '--quiet'];

/**
 * A file sink that counts how tasks arrive (committed in place by the main thread, or written from
 * a worker's shared memory) and slows the main thread's tasks until a worker's first output
 * arrives, so that the workers, which join once warmed up, take part even in a small batch.
 */
class WorkersJoinSink implements Sink {
  committed = 0;
  fromWorkers = 0;
  readonly #file: FileSink;

  constructor(file: FileSink) {
    this.#file = file;
  }

  get description(): string {
    return this.#file.description;
  }
  get bytesWritten(): number {
    return this.#file.bytesWritten;
  }
  get closedByReader(): boolean {
    return false;
  }
  async write(chunk: Uint8Array): Promise<void> {
    if (chunk.buffer instanceof SharedArrayBuffer) this.fromWorkers++;
    await this.#file.write(chunk);
  }
  borrow(bytes: number): Promise<Uint8Array | undefined> {
    return this.#file.borrow(bytes);
  }
  async commit(bytes: number): Promise<void> {
    this.committed++;
    if (this.fromWorkers === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await this.#file.commit(bytes);
  }
  close(): Promise<void> {
    return this.#file.close();
  }
  abort(): Promise<void> {
    return this.#file.abort();
  }
}

/** Lines of a JSON Lines file, in a canonical order (so shards' files can be merged). */
function sortedLines(paths: string[]): string[] {
  return paths.flatMap((p) => readFileSync(p, 'utf8').trimEnd().split('\n')).sort();
}

async function unionEqualsWhole(args: string[], n: number): Promise<void> {
  const dir = tempDir();
  const whole = join(dir, 'whole.jsonl');
  expect((await runInProcess([...args, ...seeded, '--output', whole])).code).toBe(0);
  const parts: string[] = [];
  for (let k = 0; k < n; k++) {
    const part = join(dir, `part-${k}.jsonl`);
    expect((await runInProcess([...args, ...seeded, '--shard', `${k}/${n}`, '--output', part])).code).toBe(0);
    parts.push(part);
  }
  const union = sortedLines(parts);
  expect(union).toEqual(sortedLines([whole]));
  expect(new Set(union).size).toBe(union.length); // disjoint
}

describe('--shard k/n: the union of the shards is the unsharded output', () => {
  it.each([1, 2, 3, 5])('batch, n = %d', async (n) => {
    await unionEqualsWhole(['batch', '--count', '1003'], n);
  });

  it.each([2, 3])('stream --drift --fast, n = %d (same drift_progress at the same event time)', async (n) => {
    await unionEqualsWhole(['stream', '--rate', '600', '--duration', '1.5', '--drift', '--fast'], n);
  });

  it('drift --fast, n = 4', async () => {
    await unionEqualsWhole(['drift', '--duration', '2', '--rate', '300', '--fast'], 4);
  });

  it('lifecycle --fast, n = 3 (each shard owns whole journeys)', async () => {
    await unionEqualsWhole(['lifecycle', '--customers', '10', '--days', '63', '--fast'], 3);
    const dir = tempDir();
    await runInProcess([
      'lifecycle',
      '--customers',
      '10',
      '--days',
      '63',
      '--fast',
      ...seeded,
      '--shard',
      '1/3',
      '--output',
      join(dir, 'p.jsonl'),
    ]);
    const ids = new Set(sortedLines([join(dir, 'p.jsonl')]).map((l) => (JSON.parse(l) as CustomerRecord).customer_id));
    expect([...ids].sort()).toEqual(['cust_00000001', 'cust_00000004', 'cust_00000007']);
  });

  it('a shard keeps its share of the rate, in its own slots of the global schedule (real time)', async () => {
    const dir = tempDir();
    const result = await runChild([
      'stream',
      '--rate',
      '1200',
      '--duration',
      '0.05',
      '--seed',
      '2',
      '--start',
      '2026-01-01T00:00:00Z',
      '--shard',
      '1/2',
      '--output',
      join(dir, 's.jsonl'),
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/generated 30, acknowledged 30, failed 0;/);
    const achieved = Number(/, ([\d.]+)\/min \(asked 600\)/.exec(result.stderr)?.[1]);
    expect(Math.abs(achieved - 600) / 600).toBeLessThan(0.02);
    const times = sortedLines([join(dir, 's.jsonl')]).map(
      (l) => Date.parse((JSON.parse(l) as CustomerRecord).timestamp) - Date.parse('2026-01-01T00:00:00Z'),
    );
    expect(times.sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, j) => (1 + 2 * j) * 50)); // records 1, 3, 5, …
  });

  it.each(['3/3', '-1/2', 'a/b', '0/0', '1', '2/1'])('rejects --shard %s with exit 2', async (spec) => {
    const result = await runInProcess(['batch', '--count', '10', ...seeded, '--shard', spec, '--output', '-']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--shard: expected k/n with n ≥ 1 and 0 ≤ k < n, e.g. 0/4, got '${spec}'`);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
  });

  it('needs --seed and --start, so that shards agree', async () => {
    const result = await runInProcess(['batch', '--count', '10', '--shard', '0/2', '--output', '-']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--shard: needs --seed and --start');
  });
});

describe('--workers N: the same bytes as one thread', () => {
  it.each(['jsonl', 'json', 'csv'])('%s, 2 and 3 workers, count not a multiple of the task size', async (format) => {
    const dir = tempDir();
    const path = (w: number): string => join(dir, `w${w}.${format}`);
    for (const w of [1, 2, 3]) {
      expect(
        (await runChild(['batch', '--count', '10007', ...seeded, '--workers', String(w), '--output', path(w)])).code,
      ).toBe(0);
    }
    const one = readFileSync(path(1));
    expect(readFileSync(path(2)).equals(one)).toBe(true);
    expect(readFileSync(path(3)).equals(one)).toBe(true);
  });

  it('the main thread as a generator (in place, in direct I/O memory): same bytes, every level counted', async () => {
    const dir = tempDir();
    const options = { count: 60_003, seed: 4, start: 0, format: 'jsonl' as const };
    await writeBatch({ ...options, sink: await FileSink.open(join(dir, 'one.jsonl')) });
    const one = readFileSync(join(dir, 'one.jsonl'));
    // Small tasks (many hand-overs), and tasks over the default 2048 records (larger task buffers;
    // output that outgrew a buffer would still come out the same, through the overflow copy).
    for (const [workers, taskSize] of [
      [2, 97],
      [3, 97],
      [2, 2500],
    ] as const) {
      for (const counting of [false, true]) {
        const sink = new WorkersJoinSink(await FileSink.open(join(dir, `w${workers}-${taskSize}.jsonl`)));
        // With direct I/O (the file system allows it) the main thread generates in place.
        const inPlace = (await sink.borrow(1024)) !== undefined;
        const levels = { low: 0, medium: 0, high: 0 };
        await writeBatchParallel({
          ...options,
          sink,
          workers,
          taskSize,
          generateOnMainThread: true,
          onLevels: counting
            ? (task) => {
                for (const level of ['low', 'medium', 'high'] as const) levels[level] += task[level];
              }
            : undefined,
        });
        expect(readFileSync(join(dir, `w${workers}-${taskSize}.jsonl`)).equals(one)).toBe(true);
        // Both kinds of generator made tasks: in place (committed) and in workers' shared memory.
        expect(sink.committed > 0).toBe(inPlace);
        expect(sink.fromWorkers).toBeGreaterThan(0);
        if (counting) expect(levels.low + levels.medium + levels.high).toBe(options.count);
      }
    }
  });

  it('with a shard as well', async () => {
    const dir = tempDir();
    await runChild(['batch', '--count', '9000', ...seeded, '--shard', '1/3', '--output', join(dir, 'a.jsonl')]);
    await runChild([
      'batch',
      '--count',
      '9000',
      ...seeded,
      '--shard',
      '1/3',
      '--workers',
      '2',
      '--output',
      join(dir, 'b.jsonl'),
    ]);
    expect(readFileSync(join(dir, 'b.jsonl')).equals(readFileSync(join(dir, 'a.jsonl')))).toBe(true);
  });

  it('Ctrl-C with workers still leaves no file behind', async () => {
    const dir = tempDir();
    const result = await runChild(
      ['batch', '--count', '50000000', ...seeded, '--workers', '2', '--output', join(dir, 'big.jsonl')],
      { signal: 'SIGINT', afterMs: 1500 },
    );
    expect(result.code).toBe(130);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    [['--workers', '0', '--output', '-'], "--workers: expected a positive integer, got '0'"],
    [['--workers', '65', '--output', '-'], "--workers: expected at most 64, got '65'"],
  ])('%j is bad input', async (args, message) => {
    const result = await runInProcess(['batch', '--count', '10', ...seeded, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
