/**
 * Flags shared by several commands, parsed in one place: output (file, stdout or Kafka), seed,
 * start time, risk mix.
 */
import type { Command } from 'commander';
import { defaultRiskMix, normaliseRiskMix } from '../core/profiles.ts';
import type { RiskMix } from '../core/profiles.ts';
import { formatFromPath, fileFormats } from '../encoders/index.ts';
import type { FileFormat, OptionalField } from '../encoders/index.ts';
import { DatagenError, UsageError } from '../errors.ts';
import { MS_PER_DAY, maxEventTimeMs } from '../core/time.ts';
import { randomSeed } from '../generator.ts';
import { FileSink } from '../sinks/file.ts';
import { compressionCodecs, defaultDeliveryTimeoutMs, KafkaRecordSink } from '../sinks/kafka.ts';
import type { CompressionCodec, KafkaSinkOptions } from '../sinks/kafka.ts';
import { openSink } from '../sinks/open.ts';
import type { DeliveryStats, RecordSink } from '../sinks/record-sink.ts';
import { StreamSink } from '../sinks/stream.ts';
import type { Sink } from '../sinks/types.ts';
import type { CliIo } from './io.ts';
import type { Logger } from './log.ts';
import { parseMetricsHost, parseMetricsPort } from './metrics.ts';
import { createLogger, logFormats } from './log.ts';
import { parseBoundedNumber, parseFormat, parseNonNegativeNumber, parseSeed, parseShard, parseStart } from './parse.ts';
import type { Shard } from '../core/shard.ts';
import { wholeShard } from '../core/shard.ts';

export const defaultTopic = 'ml.predictions';
export const defaultKafkaServers = 'localhost:9092';
/**
 * Bounds of the numeric flags: what the tool can honour. A count up to 10^8 keeps customer ids
 * (`cust_00000000`…) in order; the rate is one the scheduler keeps (100,000 a second); durations,
 * days and speeds keep event times and run lengths within sense.
 */
export const flagLimits = {
  count: 100_000_000,
  customers: 1_000_000,
  ratePerMinute: { min: 0.001, max: 6_000_000 },
  durationMinutes: { max: 5_256_000 }, // ten years
  days: 36_500, // a century
  speed: { max: 1_000_000 },
  share: 1_000_000,
} as const;

/** An open-ended stream must have at least this much event time before the last one allowed. */
const openEndedRoomMs = 366 * 86_400_000;

/**
 * Refuses a run whose event times would pass the last one allowed (9999-12-31T23:59:59.999Z):
 * the message names --start and how far the run reaches; `lastMs` undefined is an open-ended
 * stream, which needs a year of room.
 */
export function checkEventTimes(flags: SeedFlags, seed: ResolvedSeed, lastMs: number | undefined, reach: string): void {
  const limit = new Date(maxEventTimeMs).toISOString();
  const start = flags.start ?? new Date(seed.startMs).toISOString();
  if (lastMs === undefined) {
    if (seed.startMs + openEndedRoomMs <= maxEventTimeMs) return;
    throw new UsageError(
      `--start: a stream without --duration needs a year of event time before ${limit}, got '${start}'; give --duration or an earlier --start`,
    );
  }
  if (lastMs <= maxEventTimeMs) return;
  throw new UsageError(
    `--start: event times would pass ${limit} (${reach} from '${start}'); give an earlier --start or a shorter run`,
  );
}

/** `--delivery-timeout` bounds, seconds: librdkafka reads 0 as "never", and a day is plenty. */
export const minDeliveryTimeoutSeconds = 1;
export const maxDeliveryTimeoutSeconds = 86_400;

