/**
 * The replay line: whenever the start was not given (with or without a seed), every mode prints
 * `--seed S --start T` on stderr, and running again with those flags writes the same bytes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess, tempDir } from '../support/cli.ts';

const replayLine = /replay with (--seed \d+ --start \S+)\)/;

describe('replay line', () => {
  it.each([
    ['stream', ['stream', '--seed', '9', '--fast', '--duration', '0.5', '--rate', '600']],
    ['stream, no seed', ['stream', '--fast', '--duration', '0.5', '--rate', '600']],
    ['drift', ['drift', '--seed', '9', '--fast', '--duration', '5', '--rate', '120']],
    ['lifecycle', ['lifecycle', '--seed', '9', '--fast', '--customers', '5', '--days', '28']],
    ['batch', ['batch', '--seed', '9', '--count', '300']],
  ])(
    '%s: printed on stderr without --start; the printed flags reproduce the file byte for byte',
    async (_mode, args) => {
      const dir = tempDir();
      const first = await runInProcess([...args, '--output', join(dir, 'first.jsonl')]);
      expect(first.code).toBe(0);
      const replay = replayLine.exec(first.stderr);
      expect(replay, first.stderr).not.toBeNull();
      const flags = replay![1]!.split(' ');
      if (args.includes('--seed')) expect(flags[1]).toBe('9');
      const again = await runInProcess([
        ...args.filter((a, i) => a !== '--seed' && args[i - 1] !== '--seed'),
        ...flags,
        '--output',
        join(dir, 'again.jsonl'),
      ]);
      expect(again.code).toBe(0);
      expect(again.stderr).not.toMatch(replayLine); // seed and start given: nothing to replay
      const bytes = readFileSync(join(dir, 'first.jsonl'));
      expect(bytes.length).toBeGreaterThan(0);
      expect(readFileSync(join(dir, 'again.jsonl')).equals(bytes)).toBe(true);
    },
  );
});
