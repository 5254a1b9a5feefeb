/**
 * Flags shared by several commands, parsed in one place: output (file, stdout or Kafka), seed,
 * start time, risk mix.
 */
import type { Command } from 'commander';
import { defaultRiskMix, normaliseRiskMix } from '../core/profiles.ts';
import type { RiskMix } from '../core/profiles.ts';
import { formatFromPath, createEncoder, fileFormats } from '../encoders/index.ts';
import type { FileFormat, OptionalField } from '../encoders/index.ts';
import { ParquetRecordSink } from '../sinks/parquet.ts';
import { DatagenError, UsageError } from '../errors.ts';
import { randomSeed } from '../generator.ts';
import { EncodedOutput } from '../modes/encoded-output.ts';
import { FileSink } from '../sinks/file.ts';
import { compressionCodecs, KafkaRecordSink } from '../sinks/kafka.ts';
import type { CompressionCodec } from '../sinks/kafka.ts';
import { EncodedRecordSink } from '../sinks/record-sink.ts';
import type { RecordSink } from '../sinks/record-sink.ts';
import { StreamSink } from '../sinks/stream.ts';
import type { Sink } from '../sinks/types.ts';
import type { CliIo } from './io.ts';
import type { Logger } from './log.ts';
import { parseMetricsPort } from './metrics.ts';
import { createLogger, logFormats } from './log.ts';
import { parseFormat, parseNonNegativeNumber, parseSeed, parseShard, parseStart } from './parse.ts';
import type { Shard } from '../core/shard.ts';
import { wholeShard } from '../core/shard.ts';

export const defaultTopic = 'ml.predictions';
export const defaultKafkaServers = 'localhost:9092';

export interface OutputFlags {
  output?: string;
  format?: string;
  kafkaServers?: string;
  topic: string;
  compression: string;
  quiet?: boolean;
  verbose?: boolean;
  logFormat: string;
  metricsPort?: string;
  metricsHost: string;
}

export interface SeedFlags {
  seed?: string;
  start?: string;
  shard?: string;
}

export interface MixFlags {
  low?: string;
  medium?: string;
  high?: string;
}

export function addMixOptions(command: Command): Command {
  return command
    .option('--low <share>', `share of low-risk customers (default ${defaultRiskMix.low})`)
    .option('--medium <share>', `share of medium-risk customers (default ${defaultRiskMix.medium})`)
    .option('--high <share>', `share of high-risk customers (default ${defaultRiskMix.high})`);
}

/** --output/--format for files and stdout; --kafka-servers/--topic/--compression for Kafka. */
export function addOutputOptions(command: Command, kafkaIsDefault: boolean): Command {
  return command
    .option(
      '--output <path>',
      kafkaIsDefault
        ? "write to this file (.jsonl, .json, .csv) or '-' (stdout) instead of Kafka"
        : "file to write (.jsonl, .json, .csv), or '-' for stdout",
    )
    .option('--format <format>', 'jsonl, json or csv (default: from the --output extension; jsonl for stdout)')
    .option(
      '--kafka-servers <list>',
      `Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS, else ${defaultKafkaServers})`,
    )
    .option('--topic <name>', 'Kafka topic', defaultTopic)
    .option('--compression <codec>', `Kafka compression: ${compressionCodecs.join(', ')}`, 'lz4')
    .option('--quiet', 'nothing on stderr but warnings and errors')
    .option('--verbose', 'more detail on stderr (settings, timings)')
    .option('--log-format <format>', `messages on stderr as ${logFormats.join(' or ')} lines`, 'text')
    .option(
      '--metrics-port <port>',
      'serve Prometheus metrics (and /healthz) on this port while running; 0 picks a free port',
    )
    .option('--metrics-host <host>', 'address for --metrics-port', '127.0.0.1');
}

export function addSeedOptions(command: Command, startHelp: string): Command {
  return command
    .option('--seed <n>', 'non-negative integer; same seed, same records (default: random, printed)')
    .option('--start <time>', startHelp)
    .option(
      '--shard <k/n>',
      'generate only slice k of n (customers with index mod n = k); n processes with the same --seed and --start make one dataset',
    );
}

