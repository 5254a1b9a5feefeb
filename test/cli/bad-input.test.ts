/**
 * Bad input, every flag of every mode (SPEC §7): exit 2, exactly one line on stderr naming the
 * flag and the value, no stack trace, nothing on stdout, and nothing in the target directory
 * (neither the output nor a temporary file). Each case is [mode and flags, text the line must
 * contain]; `--output OUT` is added unless the case names its own output.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChild, runInProcess, tempDir } from '../support/cli.ts';
import type { CliResult } from '../support/cli.ts';

type Case = [args: string[], message: string];

/** Flags every mode has (seed, start, shard, output, Kafka, logs, metrics). */
function commonCases(mode: string, base: string[]): Case[] {
  const run = (...args: string[]): string[] => [mode, ...base, ...args];
  return [
    [run('--seed', '-1'), "--seed: expected a non-negative integer up to 9007199254740991, got '-1'"],
    [run('--seed', '4.2'), "--seed: expected a non-negative integer up to 9007199254740991, got '4.2'"],
    [run('--seed', 'abc'), "--seed: expected a non-negative integer up to 9007199254740991, got 'abc'"],
    [
      run('--seed', '99999999999999999999'),
      "--seed: expected a non-negative integer up to 9007199254740991, got '99999999999999999999'",
    ],
    [
      run('--start', 'yesterday'),
      "--start: expected an ISO-8601 time such as 2026-01-01T00:00:00Z (years 1970-9999), got 'yesterday'",
    ],
    [
      run('--start', '1969-12-31T23:59:59Z'),
      "--start: expected an ISO-8601 time such as 2026-01-01T00:00:00Z (years 1970-9999), got '1969-12-31T23:59:59Z'",
    ],
    [
      run('--start', '+010000-01-01T00:00:00Z'),
      "--start: expected an ISO-8601 time such as 2026-01-01T00:00:00Z (years 1970-9999), got '+010000-01-01T00:00:00Z'",
    ],
    [run('--start', '9999-12-31T23:59:58Z'), '--start: event times would pass 9999-12-31T23:59:59.999Z ('],
    [
      run('--shard', '2/2', '--seed', '1', '--start', '2026-01-01T00:00:00Z'),
      "--shard: expected k/n with n ≥ 1 and 0 ≤ k < n, e.g. 0/4, got '2/2'",
    ],
    [
      run('--shard', 'half', '--seed', '1', '--start', '2026-01-01T00:00:00Z'),
      "--shard: expected k/n with n ≥ 1 and 0 ≤ k < n, e.g. 0/4, got 'half'",
    ],
    [run('--shard', '0/2'), '--shard: needs --seed and --start'],
    [run('--output', 'MISSING_DIR'), "--output: directory '"],
    [run('--output', 'NO_FORMAT'), "--output: cannot tell the format of '"],
    [run('--format', 'xml'), "--format: expected one of jsonl, json, csv, parquet, got 'xml'"],
    [run('--kafka-servers', ''), "--kafka-servers: expected a comma-separated list of host:port, got ''"],
    [
      run('--kafka-servers', 'a:1,,b:2'),
      "--kafka-servers: expected a comma-separated list of host:port, got 'a:1,,b:2'",
    ],
    [
      run('--kafka-servers', 'localhost:99999'),
      "--kafka-servers: expected a comma-separated list of host:port, got 'localhost:99999'",
    ],
    [run('--topic', ' '), "--topic: expected a topic name, got ''"],
    [run('--compression', 'brotli'), "--compression: expected one of none, gzip, snappy, lz4, zstd, got 'brotli'"],
    [run('--delivery-timeout', '0'), "--delivery-timeout: expected a number from 1 to 86400, got '0'"],
    [run('--delivery-timeout', '1e9'), "--delivery-timeout: expected a number from 1 to 86400, got '1e9'"],
    [run('--delivery-timeout', 'soon'), "--delivery-timeout: expected a number from 1 to 86400, got 'soon'"],
    [run('--log-format', 'xml'), "--log-format: expected one of text, json, got 'xml'"],
    [run('--metrics-port', '70000'), "--metrics-port: expected a port number from 0 to 65535, got '70000'"],
    [run('--metrics-port', 'http'), "--metrics-port: expected a port number from 0 to 65535, got 'http'"],
    [
      run('--metrics-host', 'no such host!', '--metrics-port', '0'),
      "--metrics-host: expected an IP address or a host name, got 'no such host!'",
    ],
    [run('--quiet=yes'), "unknown option '--quiet=yes'"],
    [run('--verbose=1'), "unknown option '--verbose=1'"],
    [run('--colour', 'red'), "unknown option '--colour'"],
    [run('--output', 'OUT', '--seed'), "option '--seed <n>' argument missing"],
  ];
}

