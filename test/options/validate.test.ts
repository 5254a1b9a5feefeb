/**
 * Every library entry point checks its options the same way: a bad value is a DatagenError
 * INVALID_ARGUMENT naming the option, before anything is generated or opened.
 */
import { describe, expect, it } from 'vitest';
import { DatagenError } from '../../src/errors.ts';
import { SyntheticDataGenerator } from '../../src/generator.ts';
import { batchRecords, writeBatch } from '../../src/modes/batch.ts';
import { lifecycleSource } from '../../src/modes/lifecycle.ts';
import { writeBatchParallel } from '../../src/modes/parallel-batch.ts';
import { streamSource } from '../../src/modes/stream.ts';
import { StreamSink } from '../../src/sinks/stream.ts';
import { PassThrough } from 'node:stream';

const start = '2026-01-01T00:00:00Z';
const startMs = Date.parse(start);

/** Runs `make` and returns the error it throws (or rejects with). */
async function errorOf(make: () => unknown): Promise<unknown> {
  try {
    const result = make();
    if (result instanceof Promise) await result;
    else if (result !== null && typeof result === 'object' && Symbol.iterator in result)
      Array.from(result as Iterable<unknown>); // a lazy batch checks on first use
  } catch (error) {
    return error;
  }
  return undefined;
}

const entryPoints = {
  generator: (o: Record<string, unknown>) => new SyntheticDataGenerator({ start, ...o }),
  batchRecords: (o: Record<string, unknown>) => batchRecords({ count: 1, seed: 1, start, ...o }),
  writeBatch: (o: Record<string, unknown>) =>
    writeBatch({ count: 1, seed: 1, start, format: 'jsonl', sink: new StreamSink(new PassThrough(), 'test'), ...o }),
  writeBatchParallel: (o: Record<string, unknown>) =>
    writeBatchParallel({
      count: 1,
      seed: 1,
      start,
      format: 'jsonl',
      sink: new StreamSink(new PassThrough(), 'test'),
      workers: 1,
      ...o,
    }),
  streamSource: (o: Record<string, unknown>) => streamSource({ seed: 1, startMs, durationMinutes: 1, ...o }),
  lifecycleSource: (o: Record<string, unknown>) => lifecycleSource({ seed: 1, startMs, ...o }),
};

describe('options checked at every entry point', () => {
  it.each([
    [{ seed: -1.5 }, /^seed must be a non-negative integer/],
    [{ seed: Number.NaN }, /^seed must be a non-negative integer/],
    [{ overlap: 7 }, /^overlap must be a number from 0 to 1, got 7/],
    [{ riskDistribution: { low: -1, medium: 1, high: 1 } }, /share/i],
    [{ shard: { index: 2, count: 2 } }, /^Shard must be k\/n/],
  ])('%j', async (bad, message) => {
    for (const [name, make] of Object.entries(entryPoints)) {
      // lifecycle journeys have no mix or label noise of their own
      if (name === 'lifecycleSource' && ('overlap' in bad || 'riskDistribution' in bad)) continue;
      if (name === 'generator' && 'shard' in bad) continue;
      const error = await errorOf(() => make(bad));
      expect(error, name).toBeInstanceOf(DatagenError);
      expect((error as DatagenError).code, name).toBe('INVALID_ARGUMENT');
      expect((error as Error).message, name).toMatch(message);
      if ('seed' in bad || 'overlap' in bad) expect((error as DatagenError).option, name).toBe(Object.keys(bad)[0]);
    }
  });

  it.each([
    ['batchRecords', () => batchRecords({ count: -1, seed: 1, start }), /^count must be a non-negative integer/],
    ['batchRecords', () => batchRecords({ count: 1, seed: 1, start: 'yesterday' }), /^start must be a time/],
    [
      'streamSource',
      () => streamSource({ seed: 1, startMs, ratePerMinute: Infinity }),
      /^ratePerMinute must be a positive/,
    ],
    ['streamSource', () => streamSource({ seed: 1, startMs: Number.NaN }), /^startMs must be an integer/],
    ['lifecycleSource', () => lifecycleSource({ seed: 1, startMs, speed: Infinity }), /^speed must be a positive/],
    [
      'lifecycleSource',
      () => lifecycleSource({ seed: 1, startMs, customers: 1.5 }),
      /^customers must be a positive integer/,
    ],
    ['writeBatchParallel', () => entryPoints.writeBatchParallel({ workers: 0 }), /^workers must be a positive integer/],
  ])('%s', async (_name, make, message) => {
    const error = await errorOf(make);
    expect(error).toBeInstanceOf(DatagenError);
    expect((error as Error).message).toMatch(message);
    // The option refused, by name, for a caller (the CLI) to map to its own words.
    expect((error as DatagenError).option).toBe(/^(\w+) must/.exec((error as Error).message)?.[1]);
  });
});