export function parseMix(flags: MixFlags): RiskMix {
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

export interface ResolvedSeed {
  seed: number;
  seedGiven: boolean;
  startMs: number;
  shard: Shard;
}

/** Seed (random if absent) and start time (`fallbackStartMs` if absent). */
export function resolveSeed(flags: SeedFlags, fallbackStartMs: number): ResolvedSeed {
  const seedGiven = flags.seed !== undefined;
  const seed = flags.seed === undefined ? randomSeed() : parseSeed('--seed', flags.seed);
  const startMs = flags.start === undefined ? fallbackStartMs : parseStart('--start', flags.start);
  const shard = flags.shard === undefined ? wholeShard : parseShard('--shard', flags.shard);
  if (shard.count > 1 && (flags.seed === undefined || flags.start === undefined)) {
    throw new UsageError('--shard: needs --seed and --start, the same in every shard, so the shards make one dataset');
  }
  return { seed, seedGiven, startMs, shard };
}

export function announceSeed(logger: Logger, resolved: ResolvedSeed): void {
  if (resolved.seedGiven) return;
  const start = new Date(resolved.startMs).toISOString();
  logger.info(`seed ${resolved.seed} (replay with --seed ${resolved.seed} --start ${start})`, {
    seed: resolved.seed,
    start,
  });
}

/** The logger a command's flags ask for. */
export function loggerFor(flags: Pick<OutputFlags, 'logFormat' | 'quiet' | 'verbose'>, io: CliIo): Logger {
  const format = logFormats.find((f) => f === flags.logFormat);
  if (format === undefined)
    throw new UsageError(`--log-format: expected one of ${logFormats.join(', ')}, got '${flags.logFormat}'`);
  return createLogger(io.stderr, { format, quiet: flags.quiet, verbose: flags.verbose, now: io.now });
}

export function resolveFormat(output: string, format: string | undefined, flag = '--output'): FileFormat {
  if (format !== undefined) return parseFormat('--format', format);
  if (output === '-') return 'jsonl';
  const inferred = formatFromPath(output);
  if (inferred === undefined) {
    const fix = flag === '--output' ? `add --format ${fileFormats.join(', ')}` : `use one of ${fileFormats.join(', ')}`;
    throw new UsageError(`${flag}: cannot tell the format of '${output}' from its extension; ${fix}`);
  }
  return inferred;
}

export function parseCompression(raw: string): CompressionCodec {
  const codec = compressionCodecs.find((c) => c === raw);
  if (codec === undefined)
    throw new UsageError(`--compression: expected one of ${compressionCodecs.join(', ')}, got '${raw}'`);
  return codec;
}

/** Validates output flags before anything is opened (so bad input never leaves a file). */
export function checkOutputFlags(flags: OutputFlags): void {
  if (flags.output !== undefined) resolveFormat(flags.output, flags.format);
  else if (flags.format !== undefined) parseFormat('--format', flags.format);
  parseCompression(flags.compression);
  parseMetricsPort(flags);
  if (flags.topic.trim() === '') throw new UsageError("--topic: expected a topic name, got ''");
}

/**
 * Opens the byte sink of `flag` (--output by default); bad paths are usage errors naming it. A
 * `live` file (followed while it grows) is written without direct I/O, each write at once.
 */
export async function openByteSink(output: string, io: CliIo, flag = '--output', live = false): Promise<Sink> {
  if (output === '-') return new StreamSink(io.stdout, 'stdout');
  try {
    return await FileSink.open(output, { directIo: !live });
  } catch (error) {
    if (error instanceof DatagenError && error.code === 'INVALID_ARGUMENT')
      throw new UsageError(`${flag}: ${error.message}`);
    throw error;
  }
}

/** The record destination of a run: --output (file or stdout) if given, else Kafka. */
export async function openRecordSink(
  flags: OutputFlags,
  io: CliIo,
  options: { optionalFields: readonly OptionalField[]; flushEachWrite: boolean },
  flag = '--output',
): Promise<RecordSink> {
  if (flags.output !== undefined) {
    const format = resolveFormat(flags.output, flags.format, flag);
    const sink = await openByteSink(flags.output, io, flag, options.flushEachWrite && format !== 'parquet');
    if (format === 'parquet') return new ParquetRecordSink(sink, options.optionalFields);
    return new EncodedRecordSink(
      new EncodedOutput(createEncoder(format, options.optionalFields), sink),
      options.flushEachWrite,
    );
  }
  return connectKafka(flags, io);
}

/** A Kafka producer as the flags and the environment (servers, SASL/TLS) describe it. */
export function connectKafka(flags: OutputFlags, io: CliIo): Promise<KafkaRecordSink> {
  return KafkaRecordSink.connect({
    bootstrapServers: kafkaServers(flags, io),
    topic: flags.topic,
    compression: parseCompression(flags.compression),
    env: io.env,
  });
}

export function kafkaServers(flags: OutputFlags, io: CliIo): string {
  const fromEnv = io.env.KAFKA_BOOTSTRAP_SERVERS;
  return flags.kafkaServers ?? (fromEnv === undefined || fromEnv === '' ? defaultKafkaServers : fromEnv);
}
