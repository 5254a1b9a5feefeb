import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatagenError } from '../../src/errors.ts';
import { FileSink } from '../../src/sinks/file.ts';
import { tempDir } from '../support/cli.ts';

const bytes = (text: string): Uint8Array => Buffer.from(text);

describe('FileSink', () => {
  it('writes under a temporary name beside the target and renames when closed', async () => {
    const dir = tempDir();
    const target = join(dir, 'out.jsonl');
    const sink = await FileSink.open(target);
    await sink.write(bytes('a\n'));
    await sink.write(bytes('b\n'));
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(dir)).toEqual([expect.stringMatching(/^\.out\.jsonl\.\d+-[0-9a-f]{8}\.tmp$/)]);
    await sink.close();
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
    expect(readFileSync(target, 'utf8')).toBe('a\nb\n');
    expect(sink.bytesWritten).toBe(4);
  });

  it('abort removes the temporary file and leaves an existing target untouched', async () => {
    const dir = tempDir();
    const target = join(dir, 'out.csv');
    writeFileSync(target, 'previous run\n');
    const sink = await FileSink.open(target);
    await sink.write(bytes('half a file'));
    await sink.abort();
    expect(readdirSync(dir)).toEqual(['out.csv']);
    expect(readFileSync(target, 'utf8')).toBe('previous run\n');
  });

  it('keeps chunks intact when the caller alternates two buffers', async () => {
    const dir = tempDir();
    const target = join(dir, 'big.txt');
    const sink = await FileSink.open(target);
    const buffers = [Buffer.alloc(1 << 20), Buffer.alloc(1 << 20)];
    for (let i = 0; i < 20; i++) {
      const buffer = buffers[i % 2]!;
      buffer.fill(65 + i);
      await sink.write(buffer);
    }
    await sink.close();
    const written = readFileSync(target);
    for (let i = 0; i < 20; i++) expect(written[i * (1 << 20) + 12345]).toBe(65 + i);
  });

  it('writes special files directly, never renaming over them', async () => {
    const devNull = await FileSink.open('/dev/null');
    await devNull.write(bytes('discarded'));
    await devNull.close();
    const dir = tempDir();
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let received = '';
    reader.stdout.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const closed = new Promise((resolve) => reader.on('close', resolve));
    const sink = await FileSink.open(fifo);
    await sink.write(bytes('through the fifo\n'));
    await sink.close();
    await closed;
    expect(received).toBe('through the fifo\n');
    expect(readdirSync(dir)).toEqual(['pipe']);
  });

  it.each([
    ['/nonexistent-dir/x.jsonl', "directory '/nonexistent-dir' does not exist"],
    ['/', "'/' is a directory"],
    ['/etc/passwd/x.jsonl', "'/etc/passwd' is not a directory"],
  ])('refuses %s before writing anything', async (path, message) => {
    await expect(FileSink.open(path)).rejects.toThrow(new DatagenError('INVALID_ARGUMENT', message));
  });

  it('reports a full disk as an OUTPUT error and removes its temporary file', async () => {
    if (!existsSync('/dev/full')) return;
    // /dev/full is a special file, so it is written directly; every write fails with ENOSPC.
    const sink = await FileSink.open('/dev/full');
    await sink.write(bytes('x'.repeat(10_000)));
    await expect(sink.close()).rejects.toThrow('writing /dev/full failed: no space left on device');
  });
});
