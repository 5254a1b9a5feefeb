/**
 * Batch mode: N customers to a sink, then done (SPEC §3). The CLI's `batch` command is a thin
 * wrapper over writeBatch.
 */
import type { CustomerFields, GenerationParams } from '../core/customer.ts';
import { customerIdOf, defaultOverlap, recordOf } from '../core/customer.ts';
import { formatIsoTimestamp } from '../core/time.ts';
import { noDrift } from '../core/drift.ts';
import { defaultRiskMix, normaliseRiskMix } from '../core/profiles.ts';
import type { RiskMix } from '../core/profiles.ts';
import type { Shard } from '../core/shard.ts';
import { globalIndex, shardSize, wholeShard } from '../core/shard.ts';
import { RecordSource, defaultIntervalMs, eventTimeOf } from '../core/source.ts';
import { checkBatchOptions, checkPositiveInteger, toEpochMs } from '../options/validate.ts';
import type { CustomerRecord } from '../core/schema.ts';
import type { Drift } from '../core/drift.ts';
import type { OptionalField, OutputFormat } from '../encoders/index.ts';
import { createEncoder, outputFormats } from '../encoders/index.ts';
import { DatagenError } from '../errors.ts';
import type { DeliveryStats, RecordSink } from '../sinks/record-sink.ts';
import type { Sink } from '../sinks/types.ts';
import { EncodedOutput, EventLoopTurns, writeEach } from '../sinks/encoded-output.ts';
import type { RecordObserver } from '../sinks/encoded-output.ts';

export interface BatchOptions {
  count: number;
  seed: number;
  riskDistribution?: RiskMix | undefined;
  overlap?: number | undefined;
  drift?: Drift | undefined;
  /** Event time of customer index 0; customer k is stamped start + k × intervalMs. */
  start: Date | number | string;
  intervalMs?: number | undefined;
  /** This process's slice of the customers: indices i with i mod n = k. Default: all. */
  shard?: Shard | undefined;
  /** Adds `churned` and `churn_probability` to every record. */
  withOutcome?: boolean | undefined;
  /** Adds `predicted_churn_probability` and `predicted_churn` to every record. */
  withPrediction?: boolean | undefined;
}

export interface WriteBatchOptions extends BatchOptions {
  format: OutputFormat;
  sink: Sink;
  signal?: AbortSignal | undefined;
  onProgress?: ((records: number, bytes: number) => void) | undefined;
  /** Bytes per write to the sink (default 1 MiB). */
  chunkBytes?: number | undefined;
  /** Sees every record (metrics). */
  observe?: RecordObserver | undefined;
}

export interface BatchResult {
  records: number;
  bytes: number;
  /** Stopped by the signal: a file sink has discarded its output. */
  interrupted: boolean;
}

/** The optional fields a run with the outcome writes. */
export const outcomeFields: readonly OptionalField[] = ['churned', 'churn_probability'];
/** The optional fields a run with the prediction writes. */
export const predictionFields: readonly OptionalField[] = ['predicted_churn_probability', 'predicted_churn'];

/** The optional fields of a batch with these options. */
export function batchOptionalFields(options: Pick<BatchOptions, 'withOutcome' | 'withPrediction'>): OptionalField[] {
  return [...(options.withOutcome ? outcomeFields : []), ...(options.withPrediction ? predictionFields : [])];
}

/** Records in this process's part of the batch. */
export function batchSize(options: BatchOptions): number {
  return shardSize(options.count, options.shard ?? wholeShard);
}

/** The key (customer_id) and event time of the batch's record at a position, without making it. */
export function batchRecordIdentity(options: BatchOptions): {
  keyOf(position: number): string;
  timestampOf(position: number): number;
} {
  const place = batchPlacement(options);
  return {
    keyOf: (position) => customerIdOf(place.indexAt(position)),
    timestampOf: (position) => place.eventMsOf(place.indexAt(position)),
  };
}

/**
 * Where the batch's positions stand: position p of this shard is customer index
 * shard.index + p × shard.count, stamped start + index × intervalMs (eventTimeOf).
 */
function batchPlacement(options: BatchOptions): {
  indexAt(position: number): number;
  eventMsOf(index: number): number;
} {
  const shard = options.shard ?? wholeShard;
  const startMs = toEpochMs(options.start);
  const intervalMs = options.intervalMs ?? defaultIntervalMs;
  return {
    indexAt: (position) => globalIndex(position, shard),
    eventMsOf: (index) => eventTimeOf(startMs, index, intervalMs),
  };
}

/**
 * Makes the batch's customers one position at a time into one reused fields object: the fast
 * path of the encoders, which write the id and event time from `index` and `eventMs`.
 */
export class BatchGenerator {
  readonly fields: CustomerFields;
  /** Customer index and event time of the position last generated. */
  index = 0;
  eventMs = 0;
  readonly #place: ReturnType<typeof batchPlacement>;
  readonly #source: RecordSource;
  readonly #params: GenerationParams;

