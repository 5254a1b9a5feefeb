/**
 * `churn-datagen batch`: N customers to a file or stdout. Parses flags, opens the sink, calls
 * writeBatch, reports. No generation logic here.
 */
import type { Command } from 'commander';
import { makeDrift } from '../../core/drift.ts';
import { defaultRiskMix, normaliseRiskMix } from '../../core/profiles.ts';
import type { RiskMix } from '../../core/profiles.ts';
import { defaultOverlap } from '../../core/customer.ts';
import { formatFromPath } from '../../encoders/index.ts';
import type { OutputFormat } from '../../encoders/index.ts';
import { DatagenError, UsageError } from '../../errors.ts';
import { randomSeed } from '../../generator.ts';
import { writeBatch } from '../../modes/batch.ts';
import { FileSink } from '../../sinks/file.ts';
import { StreamSink } from '../../sinks/stream.ts';
import type { Sink } from '../../sinks/types.ts';
import type { CliIo } from '../io.ts';
import { exitCodes, interruptExitCode, writeLine } from '../io.ts';
import {
  parseDirection,
  parseFormat,
  parseNonNegativeNumber,
  parsePositiveInteger,
  parseSeed,
  parseStart,
  parseUnitInterval,
} from '../parse.ts';
import { createProgress } from '../progress.ts';

/** Event time of the first customer of a seeded batch without --start, so the command replays. */
export const seededDefaultStart = '2026-01-01T00:00:00.000Z';

interface BatchFlags {
  count: string;
  output?: string;
  format?: string;
  seed?: string;
  start?: string;
  low?: string;
  medium?: string;
  high?: string;
  overlap: string;
  driftFactor?: string;
  driftDirection: string;
  quiet?: boolean;
}

export function registerBatch(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('batch')
    .summary('write N customers to a file or stdout')
    .description(
      'Generate a fixed number of customers and write them to a file (written under a temporary name and renamed when complete) or to stdout.',
    )
    .option('--count <n>', 'number of customers', '100')
    .option('--output <path>', "file to write (.jsonl, .json, .csv), or '-' for stdout")
    .option('--format <format>', 'jsonl, json or csv (default: from the --output extension; jsonl for stdout)')
    .option('--seed <n>', 'non-negative integer; same seed, same output (default: random, printed)')
    .option('--start <time>', `event time of the first customer (default: now; ${seededDefaultStart} with --seed)`)
    .option('--low <share>', `share of low-risk customers (default ${defaultRiskMix.low})`)
    .option('--medium <share>', `share of medium-risk customers (default ${defaultRiskMix.medium})`)
    .option('--high <share>', `share of high-risk customers (default ${defaultRiskMix.high})`)
    .option(
      '--overlap <share>',
      'share of customers behaving like a neighbouring risk level (label noise)',
      String(defaultOverlap),
    )
    .option('--drift-factor <f>', 'static feature drift, 0 (none) to 1 (one whole risk level)', '0')
    .option('--drift-direction <d>', '1 makes customers riskier, -1 healthier', '1')
    .option('--quiet', 'no progress bar, seed or summary on stderr')
    .addHelpText(
      'after',
      `
Examples:
  # training set, one million customers, reproducible byte for byte
  churn-datagen batch --count 1000000 --seed 42 --output customers.jsonl
  # balanced classes as CSV for pandas
  churn-datagen batch --count 10000 --low 1 --medium 1 --high 1 --output training.csv
  # 500 customers, mostly at risk, to stdout
  churn-datagen batch --count 500 --low 0.3 --medium 0.3 --high 0.4 --output -`,
    )
    .action(async (flags: BatchFlags) => setExitCode(await runBatchCommand(flags, io)));
}

