/**
 * openSink: each kind of destination from its config, writing records a reader gets back whole.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SyntheticDataGenerator } from '../../src/generator.ts';
import { openSink } from '../../src/sinks/open.ts';
import { tempDir } from '../support/cli.ts';

const records = new SyntheticDataGenerator({ seed: 3, start: 0, withOutcome: true }).generateBatch(50);

describe('openSink', () => {
  it('a file: JSON Lines with the optional fields asked for, published at close', async () => {
    const path = join(tempDir(), 'open.jsonl');
    const sink = await openSink({
      kind: 'file',
      path,
      format: 'jsonl',
      optionalFields: ['churned', 'churn_probability'],
    });
    await sink.write(records);
    expect((await sink.close()).acknowledged).toBe(50);
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(records);
  });

  it('a stream: CSV with its header, each record written at once when live', async () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const sink = await openSink({ kind: 'stream', stream, format: 'csv', live: true });
    await sink.write(records.slice(0, 1));
    await new Promise((resolve) => setImmediate(resolve));
    expect(text.split('\n')).toHaveLength(3); // header, the record, and the line end
    await sink.write(records.slice(1));
    await sink.close();
    expect(text.trimEnd().split('\n')).toHaveLength(51);
    expect(text.split('\n')[1]).toContain(records[0]?.customer_id);
  });

  it('a path that cannot be written is INVALID_ARGUMENT naming it', async () => {
    await expect(openSink({ kind: 'file', path: tempDir(), format: 'jsonl' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('is a directory') as unknown,
    });
  });
});