  /** @throws {DatagenError} INVALID_ARGUMENT for bad options (checkBatchOptions). */
  constructor(options: BatchOptions) {
    checkBatchOptions(options);
    this.#place = batchPlacement(options);
    this.#params = {
      mix: normaliseRiskMix(options.riskDistribution ?? defaultRiskMix),
      drift: options.drift ?? noDrift,
      overlap: options.overlap ?? defaultOverlap,
      withOutcome: options.withOutcome,
      withPrediction: options.withPrediction,
    };
    this.#source = new RecordSource(options.seed);
    this.fields = this.#source.fields;
  }

  /** Generates position p of this shard (batchPlacement). */
  generate(position: number): void {
    const index = this.#place.indexAt(position);
    this.index = index;
    this.eventMs = this.#place.eventMsOf(index);
    this.#source.fill(index, this.#params);
  }

  /** The last generated customer as a record. */
  record(): CustomerRecord {
    return recordOf(this.fields, customerIdOf(this.index), formatIsoTimestamp(this.eventMs));
  }
}

/**
 * The batch's records at positions [from, to) of this shard, lazily (constant memory). Position p
 * is customer index shard.index + p × shard.count, stamped start + index × intervalMs.
 */
export function batchRecords(
  options: BatchOptions,
  from = 0,
  to = batchSize(options),
): Generator<CustomerRecord, void, undefined> {
  // Checked here, at the call, rather than at the first record.
  return recordsOf(new BatchGenerator(options), from, to);
}

function* recordsOf(generator: BatchGenerator, from: number, to: number): Generator<CustomerRecord, void, undefined> {
  for (let position = from; position < to; position++) {
    generator.generate(position);
    yield generator.record();
  }
}

/**
 * Generates the batch into `sink`. Completes the sink on success; aborts it (a file's temporary
 * copy is removed, a stream keeps what it passed on) on interruption or error.
 */
export async function writeBatch(options: WriteBatchOptions): Promise<BatchResult> {
  const { sink, observe } = options;
  await checkWriteOptions(options);
  const output = new EncodedOutput(
    createEncoder(options.format, batchOptionalFields(options)),
    sink,
    options.chunkBytes,
  );
  const generator = new BatchGenerator(options);
  const total = batchSize(options);
  let position = 0;
  try {
    const { interrupted } = await writeEach(
      output,
      () => {
        if (position >= total) return false;
        generator.generate(position++);
        output.addFields(generator);
        observe?.(generator.fields);
        return true;
      },
      options,
    );
    if (interrupted) await output.abort();
    else await output.end();
    options.onProgress?.(output.records, sink.bytesWritten);
    return { records: output.records, bytes: sink.bytesWritten, interrupted };
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

export interface SendBatchOptions extends BatchOptions {
  sink: RecordSink;
  signal?: AbortSignal | undefined;
  onProgress?: ((records: number) => void) | undefined;
  /** Sees every record (metrics). */
  observe?: RecordObserver | undefined;
}

export interface SendBatchResult {
  generated: number;
  stats: DeliveryStats;
  interrupted: boolean;
}

/**
 * Sends the batch to a record sink (Kafka, Parquet), 1000 records per write, then closes the
 * sink; on interruption a sink that can abandon its output (a file) does so.
 */
export async function sendBatch(options: SendBatchOptions): Promise<SendBatchResult> {
  const { sink, signal } = options;
  let generated = 0;
  let pending: CustomerRecord[] = [];
  const turns = new EventLoopTurns();
  try {
    for (const record of batchRecords(options)) {
      pending.push(record);
      options.observe?.(record);
      if (pending.length < 1000) continue;
      await sink.write(pending);
      generated += pending.length;
      pending = [];
      options.onProgress?.(generated);
      await turns.letOthersRun();
      if (signal?.aborted === true || sink.closedByReader) break;
    }
    if (signal?.aborted !== true && !sink.closedByReader) {
      await sink.write(pending);
      generated += pending.length;
    }
  } catch (error) {
    if (sink.abort !== undefined) await sink.abort();
    else await sink.close();
    throw error;
  }
  const interrupted = signal?.aborted === true && generated < batchSize(options);
  // An interrupted file is abandoned; what reached Kafka stays there and is flushed.
  if (interrupted && sink.abort !== undefined) {
    await sink.abort();
    return { generated, stats: sink.stats, interrupted };
  }
  const stats = await sink.close();
  options.onProgress?.(generated);
  return { generated, stats, interrupted };
}

/**
 * The options of a batch written to a sink: on bad options the sink is aborted (a file's
 * temporary copy goes) before the error is thrown.
 */
export async function checkWriteOptions(
  options: WriteBatchOptions & { workers?: number; taskSize?: number },
): Promise<void> {
  try {
    checkBatchOptions(options);
    if (!outputFormats.includes(options.format))
      throw new DatagenError(
        'INVALID_ARGUMENT',
        `format must be one of ${outputFormats.join(', ')}, got ${options.format as string}.`,
        { option: 'format' },
      );
    for (const name of ['chunkBytes', 'workers', 'taskSize'] as const) {
      const value = options[name];
      if (value !== undefined) checkPositiveInteger(name, value);
    }
  } catch (error) {
    await options.sink.abort();
    throw error;
  }
}
