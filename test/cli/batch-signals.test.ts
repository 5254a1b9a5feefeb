/**
 * Ctrl-C during a batch is noticed promptly on every path: each format to a file, worker threads,
 * stdout (also when stdout is /dev/null, whose writes complete at once), and Parquet.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binPath, tempDir } from '../support/cli.ts';

/** Starts a batch far too large to finish, sends SIGINT once it is under way; how long until it said so. */
async function interrupt(args: string[]): Promise<{ code: number | null; stderr: string; reactionMs: number }> {
  const stdout = openSync('/dev/null', 'w');
  const child = spawn(
    process.execPath,
    [binPath, 'batch', '--count', '100000000', '--seed', '1', '--start', '2026-01-01T00:00:00Z', ...args],
    {
      stdio: ['ignore', stdout, 'pipe'],
    },
  );
  closeSync(stdout);
  let stderr = '';
  const signalled = { at: Number.NaN };
  let reactionMs = Number.NaN;
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (Number.isNaN(reactionMs) && stderr.includes('interrupted by SIGINT'))
      reactionMs = performance.now() - signalled.at;
  });
  // Well into the run: past start-up, the first row group, the worker threads' loading.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  signalled.at = performance.now();
  child.kill('SIGINT');
  // A run that ignores the signal is stopped, so that a failing test leaves no process behind.
  const stopper = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(stopper);
  return { code, stderr, reactionMs };
}

describe('SIGINT during a batch', () => {
  // On an idle machine the message comes some 50 ms after the signal; the bound leaves room for
  // the other test files and their child processes sharing the cores.
  it.each([
    ['jsonl file', ['--output', 'OUT/c.jsonl']],
    ['csv file', ['--output', 'OUT/c.csv']],
    ['json file', ['--output', 'OUT/c.json']],
    ['parquet file', ['--output', 'OUT/c.parquet']],
    ['2 workers to a file', ['--output', 'OUT/c.csv', '--workers', '2']],
    ['stdout on /dev/null', ['--output', '-']],
    ['2 workers to stdout on /dev/null', ['--output', '-', '--workers', '2']],
    ['parquet to stdout on /dev/null', ['--output', '-', '--format', 'parquet']],
  ])('%s: noticed within 1 s, exit 130, no file left', async (_name, args) => {
    const dir = tempDir();
    const result = await interrupt(args.map((arg) => arg.replace('OUT', dir)));
    expect(result.code).toBe(130);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/interrupted by SIGINT after \d+ records/);
    expect(result.reactionMs).toBeLessThan(1000);
    expect(readdirSync(dir)).toEqual([]);
  });
});
