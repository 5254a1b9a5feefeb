/**
 * Outputs that would overwrite each other are bad input: two of --output, --control-output and
 * --manifest naming one file (however spelt), or the control topic equal to the data topic.
 */
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChild, tempDir } from '../support/cli.ts';

const drift = ['drift', '--duration', '1', '--rate', '60', '--fast', '--seed', '1', '--start', '2026-01-01T00:00:00Z'];

describe('outputs that are one file or one topic', () => {
  it.each([
    [
      '--output x.jsonl --control-output ./x.jsonl',
      ['--output', 'x.jsonl', '--control-output', './x.jsonl'],
      "--control-output: same output as --output ('x.jsonl' and './x.jsonl' are one file); give each its own",
    ],
    [
      'a relative and an absolute path',
      ['--output', 'x.jsonl', '--control-output', 'DIR/x.jsonl'],
      "--control-output: same output as --output ('x.jsonl' and 'DIR/x.jsonl' are one file); give each its own",
    ],
    [
      'a symlink to an existing file',
      ['--output', 'existing.jsonl', '--control-output', 'link.jsonl'],
      "--control-output: same output as --output ('existing.jsonl' and 'link.jsonl' are one file); give each its own",
    ],
    [
      'a new file through a symlinked directory',
      ['--output', 'sub/x.jsonl', '--control-output', 'sublink/x.jsonl'],
      "--control-output: same output as --output ('sub/x.jsonl' and 'sublink/x.jsonl' are one file); give each its own",
    ],
    [
      '--manifest = --output',
      ['--output', 'x.jsonl', '--manifest', 'x.jsonl'],
      "--manifest: same output as --output ('x.jsonl' and 'x.jsonl' are one file); give each its own",
    ],
    [
      '--manifest = --control-output',
      ['--output', 'x.jsonl', '--control-output', 'c.jsonl', '--manifest', './c.jsonl'],
      "--manifest: same output as --control-output ('c.jsonl' and './c.jsonl' are one file); give each its own",
    ],
    [
      'both on stdout',
      ['--output', '-', '--control-output', '-'],
      '--control-output: same output as --output (stdout); give each its own',
    ],
    [
      '--control-topic = the default --topic',
      ['--control-topic', 'ml.predictions'],
      "--control-topic: same topic as --topic ('ml.predictions'); the control stream needs its own topic",
    ],
    [
      '--control-topic = --topic',
      ['--topic', 'churn', '--control-topic', 'churn'],
      "--control-topic: same topic as --topic ('churn'); the control stream needs its own topic",
    ],
  ])('%s: exit 2, one line naming both flags, nothing written', async (_name, args, message) => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    symlinkSync(join(dir, 'sub'), join(dir, 'sublink'));
    writeFileSync(join(dir, 'existing.jsonl'), 'kept\n');
    symlinkSync(join(dir, 'existing.jsonl'), join(dir, 'link.jsonl'));
    const before = readdirSync(dir).sort();
    const result = await runChild(
      [...drift, ...args.map((arg) => arg.replace('DIR', dir))],
      // No broker: a refused topic must be refused before any connection is tried.
      { cwd: dir, env: { KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:1' } },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`churn-datagen: ${message.replaceAll('DIR', dir)}\n`);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(readdirSync(join(dir, 'sub'))).toEqual([]);
    expect(readFileSync(join(dir, 'existing.jsonl'), 'utf8')).toBe('kept\n');
  });

  it('different files and topics are fine', async () => {
    const dir = tempDir();
    const result = await runChild(
      [...drift, '--output', 'x.jsonl', '--control-output', 'c.jsonl', '--manifest', 'm.json', '--quiet'],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['c.jsonl', 'm.json', 'x.jsonl']);
  });
});
