/**
 * Lifecycle at scale: 100,000 journeys stream in event-time order with one small state per
 * customer, and a signal stops the run promptly (within 0.5 s), with the summary printed.
 * Timings and memory per customer count are in `npm run bench:lifecycle`; here only behaviour.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath, tempDir } from '../support/cli.ts';

describe('lifecycle --customers 100000 --fast', () => {
  it('is writing records within seconds, and stops within 0.5 s of SIGINT with a summary', async () => {
    const dir = tempDir();
    const output = join(dir, 'journeys.jsonl');
    const child = spawn(
      process.execPath,
      [
        binPath,
        'lifecycle',
        '--customers',
        '100000',
        '--fast',
        '--seed',
        '3',
        '--start',
        '2026-01-01T00:00:00Z',
        '--output',
        output,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
      child.on('close', (code) => resolve({ code, at: performance.now() })),
    );
    // Wait until the temporary file holds records: the run streams instead of building it all first.
    const temporary = (): string | undefined => readdirSync(dir).find((name) => name.endsWith('.tmp'));
    const deadline = performance.now() + 30_000;
    for (;;) {
      const name = temporary();
      if (name !== undefined && readFileSync(join(dir, name)).length > 1_000_000) break;
      if (performance.now() > deadline) throw new Error(`no records written after 30 s: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const signalledAt = performance.now();
    child.kill('SIGINT');
    const { at } = await exited;
    expect(at - signalledAt).toBeLessThan(500);
    expect(stderr).toMatch(/generated \d+/);
    expect(existsSync(output) || temporary() === undefined).toBe(true); // nothing half-written left behind
  }, 60_000);
});