export interface OutputFlags {
  output?: string;
  format?: string;
  kafkaServers?: string;
  topic: string;
  deliveryTimeout: string;
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
        ? `file (${fileFormats.map((f) => `.${f}`).join(', ')}) or '-' (stdout) instead of Kafka`
        : `file to write (${fileFormats.map((f) => `.${f}`).join(', ')}), or '-' for stdout`,
    )
    .option('--format <format>', `${fileFormats.join(', ')} (default: from the extension; stdout: jsonl)`)
    .option(
      '--kafka-servers <list>',
      `Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS, else ${defaultKafkaServers})`,
    )
    .option('--topic <name>', 'Kafka topic', defaultTopic)
    .option('--compression <codec>', `Kafka compression: ${compressionCodecs.join(', ')}`, 'lz4')
    .option(
      '--delivery-timeout <seconds>',
      `Kafka: seconds until an unacknowledged record fails (${minDeliveryTimeoutSeconds}-${maxDeliveryTimeoutSeconds})`,
      String(defaultDeliveryTimeoutMs / 1000),
    )
    .option('--quiet', 'nothing on stderr but warnings and errors')
    .option('--verbose', 'more detail on stderr (settings, timings)')
    .option('--log-format <format>', `messages on stderr as ${logFormats.join(' or ')} lines`, 'text')
    .option('--metrics-port <port>', 'Prometheus /metrics on this port (0: any free)')
    .option('--metrics-host <host>', 'address for --metrics-port', '127.0.0.1');
}

export function addSeedOptions(command: Command, startHelp: string): Command {
  return command
    .option('--seed <n>', 'same seed, same output (default: random)')
    .option('--start <time>', startHelp)
    .option('--shard <k/n>', 'only customers with index mod n = k');
}

