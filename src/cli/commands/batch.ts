/**
 * `churn-datagen batch`: N customers to a file, stdout, or (without --output) Kafka. Parses
 * flags, opens the destination, calls writeBatch / sendBatch, reports. No generation logic here.
 */
import type { Command } from 'commander';
import { defaultOverlap } from '../../core/customer.ts';
import { makeDrift } from '../../core/drift.ts';
import { defaultIntervalMs, eventTimeOf } from '../../core/source.ts';
import { batchOptionalFields, batchRecordIdentity, batchSize, writeBatch, sendBatch } from '../../modes/batch.ts';
import { writeBatchParallel } from '../../modes/parallel-batch.ts';
import { UsageError } from '../../errors.ts';
import type { BatchOptions } from '../../modes/batch.ts';
import { FileSink } from '../../sinks/file.ts';
import { KafkaLinesSink } from '../../sinks/kafka.ts';
import { ParquetRecordSink } from '../../sinks/parquet.ts';
import { StreamSink } from '../../sinks/stream.ts';
import type { CliIo } from '../io.ts';
import { exitCodes, interruptExitCode } from '../io.ts';
import type { Logger } from '../log.ts';
import type { MixFlags, OutputFlags, ResolvedSeed, SeedFlags } from '../options.ts';
import {
  addMixOptions,
  addOutputOptions,
  addSeedOptions,
  announceSeed,
  announceWaiting,
  checkEventTimes,
  checkOutputFlags,
  connectKafka,
  flagLimits,
  loggerFor,
  noteKafkaTimestamps,
  openByteSink,
  parseMix,
  resolveFormat,
  resolveSeed,
  undeliveredMessage,
  unconfirmedMessage,
  unconfirmedOf,
} from '../options.ts';
import { parseDirection, parsePositiveInteger, parseUnitInterval } from '../parse.ts';
import { createProgress } from '../progress.ts';
import { startRunMetrics } from '../metrics.ts';

/** Event time of the first customer of a seeded batch without --start, so the command replays. */
export const seededDefaultStart = '2026-01-01T00:00:00.000Z';

interface BatchFlags extends OutputFlags, SeedFlags, MixFlags {
  count: string;
  workers: string;
  overlap: string;
  driftFactor: string;
  driftDirection: string;
  withOutcome?: boolean;
  withPrediction?: boolean;
}

export function registerBatch(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const command = program
    .command('batch')
    .summary('N customers to a file, stdout or Kafka')
    .description(
      'Generate a fixed number of customers and write them to a file (under a temporary name, renamed when complete), to stdout, or, without --output, to Kafka.',
    )
    .option('--count <n>', 'number of customers', '100')
    .option(
      '--workers <n>',
      'threads generating (same records for any number): files and stdout use this thread when 1; Kafka always generates off the producing thread; not for parquet',
      '1',
    );
  addSeedOptions(
    command,
    `event time of the first customer (default: the last one is stamped now; ${seededDefaultStart} with --seed)`,
  );
  addMixOptions(command);
  command
    .option('--overlap <share>', 'label noise share (0..1)', String(defaultOverlap))
    .option('--drift-factor <f>', 'static feature drift, 0 (none) to 1 (one whole risk level)', '0')
    .option('--drift-direction <d>', '1 makes customers riskier, -1 healthier', '1')
    .option('--with-outcome', 'add churned and churn_probability')
    .option('--with-prediction', 'add predicted_churn(_probability) of the start');
  addOutputOptions(command, true);
  command
    .addHelpText(
      'after',
      `
Examples:
  # model training data: one million customers, reproducible byte for byte
  churn-datagen batch --count 1000000 --seed 42 --output customers.jsonl
  # balanced classes as CSV for pandas
  churn-datagen batch --count 10000 --low 1 --medium 1 --high 1 --output training.csv
  # 500 customers, mostly at risk, to Kafka
  churn-datagen batch --count 500 --low 0.3 --medium 0.3 --high 0.4 --kafka-servers localhost:9092`,
    )
    .action(async (flags: BatchFlags) => {
      setExitCode(await runBatchCommand(flags, io));
    });
}

