import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CustomerRecord } from '../../src/core/schema.ts';
import { brokenInvariant } from '../support/invariants.ts';
import { runChild, runInProcess, tempDir } from '../support/cli.ts';

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

// Bad input of every mode: bad-input.test.ts.

describe('batch', () => {
  it('writes byte-identical files for the same seeded command, without --start', async () => {
    const dir = tempDir();
    const a = join(dir, 'a.jsonl');
    const b = join(dir, 'b.jsonl');
    expect((await runChild(['batch', '--count', '20000', '--seed', '42', '--output', a])).code).toBe(0);
    expect((await runChild(['batch', '--count', '20000', '--seed', '42', '--output', b])).code).toBe(0);
    expect(sha256(a)).toBe(sha256(b));
    const lines = readFileSync(a, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(20_000);
    for (const line of lines) expect(brokenInvariant(JSON.parse(line) as CustomerRecord)).toBeUndefined();
  });

  it('seed 0 is a seed; different seeds differ', async () => {
    const run = async (seed: string): Promise<string> =>
      (await runInProcess(['batch', '--count', '200', '--seed', seed, '--output', '-', '--quiet'])).stdout;
    expect(await run('0')).toBe(await run('0'));
    expect(await run('0')).not.toBe(await run('1'));
  });

  it('without --seed prints a seed and start that replay the run exactly', async () => {
    const dir = tempDir();
    const first = await runInProcess(['batch', '--count', '500', '--output', join(dir, 'a.csv')], {
      now: () => Date.UTC(2026, 5, 1, 12),
    });
    const replay = /replay with (--seed \d+ --start \S+)\)/.exec(first.stderr);
    expect(replay).not.toBeNull();
    const again = await runInProcess([
      'batch',
      '--count',
      '500',
      ...replay![1]!.split(' '),
      '--output',
      join(dir, 'b.csv'),
    ]);
    expect(again.code).toBe(0);
    expect(sha256(join(dir, 'a.csv'))).toBe(sha256(join(dir, 'b.csv')));
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toContain(',2026-06-01T12:00:00.000Z,');
  });

  it('--start sets the event time of the first record; records follow one second apart', async () => {
    const { stdout } = await runInProcess([
      'batch',
      '--count',
      '3',
      '--seed',
      '1',
      '--start',
      '2030-05-06T07:08:09Z',
      '--output',
      '-',
    ]);
    expect(
      stdout
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as CustomerRecord).timestamp),
    ).toEqual(['2030-05-06T07:08:09.000Z', '2030-05-06T07:08:10.000Z', '2030-05-06T07:08:11.000Z']);
  });

  it('--format overrides the extension; --output - writes JSON Lines to stdout', async () => {
    const dir = tempDir();
    const path = join(dir, 'data.jsonl');
    expect(
      (await runInProcess(['batch', '--count', '5', '--seed', '3', '--format', 'csv', '--output', path])).code,
    ).toBe(0);
    expect(readFileSync(path, 'utf8').split('\n')[0]).toMatch(/^customer_id,true_risk_level,timestamp,/);
    const { stdout } = await runInProcess(['batch', '--count', '5', '--seed', '3', '--output', '-']);
    expect(stdout.trimEnd().split('\n')).toHaveLength(5);
    const json = await runInProcess([
      'batch',
      '--count',
      '5',
      '--seed',
      '3',
      '--format',
      'json',
      '--output',
      '-',
      '--quiet',
    ]);
    expect(JSON.parse(json.stdout)).toHaveLength(5);
    expect(json.stderr).toBe('');
  });

  it('honours the mix flags (normalised)', async () => {
    const { stdout } = await runInProcess([
      'batch',
      '--count',
      '3000',
      '--seed',
      '5',
      '--low',
      '0',
      '--medium',
      '1',
      '--high',
      '3',
      '--output',
      '-',
    ]);
    const levels = stdout
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as CustomerRecord).true_risk_level);
    expect(levels).not.toContain('low');
    expect(levels.filter((l) => l === 'high').length / levels.length).toBeCloseTo(0.75, 1);
  });

  it('Ctrl-C mid-run: exit 130, no output file and no temporary file left', async () => {
    const dir = tempDir();
    const result = await runChild(['batch', '--count', '50000000', '--seed', '1', '--output', join(dir, 'big.jsonl')], {
      signal: 'SIGINT',
      afterMs: 1500,
    });
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/interrupted by SIGINT after \d+ records; '.*big\.jsonl' was not written/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('SIGTERM mid-run exits 143 and also leaves nothing behind', async () => {
    const dir = tempDir();
    const result = await runChild(['batch', '--count', '50000000', '--output', join(dir, 'big.csv')], {
      signal: 'SIGTERM',
      afterMs: 1500,
    });
    expect(result.code).toBe(143);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('stops quietly when the reader closes the pipe (| head)', async () => {
    const { spawnSync } = await import('node:child_process');
    const { binPath } = await import('../support/cli.ts');
    const started = Date.now();
    const result = spawnSync(
      'bash',
      [
        '-c',
        `set -o pipefail; "${process.execPath}" "${binPath}" batch --count 100000000 --output - --quiet | head -n 3`,
      ],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(result.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000); // 100M records would take minutes: it stopped early
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(result.stderr).toBe('');
  });

  it('help piped into head is no error either', async () => {
    const { spawnSync } = await import('node:child_process');
    const { binPath } = await import('../support/cli.ts');
    const result = spawnSync(
      'bash',
      ['-c', `set -o pipefail; "${process.execPath}" "${binPath}" drift --help | head -n 1`],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('Usage: churn-datagen drift [options]\n');
  });

  it('an existing file is replaced only when the new one is complete', async () => {
    const dir = tempDir();
    const path = join(dir, 'c.json');
    await runInProcess(['batch', '--count', '10', '--seed', '1', '--output', path]);
    const before = readFileSync(path, 'utf8');
    expect((await runInProcess(['batch', '--count', '0', '--output', path])).code).toBe(2);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(existsSync(path)).toBe(true);
  });
});

describe('help and version', () => {
  it('--help lists the flags with defaults and examples', async () => {
    const { code, stdout } = await runInProcess(['batch', '--help']);
    expect(code).toBe(0);
    for (const flag of [
      '--count',
      '--output',
      '--format',
      '--seed',
      '--start',
      '--low',
      '--medium',
      '--high',
      '--overlap',
      '--quiet',
    ]) {
      expect(stdout).toContain(flag);
    }
    expect(stdout).toContain('default: "100"');
    expect(stdout).toContain('churn-datagen batch --count 1000000 --seed 42 --output customers.jsonl');
  });

  it('--version prints the package version', async () => {
    const { code, stdout } = await runInProcess(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
  });

  it('no arguments: help on stderr, exit 2', async () => {
    const { code, stderr } = await runInProcess([]);
    expect(code).toBe(2);
    expect(stderr).toContain('Usage: churn-datagen');
  });
});