/** --low/--medium/--high, in the modes that take a mix. */
function mixCases(mode: string, base: string[]): Case[] {
  const run = (...args: string[]): string[] => [mode, ...base, ...args];
  return [
    [
      run('--low', '0', '--medium', '0', '--high', '0'),
      '--low/--medium/--high: shares must not all be zero, got 0/0/0',
    ],
    [run('--low', '-1'), "--low: expected a non-negative number, got '-1'"],
    [run('--medium', 'abc'), "--medium: expected a non-negative number, got 'abc'"],
    [run('--high', '-0.2'), "--high: expected a non-negative number, got '-0.2'"],
    [run('--high', '1e400'), "--high: expected a non-negative number up to 1000000, got '1e400'"],
    [run('--overlap', '1.5'), "--overlap: expected a number from 0 to 1, got '1.5'"],
    [run('--overlap', 'some'), "--overlap: expected a number from 0 to 1, got 'some'"],
  ];
}

const fastStream = ['--duration', '0.1', '--fast'];
const fastDrift = ['--duration', '1', '--fast'];

const cases: Record<string, Case[]> = {
  batch: [
    [['batch', '--count', '-5'], "--count: expected a positive integer, got '-5'"],
    [['batch', '--count', '0'], "--count: expected a positive integer, got '0'"],
    [['batch', '--count', 'lots'], "--count: expected a positive integer, got 'lots'"],
    [['batch', '--count', '1.5'], "--count: expected a positive integer, got '1.5'"],
    [['batch', '--count', '1e15'], "--count: expected a positive integer up to 100000000, got '1e15'"],
    [['batch', '--workers', '0'], "--workers: expected a positive integer, got '0'"],
    [['batch', '--workers', '65'], "--workers: expected at most 64, got '65'"],
    [
      ['batch', '--workers', '2', '--format', 'parquet'],
      '--workers: applies to jsonl, json and csv output, not to parquet',
    ],
    [['batch', '--drift-factor', '2'], "--drift-factor: expected a number from 0 to 1, got '2'"],
    [['batch', '--drift-direction', '0'], "--drift-direction: expected 1 (riskier) or -1 (healthier), got '0'"],
    [['stampede', '--count', '5'], "unknown command 'stampede'"],
    ...mixCases('batch', []),
    ...commonCases('batch', ['--count', '10']),
  ],
  stream: [
    [['stream', '--rate', '0', ...fastStream], "--rate: expected a positive number, got '0'"],
    [['stream', '--rate', 'fast', ...fastStream], "--rate: expected a positive number, got 'fast'"],
    [['stream', '--rate', '-5', ...fastStream], "--rate: expected a positive number, got '-5'"],
    [['stream', '--rate', '1e12', ...fastStream], "--rate: expected a number from 0.001 to 6000000, got '1e12'"],
    [['stream', '--rate', '0.0001', ...fastStream], "--rate: expected a number from 0.001 to 6000000, got '0.0001'"],
    [['stream', '--duration', '-1'], "--duration: expected a positive number, got '-1'"],
    [['stream', '--duration', '1e9', '--fast'], "--duration: expected a number from above 0 to 5256000, got '1e9'"],
    [['stream', '--drift'], '--drift: needs --duration'],
    [['stream', '--fast'], '--fast: needs --duration'],
    [
      ['stream', '--start', '9999-12-31T23:59:58Z'],
      "--start: a stream without --duration needs a year of event time before 9999-12-31T23:59:59.999Z, got '9999-12-31T23:59:58Z'",
    ],
    [['stream', ...fastStream, '--manifest', 'MANIFEST'], '--manifest: needs --drift'],
    [['stream', ...fastStream, '--control-output', 'CONTROL'], '--control-output: needs --drift'],
    [['stream', ...fastStream, '--control-topic', 'control'], '--control-topic: needs --drift'],
    ...mixCases('stream', fastStream),
    ...commonCases('stream', fastStream),
  ],
  drift: [
    [['drift', '--duration', '0', '--fast'], "--duration: expected a positive number, got '0'"],
    [['drift', '--duration', '1e9', '--fast'], "--duration: expected a number from above 0 to 5256000, got '1e9'"],
    [['drift', '--rate', 'x', ...fastDrift], "--rate: expected a positive number, got 'x'"],
    [['drift', '--rate', '1e12', ...fastDrift], "--rate: expected a number from 0.001 to 6000000, got '1e12'"],
    [
      ['drift', ...fastDrift, '--kind', 'seasonal'],
      "--kind: expected a list of prior, covariate, concept, class-conditional, got 'seasonal'",
    ],
    [
      ['drift', ...fastDrift, '--kind', ','],
      "--kind: expected a list of prior, covariate, concept, class-conditional, got ','",
    ],
    [['drift', ...fastDrift, '--kind', 'prior,prior'], "--kind: 'prior' is listed twice in 'prior,prior'"],
    [
      ['drift', ...fastDrift, '--kind', 'prior', '--features', 'avg_order_value'],
      "--features: applies to --kind covariate only, got --features 'avg_order_value' with --kind 'prior'",
    ],
    [
      ['drift', ...fastDrift, '--kind', 'covariate', '--target-mix', '1/1/1'],
      "--target-mix: applies to --kind prior only, got --target-mix '1/1/1' with --kind 'covariate'",
    ],
    [
      ['drift', ...fastDrift, '--kind', 'covariate', '--features', 'email_open_rate'],
      "--features: expected a list of avg_order_value, product_views_30d, account_age_days, got 'email_open_rate'",
    ],
    [
      ['drift', ...fastDrift, '--kind', 'covariate', '--features', 'avg_order_value,avg_order_value'],
      "--features: 'avg_order_value' is listed twice in 'avg_order_value,avg_order_value'",
    ],
    [
      ['drift', ...fastDrift, '--shape', 'zigzag'],
      "--shape: expected one of linear, sigmoid, sudden, recurring, got 'zigzag'",
    ],
    [['drift', ...fastDrift, '--shape', 'sudden', '--at', '2'], "--at: expected a number from 0 to 1, got '2'"],
    [
      ['drift', ...fastDrift, '--shape', 'sigmoid', '--width', '0'],
      "--width: expected a number above 0 and at most 1, got '0'",
    ],
    [
      ['drift', ...fastDrift, '--shape', 'recurring', '--period', 'monthly'],
      "--period: expected daily or weekly, got 'monthly'",
    ],
    [['drift', ...fastDrift, '--magnitude', '0'], "--magnitude: expected a number above 0 and at most 1, got '0'"],
    [['drift', ...fastDrift, '--direction', '2'], "--direction: expected 1 (riskier) or -1 (healthier), got '2'"],
    [
      ['drift', ...fastDrift, '--target-mix', '10/30'],
      "--target-mix: expected low/medium/high shares such as 10/30/60, got '10/30'",
    ],
    [
      ['drift', ...fastDrift, '--target-mix', '0/0/0'],
      "--target-mix: expected low/medium/high shares such as 10/30/60, got '0/0/0'",
    ],
    [
      ['drift', ...fastDrift, '--target-mix', '1e9/1/1'],
      "--target-mix: expected low/medium/high shares such as 10/30/60, got '1e9/1/1'",
    ],
    [
      ['drift', ...fastDrift, '--target-mix', '9999999/1/1'],
      "--target-mix: expected shares up to 1000000 each, got '9999999/1/1'",
    ],
    [['drift', ...fastDrift, '--manifest', 'MISSING_DIR'], "--manifest: directory '"],
    [['drift', ...fastDrift, '--control-output', 'MISSING_DIR'], "--control-output: directory '"],
    [['drift', ...fastDrift, '--control-output', 'NO_FORMAT'], "--control-output: cannot tell the format of '"],
    [
      ['drift', ...fastDrift, '--control-output', 'CONTROL', '--control-topic', 't'],
      '--control-output: give either --control-output or --control-topic, not both',
    ],
    [['drift', ...fastDrift, '--control-topic', ' '], "--control-topic: expected a topic name, got ''"],
    [['drift', ...fastDrift, '--wobble'], "unknown option '--wobble'"],
    ...mixCases('drift', fastDrift),
    ...commonCases('drift', fastDrift),
  ],
  lifecycle: [
    [['lifecycle', '--fast', '--customers', '0'], "--customers: expected a positive integer, got '0'"],
    [
      ['lifecycle', '--fast', '--customers', '1e7'],
      "--customers: expected a positive integer up to 1000000, got '1e7'",
    ],
    [['lifecycle', '--fast', '--days', '-7'], "--days: expected a non-negative integer, got '-7'"],
    [['lifecycle', '--fast', '--days', '1e15'], "--days: expected a non-negative integer up to 36500, got '1e15'"],
    [
      ['lifecycle', '--fast', '--days', '10000000'],
      "--days: expected a non-negative integer up to 36500, got '10000000'",
    ],
    [
      ['lifecycle', '--fast', '--days', '30000', '--start', '9950-01-01T00:00:00Z'],
      "--start: event times would pass 9999-12-31T23:59:59.999Z (30000 days from '9950-01-01T00:00:00Z')",
    ],
    [['lifecycle', '--speed', '0'], "--speed: expected a positive number, got '0'"],
    [['lifecycle', '--speed', '1e9'], "--speed: expected a number from above 0 to 1000000, got '1e9'"],
    ...commonCases('lifecycle', ['--fast', '--customers', '2']),
  ],
  // report's flags are checked in test/report/ (its own owner's table).
};