export function parseMix(flags: MixFlags): RiskMix {
  const mix = {
    low: flags.low === undefined ? defaultRiskMix.low : parseNonNegativeNumber('--low', flags.low, flagLimits.share),
    medium:
      flags.medium === undefined
        ? defaultRiskMix.medium
        : parseNonNegativeNumber('--medium', flags.medium, flagLimits.share),
    high:
      flags.high === undefined ? defaultRiskMix.high : parseNonNegativeNumber('--high', flags.high, flagLimits.share),
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
  startGiven: boolean;
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
  return { seed, seedGiven, startGiven: flags.start !== undefined, startMs, shard };
}

/** Unless both were given, the flags that replay this run: `--seed S --start T`. */
export function announceSeed(logger: Logger, resolved: ResolvedSeed): void {
  if (resolved.seedGiven && resolved.startGiven) return;
  const start = new Date(resolved.startMs).toISOString();
  logger.info(`seed ${resolved.seed} (replay with --seed ${resolved.seed} --start ${start})`, {
    seed: resolved.seed,
    start,
  });
}

/**
 * Kafka judges a message by its timestamp, which follows the record's event time (docs/kafka.md,
 * "Event times and Kafka"): from a day back, time retention and the brokers' expiry of the
 * producer's state apply (a note); more than an hour ahead of the broker's clock, Kafka 4 refuses
 * the message by default (a warning, kept by --quiet). Said once, before the first record, when
 * any output is a topic. `furthestMs` is the event time furthest ahead of the clock when it goes out.
 */
export function noteKafkaTimestamps(
  logger: Logger,
  toKafka: boolean,
  earliestMs: number,
  furthestMs: number,
  nowMs: number,
): void {
  if (!toKafka) return;
  const daysBack = Math.floor((nowMs - earliestMs) / MS_PER_DAY);
  if (daysBack >= 1) {
    logger.info(
      `Kafka message timestamps follow the event times, which start ${daysBack} day${daysBack === 1 ? '' : 's'} back: retention.ms deletes by them, and a broker may store a retried batch twice; use a topic with message.timestamp.type=LogAppendTime (docs/kafka.md)`,
      { eventTimesDaysBack: daysBack },
    );
  }
  const hoursAhead = (furthestMs - nowMs) / (MS_PER_DAY / 24);
  if (hoursAhead > 1) {
    const ahead = hoursAhead < 48 ? `${Math.floor(hoursAhead)} hours` : `${Math.floor(hoursAhead / 24)} days`;
    logger.warn(
      `Kafka message timestamps follow the event times, which reach ${ahead} ahead of now: Kafka 4 brokers refuse timestamps more than message.timestamp.after.max.ms (1 hour by default) ahead of their clock; use a topic with message.timestamp.type=LogAppendTime, or an earlier --start (docs/kafka.md)`,
      { eventTimesHoursAhead: Math.floor(hoursAhead) },
    );
  }
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
  parseDeliveryTimeoutMs(flags.deliveryTimeout);
  if (flags.kafkaServers !== undefined) parseKafkaServers(flags.kafkaServers);
  parseMetricsPort(flags);
  parseMetricsHost(flags);
  if (flags.topic.trim() === '') throw new UsageError("--topic: expected a topic name, got ''");
}

/** `--delivery-timeout` in seconds (fractions allowed), as milliseconds. */
export function parseDeliveryTimeoutMs(raw: string): number {
  return Math.round(
    parseBoundedNumber('--delivery-timeout', raw, minDeliveryTimeoutSeconds, maxDeliveryTimeoutSeconds) * 1000,
  );
}

/** A comma-separated host:port list (the port may be left out: 9092). */
export function parseKafkaServers(raw: string): string {
  const servers = raw.split(',').map((server) => server.trim());
  const valid = (server: string): boolean => {
    const match = /^(?:[a-z_]+:\/\/)?(\[[0-9a-f:.]+\]|[^\s:/[\]]+)(?::(\d+))?$/i.exec(server);
    if (match === null) return false;
    const port = match[2] === undefined ? 9092 : Number(match[2]);
    return port >= 1 && port <= 65535;
  };
  if (!servers.every(valid)) {
    throw new UsageError(`--kafka-servers: expected a comma-separated list of host:port, got '${raw}'`);
  }
  return servers.join(',');
}

/** Records handed to the destination with no verdict: a wait for them stopped early. */
export function unconfirmedOf(stats: DeliveryStats): number {
  return stats.sent - stats.acknowledged - stats.failed;
}

/** The line about records whose delivery is unknown (the wait for them was stopped). */
export function unconfirmedMessage(unconfirmed: number): string {
  return `${unconfirmed} records were still in flight when the wait for them was stopped: the broker may or may not have them`;
}

/** Tells the user, once, that the run is waiting for the verdict on records in flight. */
export function announceWaiting(sink: RecordSink<unknown>, logger: Logger): void {
  if (sink.delivery === undefined) return;
  sink.delivery.onWaiting = (inFlight, waitMs) => {
    logger.info(
      `waiting up to ${Math.ceil(waitMs / 1000)} s for the broker to acknowledge ${inFlight} records in flight; Ctrl-C again stops waiting`,
    );
  };
}

/** The summary's line about records that were not delivered, with what to check. */
export function undeliveredMessage(failed: number, reason: string | undefined, flags: OutputFlags): string {
  return `${failed} records were not delivered (${reason ?? 'unknown error'}); check the broker and the topic, or give them longer with --delivery-timeout (now ${flags.deliveryTimeout} s)`;
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
  if (flags.output === undefined) return openSink({ kind: 'kafka', ...kafkaOptions(flags, io) });
  const encoding = {
    format: resolveFormat(flags.output, flags.format, flag),
    optionalFields: options.optionalFields,
    live: options.flushEachWrite,
  };
  if (flags.output === '-') return openSink({ kind: 'stream', stream: io.stdout, description: 'stdout', ...encoding });
  try {
    return await openSink({ kind: 'file', path: flags.output, ...encoding });
  } catch (error) {
    if (error instanceof DatagenError && error.code === 'INVALID_ARGUMENT')
      throw new UsageError(`${flag}: ${error.message}`);
    throw error;
  }
}

/** A Kafka producer as the flags and the environment (servers, SASL/TLS) describe it. */
export function connectKafka(flags: OutputFlags, io: CliIo): Promise<KafkaRecordSink> {
  return KafkaRecordSink.connect(kafkaOptions(flags, io));
}

/** The Kafka sink's options from the flags and the environment. */
function kafkaOptions(flags: OutputFlags, io: CliIo): KafkaSinkOptions {
  return {
    bootstrapServers: kafkaServers(flags, io),
    topic: flags.topic,
    compression: parseCompression(flags.compression),
    deliveryTimeoutMs: parseDeliveryTimeoutMs(flags.deliveryTimeout),
    env: io.env,
    signal: io.signal,
    stopWaiting: io.stopWaiting,
  };
}

export function kafkaServers(flags: OutputFlags, io: CliIo): string {
  const fromEnv = io.env.KAFKA_BOOTSTRAP_SERVERS;
  return flags.kafkaServers ?? (fromEnv === undefined || fromEnv === '' ? defaultKafkaServers : fromEnv);
}
