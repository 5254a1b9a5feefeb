/**
 * A full disk, a full stdout and a metrics port in use: in every mode and format one line, a
 * non-zero exit, no temporary file, and an existing target left as it was.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChild, tempDir } from '../support/cli.ts';
import { spawn } from 'node:child_process';
import { binPath } from '../support/cli.ts';

const seeded = ['--seed', '1', '--start', '2026-01-01T00:00:00Z'];
const isRoot = process.getuid?.() === 0;

/** A 1 MiB file system (tmpfs): mounting one needs root, so without root these tests are skipped. */
describe.skipIf(!isRoot)('a full disk (a 1 MiB tmpfs; needs root to mount)', () => {
  const full = join(tempDir(), 'full');
  beforeAll(() => {
    mkdirSync(full);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', full]);
  });
  afterAll(() => {
    execFileSync('umount', [full]);
  });

  it.each([
    ['batch jsonl', ['batch', '--count', '100000'], 'x.jsonl'],
    ['batch json', ['batch', '--count', '100000'], 'x.json'],
    ['batch csv', ['batch', '--count', '100000'], 'x.csv'],
    ['batch parquet', ['batch', '--count', '100000'], 'x.parquet'],
    ['batch --workers 2', ['batch', '--count', '100000', '--workers', '2'], 'x.jsonl'],
    ['stream, real clock', ['stream', '--rate', '600000', '--duration', '0.01'], 'x.jsonl'],
    ['stream --fast', ['stream', '--rate', '60000', '--duration', '0.5', '--fast'], 'x.csv'],
    ['stream parquet', ['stream', '--rate', '600000', '--duration', '0.05'], 'x.parquet'],
    ['drift --fast', ['drift', '--rate', '60000', '--duration', '0.1', '--fast'], 'x.jsonl'],
    ['lifecycle --fast', ['lifecycle', '--customers', '2000', '--days', '28', '--fast'], 'x.jsonl'],
  ])('%s: exit 1, one line, no temporary file, the old file kept', async (_name, args, file) => {
    const dir = mkdtempSync(join(full, 'case-'));
    const target = join(dir, file);
    writeFileSync(target, 'previous run\n');
    const result = await runChild([...args, ...seeded, '--quiet', '--output', target]);
    const left = readdirSync(dir);
    const kept = readFileSync(target, 'utf8');
    rmSync(dir, { recursive: true }); // room for the next case
    expect(result.stderr).toBe(`churn-datagen: writing ${target} failed: no space left on device\n`);
    expect(result.code).toBe(1);
    expect(left).toEqual([file]);
    expect(kept).toBe('previous run\n');
  });

  it.each([
    ['the control', 'control'],
    ['the main output', 'main'],
  ])('drift with %s on the full disk: neither file is left', async (_name, onFullDisk) => {
    const elsewhere = tempDir();
    const [main, control] =
      onFullDisk === 'control'
        ? [join(elsewhere, 'drift.jsonl'), join(full, 'control.jsonl')]
        : [join(full, 'drift.jsonl'), join(elsewhere, 'control.jsonl')];
    const result = await runChild([
      'drift',
      '--rate',
      '60000',
      '--duration',
      '0.1',
      '--fast',
      ...seeded,
      '--quiet',
      '--output',
      main,
      '--control-output',
      control,
    ]);
    const failed = onFullDisk === 'control' ? control : main;
    expect(result.stderr).toBe(`churn-datagen: writing ${failed} failed: no space left on device\n`);
    expect(result.code).toBe(1);
    expect(readdirSync(full)).toEqual([]);
    expect(readdirSync(elsewhere)).toEqual([]);
  });
});

/** Runs the CLI with stdout on /dev/full (every write fails: no space left on device). */
function toDevFull(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const stdout = openSync('/dev/full', 'w');
  const child = spawn(process.execPath, [binPath, ...args], { stdio: ['ignore', stdout, 'pipe'] });
  closeSync(stdout);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('--output - with stdout on /dev/full', () => {
  it.each([
    ['batch jsonl', ['batch', '--count', '100000']],
    ['batch csv', ['batch', '--count', '100000', '--format', 'csv']],
    ['batch --workers 2', ['batch', '--count', '100000', '--workers', '2']],
    ['batch parquet', ['batch', '--count', '100000', '--format', 'parquet']],
    ['stream, real clock', ['stream', '--rate', '6000', '--duration', '0.01']],
    ['drift --fast', ['drift', '--rate', '6000', '--duration', '1', '--fast']],
    ['lifecycle --fast', ['lifecycle', '--customers', '20', '--fast']],
  ])('%s: exit 1, one line', async (_name, args) => {
    const result = await toDevFull([...args, ...seeded, '--quiet', '--output', '-']);
    expect(result.stderr).toBe('churn-datagen: writing stdout failed: no space left on device\n');
    expect(result.code).toBe(1);
  });
});

describe('--metrics-port already in use', () => {
  let port = 0;
  const server = createServer();
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['batch', ['batch', '--count', '10', '--output', 'OUT/x.jsonl']],
    ['batch parquet', ['batch', '--count', '10', '--output', 'OUT/x.parquet']],
    ['stream', ['stream', '--rate', '60', '--duration', '0.1', '--output', 'OUT/x.jsonl']],
    [
      'drift with control and manifest',
      ['drift', '--output', 'OUT/x.jsonl', '--control-output', 'OUT/c.jsonl', '--manifest', 'OUT/m.json'],
    ],
    ['lifecycle', ['lifecycle', '--output', 'OUT/x.csv']],
  ])('%s: exit 2, one line naming the flag, no file', async (_name, args) => {
    const dir = tempDir();
    const result = await runChild([
      ...args.map((arg) => arg.replace('OUT', dir)),
      ...seeded,
      '--quiet',
      '--metrics-port',
      String(port),
    ]);
    expect(result.stderr).toMatch(
      new RegExp(`^churn-datagen: --metrics-port: cannot listen on 127\\.0\\.0\\.1:${port} \\(.*EADDRINUSE.*\\)\\n$`),
    );
    expect(result.code).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });
});
