import { constants, readdirSync, readFileSync } from 'node:fs';
import fsPromises from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STAGING_BYTES } from '../../src/sinks/direct-file.ts';
import { FileSink } from '../../src/sinks/file.ts';
import { writeBatch } from '../../src/modes/batch.ts';
import { tempDir } from '../support/cli.ts';

const hasDirectIo = (constants as { O_DIRECT?: number }).O_DIRECT !== undefined;

/** Deterministic bytes: position-dependent, so a misplaced or repeated block shows. */
function pattern(offset: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = 32 + (((offset + i) * 7919 + ((offset + i) >> 12)) % 95);
  return bytes;
}

/**
 * Writes `sizes` in turn (a positive size through write(), a negative one through borrow() and
 * commit(), with one borrow abandoned on the way) and returns what the file should hold.
 */
async function writeSequence(sink: FileSink, sizes: readonly number[]): Promise<Buffer> {
  let offset = 0;
  for (const [i, size] of sizes.entries()) {
    const length = Math.abs(size);
    const bytes = pattern(offset, length);
    const lent = size < 0 ? await sink.borrow(length) : undefined;
    if (lent === undefined) await sink.write(bytes);
    else {
      if (i % 3 === 0) {
        lent.fill(0x21, 0, Math.min(lent.length, 100)); // abandoned: not committed, so never written
        const again = await sink.borrow(length);
        again?.set(bytes);
        await sink.commit(length);
      } else {
        lent.set(bytes);
        await sink.commit(length);
      }
    }
    offset += length;
  }
  return pattern(0, offset);
}

describe('FileSink with direct I/O', () => {
  it.skipIf(!hasDirectIo)('writes regular files directly where the file system allows it', async () => {
    const dir = tempDir();
    const sink = await FileSink.open(join(dir, 'direct.jsonl'));
    expect(sink.direct).toBe(true);
    await sink.abort();
    const buffered = await FileSink.open(join(dir, 'buffered.jsonl'), { directIo: false });
    expect(buffered.direct).toBe(false);
    await buffered.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  const cases: [string, number[]][] = [
    ['an empty file', []],
    ['a file under one block (only the tail)', [1, 100, 3000]],
    ['whole blocks, no tail', [4096, 8192, -4096, 4096 * 300]],
    ['block edges', [4095, 1, 4097, -4095, 2, -1, 0, 4094]],
    ['writes larger than a staging buffer', [5_000_000, -1_000_000, STAGING_BYTES + 600_001, 3]],
    [
      'many mixed writes crossing staging buffers',
      Array.from({ length: 800 }, (_, i) => ((i * 104_729) % 65_537) * (i % 4 === 1 ? -1 : 1)),
    ],
  ];

  it.each(cases)('keeps every byte in place: %s', async (_label, sizes) => {
    for (const directIo of [true, false]) {
      const target = join(tempDir(), 'out.bin');
      const sink = await FileSink.open(target, { directIo });
      const expected = await writeSequence(sink, sizes);
      await sink.close();
      expect(sink.bytesWritten).toBe(expected.length);
      expect(readFileSync(target).equals(expected)).toBe(true);
    }
  });

  it('takes chunks in shared memory at any alignment (worker threads write there)', async () => {
    const target = join(tempDir(), 'shared.bin');
    const sink = await FileSink.open(target);
    const shared = new Uint8Array(new SharedArrayBuffer(STAGING_BYTES));
    let offset = 0;
    for (const [start, length] of [
      [0, 5000],
      [3, 70_001],
      [8, 4096],
      [5, 1],
      [1, 900_000],
      [7, 123_457],
      [6, STAGING_BYTES - 600_001], // pieces across a staging buffer's end
    ] as const) {
      shared.set(pattern(offset, length), start);
      await sink.write(shared.subarray(start, start + length));
      offset += length;
    }
    await sink.close();
    expect(offset).toBeGreaterThan(STAGING_BYTES);
    expect(readFileSync(target).equals(pattern(0, offset))).toBe(true);
  });

  it.skipIf(!hasDirectIo)('goes on through the page cache when the file system refuses a direct write', async () => {
    // A file system that takes O_DIRECT at open but refuses the writes (EINVAL), simulated by
    // wrapping open(): descriptors opened with O_DIRECT refuse every write.
    const realOpen = fsPromises.open;
    const direct = (constants as { O_DIRECT?: number }).O_DIRECT ?? 0;
    fsPromises.open = (async (path: string, flags?: string | number, mode?: number) => {
      const handle = await realOpen(path, flags, mode);
      if (typeof flags === 'number' && (flags & direct) !== 0) {
        handle.write = () =>
          Promise.reject(Object.assign(new Error('EINVAL: invalid argument, write'), { code: 'EINVAL' }));
      }
      return handle;
    }) as typeof fsPromises.open;
    syncBuiltinESMExports();
    try {
      const target = join(tempDir(), 'refused.bin');
      const sink = await FileSink.open(target);
      expect(sink.direct).toBe(true);
      const expected = await writeSequence(sink, [5_000_000, -70_000, 4096, 9_000_001, 17]);
      await sink.close();
      expect(sink.direct).toBe(false);
      expect(readFileSync(target).equals(expected)).toBe(true);
    } finally {
      fsPromises.open = realOpen;
      syncBuiltinESMExports();
    }
  });

  it('gives the same batch file either way, encoded in place or copied', async () => {
    const files = [];
    for (const directIo of [true, false]) {
      const target = join(tempDir(), 'batch.jsonl');
      const sink = await FileSink.open(target, { directIo });
      await writeBatch({ count: 20_000, seed: 11, start: 0, format: 'jsonl', sink, chunkBytes: 300_000 });
      files.push(readFileSync(target));
    }
    expect(files[0]!.equals(files[1]!)).toBe(true);
    expect(files[0]!.toString('utf8').split('\n')).toHaveLength(20_001);
  });
});