async function runBatchCommand(flags: BatchFlags, io: CliIo): Promise<number> {
  const count = parsePositiveInteger('--count', flags.count, flagLimits.count);
  // Unseeded, the batch ends now: its customers are observations already made (and a Kafka broker
  // takes their timestamps, which it refuses far ahead of its clock).
  const unseededStart = Math.floor(io.now()) - (count - 1) * defaultIntervalMs;
  const seed = resolveSeed(flags, flags.seed === undefined ? unseededStart : Date.parse(seededDefaultStart));
  checkEventTimes(
    flags,
    seed,
    eventTimeOf(seed.startMs, count - 1, defaultIntervalMs),
    `${count} records ${defaultIntervalMs / 1000} s apart`,
  );
  const options: BatchOptions = {
    count,
    seed: seed.seed,
    start: seed.startMs,
    riskDistribution: parseMix(flags),
    overlap: parseUnitInterval('--overlap', flags.overlap),
    drift: makeDrift(
      parseUnitInterval('--drift-factor', flags.driftFactor),
      parseDirection('--drift-direction', flags.driftDirection),
    ),
    shard: seed.shard,
    withOutcome: flags.withOutcome === true,
    withPrediction: flags.withPrediction === true,
  };
  checkOutputFlags(flags);
  const logger = loggerFor(flags, io);
  const workers = parsePositiveInteger('--workers', flags.workers);
  if (workers > 64) throw new UsageError(`--workers: expected at most 64, got '${flags.workers}'`);
  return flags.output === undefined
    ? batchToKafka(flags, options, seed, io, workers, logger)
    : batchToFile(flags, flags.output, options, seed, io, workers, logger);
}

async function batchToFile(
  flags: BatchFlags,
  output: string,
  options: BatchOptions,
  seed: ResolvedSeed,
  io: CliIo,
  workers: number,
  logger: Logger,
): Promise<number> {
  const quiet = flags.quiet === true;
  const format = resolveFormat(output, flags.format);
  if (format === 'parquet' && workers > 1)
    throw new UsageError('--workers: applies to jsonl, json and csv output, not to parquet');
  const sink = await openByteSink(output, io);
  announceSeed(logger, seed);
  let records = 0;
  const active = await startRunMetrics(flags, logger, () => ({
    sent: records,
    acknowledged: records,
    failed: 0,
  })).catch(async (error: unknown) => {
    await sink.abort(); // a port in use: no file
    throw error;
  });
  active?.metrics.setDriftFactor(options.drift?.factor ?? 0);
  const progress = await createProgress(
    io.stderr,
    batchSize(options),
    !quiet && output !== '-' && logger.format === 'text',
  );
  const startedAt = io.now();
  let result;
  try {
    const run = {
      ...options,
      format,
      sink,
      signal: io.signal,
      onProgress: (done: number) => {
        records = done;
        progress.update(done);
        active?.flush();
      },
      observe: active?.observe,
    };
    if (format === 'parquet') {
      const sent = await sendBatch({
        ...run,
        sink: new ParquetRecordSink(sink, batchOptionalFields(options), undefined, io.signal),
      });
      result = { records: sent.generated, bytes: sink.bytesWritten, interrupted: sent.interrupted };
    } else {
      const text = { ...run, format };
      result =
        workers > 1
          ? await writeBatchParallel({
              ...text,
              workers,
              generateOnMainThread: true,
              onLevels: active && ((levels) => active.metrics.countLevels(levels)),
            })
          : await writeBatch(text);
    }
  } finally {
    progress.stop();
    await active?.stop();
  }
  const seconds = Math.max(1e-3, (io.now() - startedAt) / 1000);
  if (result.interrupted) {
    const fate = sink instanceof FileSink ? `'${output}' was not written` : `${result.records} records were written`;
    logger.warn(`interrupted by ${String(io.signal?.reason ?? 'signal')} after ${result.records} records; ${fate}`, {
      records: result.records,
    });
    return interruptExitCode(io.signal);
  }
  if (sink instanceof StreamSink && sink.closedByReader) {
    logger.info(`stdout was closed by the reader; stopped after ${result.records} records`, {
      records: result.records,
    });
    return exitCodes.ok;
  }
  const perSecond = Math.round(result.records / seconds);
  logger.info(
    `wrote ${result.records} records (${(result.bytes / 1e6).toFixed(1)} MB, ${format}) to ${sink.description} in ${seconds.toFixed(2)} s, ${perSecond} records/s, seed ${seed.seed}`,
    {
      records: result.records,
      bytes: result.bytes,
      format,
      destination: sink.description,
      seconds,
      recordsPerSecond: perSecond,
      seed: seed.seed,
    },
  );
  return exitCodes.ok;
}

