import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess, tempDir } from '../support/cli.ts';

const fastDrift = [
  'drift',
  '--duration',
  '1',
  '--rate',
  '120',
  '--fast',
  '--seed',
  '1',
  '--start',
  '2026-01-01T00:00:00Z',
];

describe('logs on stderr', () => {
  it('text by default: short human lines', async () => {
    const { code, stderr } = await runInProcess([...fastDrift, '--output', join(tempDir(), 'd.jsonl')]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^churn-datagen: generated 120, acknowledged 120, failed 0; .*; seed 1\n$/);
  });

  it('--log-format json: one JSON object per line, with fields', async () => {
    const { code, stderr } = await runInProcess([
      ...fastDrift,
      '--log-format',
      'json',
      '--output',
      join(tempDir(), 'd.jsonl'),
    ]);
    expect(code).toBe(0);
    const lines = stderr
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', generated: 120, acknowledged: 120, failed: 0, seed: 1 });
    expect(Date.parse(String(lines[0]!.time))).not.toBeNaN();
  });

  it('--log-format json also for bad input (one JSON line, exit 2)', async () => {
    const { code, stderr } = await runInProcess(['batch', '--count', '0', '--log-format', 'json', '--output', '-']);
    expect(code).toBe(2);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'error',
      msg: "--count: expected a positive integer, got '0'",
    });
  });

  it('--quiet: nothing but warnings and errors; --verbose: details too', async () => {
    const quiet = await runInProcess([...fastDrift, '--quiet', '--output', join(tempDir(), 'd.jsonl')]);
    expect(quiet.stderr).toBe('');
    const verbose = await runInProcess([...fastDrift, '--verbose', '--output', join(tempDir(), 'd.jsonl')]);
    expect(verbose.stderr).toContain('churn-datagen: generated 120');
    expect(verbose.stderr).toMatch(/churn-datagen: lateness p50 .* ms/);
  });

  it('data on stdout never mixes with logs', async () => {
    const { stdout, stderr } = await runInProcess(['batch', '--count', '5', '--output', '-', '--log-format', 'json']);
    expect(
      stdout
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { customer_id: string }).customer_id),
    ).toHaveLength(5);
    expect(stdout).not.toContain('"level"');
    expect(stderr).toContain('"level":"info"');
  });

  it('rejects an unknown log format', async () => {
    const { code, stderr } = await runInProcess(['batch', '--log-format', 'xml', '--output', '-']);
    expect(code).toBe(2);
    expect(stderr).toContain("--log-format: expected one of text, json, got 'xml'");
  });
});

describe('--help of every mode', () => {
  it.each([
    [
      'batch',
      ['--count', '--output', '--format', '--seed', '--shard', '--workers', '--metrics-port', '--log-format'],
      'default: "100"',
    ],
    [
      'stream',
      ['--rate', '--duration', '--drift', '--low', '--fast', '--kafka-servers', '--topic', '--metrics-port'],
      'default: "60"',
    ],
    ['drift', ['--duration', '--rate', '--fast', '--output', '--kafka-servers'], 'default: "30"'],
    ['lifecycle', ['--customers', '--days', '--speed', '--fast', '--output'], 'default: "180"'],
  ] as const)('%s lists its flags with defaults and examples from the use cases', async (mode, flags, aDefault) => {
    const { code, stdout } = await runInProcess([mode, '--help']);
    expect(code).toBe(0);
    for (const flag of flags) expect(stdout).toContain(flag);
    expect(stdout.replace(/\s+/g, ' ')).toContain(aDefault); // help text wraps
    const examples = stdout
      .slice(stdout.indexOf('Examples:'))
      .split('\n')
      .filter((l) => l.trim().startsWith('churn-datagen '));
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });
});