async function runCase(args: string[], runCli: (args: string[]) => Promise<CliResult>): Promise<[CliResult, string]> {
  const dir = tempDir();
  const paths: Record<string, string> = {
    OUT: join(dir, 'out.jsonl'),
    MANIFEST: join(dir, 'manifest.json'),
    CONTROL: join(dir, 'control.jsonl'),
    MISSING_DIR: join(dir, 'missing', 'x.jsonl'),
    NO_FORMAT: join(dir, 'customers.txt'),
  };
  const withOutput = args.includes('--output') ? args : [...args, '--output', 'OUT'];
  const result = await runCli(withOutput.map((arg) => paths[arg] ?? arg));
  return [result, dir];
}

function expectRefused(result: CliResult, dir: string, message: string): void {
  expect(result.code, result.stderr).toBe(2);
  expect(result.stderr).toContain(message);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(result.stdout).toBe('');
  expect(readdirSync(dir)).toEqual([]); // no output, no temporary file
}

describe.each(Object.entries(cases))('bad input: %s', (_mode, table) => {
  it.each(table)('%j → exit 2, one line naming the flag, no file', async (args, message) => {
    const [result, dir] = await runCase(args, runInProcess);
    expectRefused(result, dir, message);
  });
});

describe('bad input through the executable (exit code and stderr of a real process)', () => {
  it.each(Object.values(cases).map((table) => table[0]!))('%j', async (args, message) => {
    const [result, dir] = await runCase(args, (argv) => runChild(argv));
    expectRefused(result, dir, message);
  });
});
