/**
 * A real-time run to a file can be followed while it runs: each record is in the growing
 * (temporary) file within a second of its due time, and the run names that file on stderr.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath, tempDir } from '../support/cli.ts';

interface FollowedRun {
  code: number | null;
  stderr: string;
  /** Wall-clock time at which each line was first seen complete in the temporary file. */
  seenAt: number[];
  startMs: number;
  finalLines: string[];
}

/** Runs the CLI writing `name` in a fresh directory, reading the growing file every 20 ms. */
async function follow(args: string[], name: string): Promise<FollowedRun & { dir: string }> {
  const dir = tempDir();
  const child = spawn(process.execPath, [binPath, ...args, '--output', join(dir, name)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const seenAt: number[] = [];
  const look = (): void => {
    // The temporary file, or once the run has ended, the file it was renamed to (the same file).
    const files = readdirSync(dir);
    const growing = files.find((file) => file.endsWith('.tmp')) ?? files.find((file) => file === name);
    if (growing === undefined) return;
    let text: string;
    try {
      text = readFileSync(join(dir, growing), 'utf8');
    } catch {
      return; // renamed between the listing and the read
    }
    const complete = text.split('\n').length - 1;
    while (seenAt.length < complete) seenAt.push(Date.now());
  };
  const poll = setInterval(look, 20);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(poll);
  look(); // the last record may come just before the end: it was there by now at the latest
  const start = /--start (\S+)\)/.exec(stderr)?.[1];
  return {
    dir,
    code,
    stderr,
    seenAt,
    startMs: start === undefined ? Number.NaN : Date.parse(start),
    finalLines: readFileSync(join(dir, name), 'utf8').trimEnd().split('\n'),
  };
}

describe('following a real-time run to a file', () => {
  // One record a second for five seconds: record k is due k seconds after the start.
  it.each([
    ['stream', ['stream', '--rate', '60', '--duration', '0.08']],
    ['drift', ['drift', '--rate', '60', '--duration', '0.08']],
    ['lifecycle', ['lifecycle', '--customers', '1', '--days', '28', '--speed', '7']],
  ])('%s: each record is in the file within a second of its due time', async (_mode, args) => {
    const run = await follow(args, 'live.jsonl');
    expect(run.code).toBe(0);
    expect(run.finalLines).toHaveLength(5);
    expect(readdirSync(run.dir)).toEqual(['live.jsonl']);
    expect(run.seenAt).toHaveLength(5);
    run.seenAt.forEach((seen, k) => {
      const due = run.startMs + k * 1000;
      expect(seen - due, `record ${k}`).toBeLessThan(1000);
    });
    // What the user is told to follow is the file that grew.
    expect(run.stderr).toMatch(/to follow it as it grows: tail -f \S*\/\.live\.jsonl\.\d+-[0-9a-f]{8}\.tmp \(renamed/);
  });
});