async function batchToKafka(
  flags: BatchFlags,
  options: BatchOptions,
  seed: ResolvedSeed,
  io: CliIo,
  workers: number,
  logger: Logger,
): Promise<number> {
  const quiet = flags.quiet === true;
  const sink = await connectKafka(flags, io);
  announceSeed(logger, seed);
  noteKafkaTimestamps(
    logger,
    true,
    seed.startMs,
    eventTimeOf(seed.startMs, options.count - 1, defaultIntervalMs),
    io.now(),
  );
  announceWaiting(sink, logger);
  const active = await startRunMetrics(flags, logger, () => sink.stats);
  active?.metrics.setDriftFactor(options.drift?.factor ?? 0);
  if (active !== undefined) sink.onAcknowledged = (latencyMs) => active.metrics.observeSendLatency(latencyMs);
  const progress = await createProgress(io.stderr, batchSize(options), !quiet && logger.format === 'text');
  const startedAt = io.now();
  let result;
  try {
    const onProgress = (done: number): void => {
      progress.update(done);
      active?.flush();
    };
    // Worker threads generate and encode; this thread only produces (KafkaLinesSink), which beats
    // both on one thread (npm run bench:kafka: 'one thread (sendBatch)' against 'batch, --workers 1').
    const run = await writeBatchParallel({
      ...options,
      format: 'jsonl',
      sink: new KafkaLinesSink(sink, batchRecordIdentity(options)),
      workers,
      signal: io.signal,
      onProgress,
      onLevels: active && ((levels) => active.metrics.countLevels(levels)),
    });
    result = { generated: run.records, stats: sink.stats, interrupted: run.interrupted };
  } finally {
    progress.stop();
    await active?.stop();
  }
  const seconds = Math.max(1e-3, (io.now() - startedAt) / 1000);
  const { stats } = result;
  const stopped = result.interrupted ? `; interrupted by ${String(io.signal?.reason ?? 'signal')}` : '';
  const summary = `generated ${result.generated}, acknowledged ${stats.acknowledged}, failed ${stats.failed}; ${sink.description}; ${seconds.toFixed(1)} s, ${Math.round(stats.acknowledged / seconds)} records/s; seed ${seed.seed}${stopped}`;
  const fields = { generated: result.generated, ...stats, destination: sink.description, seconds, seed: seed.seed };
  const unconfirmed = unconfirmedOf(stats);
  if (stats.failed > 0 || unconfirmed > 0 || result.interrupted) logger.warn(summary, fields);
  else logger.info(summary, fields);
  if (stats.failed > 0) logger.error(undeliveredMessage(stats.failed, sink.lastError, flags));
  if (unconfirmed > 0) logger.error(unconfirmedMessage(unconfirmed));
  if (stats.failed > 0 || unconfirmed > 0) return exitCodes.failure;
  return result.interrupted ? interruptExitCode(io.signal) : exitCodes.ok;
}