async function runBatchCommand(flags: BatchFlags, io: CliIo): Promise<number> {
  const count = parsePositiveInteger('--count', flags.count);
  const seedGiven = flags.seed !== undefined;
  const seed = flags.seed === undefined ? randomSeed() : parseSeed('--seed', flags.seed);
  const start =
    flags.start === undefined
      ? seedGiven
        ? Date.parse(seededDefaultStart)
        : Math.floor(io.now())
      : parseStart('--start', flags.start);
  const mix = parseMix(flags);
  const overlap = parseUnitInterval('--overlap', flags.overlap);
  const drift = makeDrift(
    parseUnitInterval('--drift-factor', flags.driftFactor ?? '0'),
    parseDirection('--drift-direction', flags.driftDirection),
  );
  if (flags.output === undefined) {
    throw new UsageError(
      "batch: --output is missing; give a file or '-' for stdout (sending to Kafka is not built yet)",
    );
  }
  const format = resolveFormat(flags.output, flags.format);
  const quiet = flags.quiet === true;

  const sink = await openSink(flags.output, io);
  if (!quiet && !seedGiven)
    writeLine(
      io.stderr,
      `churn-datagen: seed ${seed} (replay with --seed ${seed} --start ${new Date(start).toISOString()})`,
    );
  const progress = createProgress(io.stderr, count, !quiet && flags.output !== '-');
  const startedAt = io.now();
  let result;
  try {
    result = await writeBatch({
      count,
      seed,
      start,
      riskDistribution: mix,
      overlap,
      drift,
      format,
      sink,
      signal: io.signal,
      onProgress: (records) => progress.update(records),
    });
  } finally {
    progress.stop();
  }
  const seconds = Math.max(1e-3, (io.now() - startedAt) / 1000);
  if (result.interrupted) {
    const fate =
      sink instanceof FileSink ? `'${flags.output}' was not written` : `${result.records} records were written`;
    writeLine(
      io.stderr,
      `churn-datagen: interrupted by ${String(io.signal?.reason ?? 'signal')} after ${result.records} records; ${fate}`,
    );
    return interruptExitCode(io.signal);
  }
  if (sink instanceof StreamSink && sink.closedByReader) {
    if (!quiet)
      writeLine(io.stderr, `churn-datagen: stdout was closed by the reader; stopped after ${result.records} records`);
    return exitCodes.ok;
  }
  if (!quiet) {
    const rate = Math.round(result.records / seconds);
    writeLine(
      io.stderr,
      `churn-datagen: wrote ${result.records} records (${(result.bytes / 1e6).toFixed(1)} MB, ${format}) to ${sink.description} in ${seconds.toFixed(2)} s, ${rate} records/s, seed ${seed}`,
    );
  }
  return exitCodes.ok;
}

// --- internal ---

function parseMix(flags: BatchFlags): RiskMix {
  const mix = {
    low: flags.low === undefined ? defaultRiskMix.low : parseNonNegativeNumber('--low', flags.low),
    medium: flags.medium === undefined ? defaultRiskMix.medium : parseNonNegativeNumber('--medium', flags.medium),
    high: flags.high === undefined ? defaultRiskMix.high : parseNonNegativeNumber('--high', flags.high),
  };
  if (mix.low + mix.medium + mix.high <= 0) {
    throw new UsageError(
      `--low/--medium/--high: shares must not all be zero, got ${mix.low}/${mix.medium}/${mix.high}`,
    );
  }
  return normaliseRiskMix(mix);
}

function resolveFormat(output: string, format: string | undefined): OutputFormat {
  if (format !== undefined) return parseFormat('--format', format);
  if (output === '-') return 'jsonl';
  const inferred = formatFromPath(output);
  if (inferred === undefined) {
    throw new UsageError(
      `--output: cannot tell the format of '${output}' from its extension; add --format jsonl, json or csv`,
    );
  }
  return inferred;
}

async function openSink(output: string, io: CliIo): Promise<Sink> {
  if (output === '-') return new StreamSink(io.stdout, 'stdout');
  try {
    return await FileSink.open(output);
  } catch (error) {
    if (error instanceof DatagenError && error.code === 'INVALID_ARGUMENT')
      throw new UsageError(`--output: ${error.message}`);
    throw error;
  }
}
