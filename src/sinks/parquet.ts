/**
 * Parquet output for training data, through hyparquet-writer: typed columns (counts as INT32,
 * money and rates as DOUBLE, categories as UTF-8 strings, the event time as a UTC-adjusted
 * TIMESTAMP in milliseconds), snappy-compressed, written one row group at a time into a byte sink,
 * so memory stays constant and a regular file still appears only when complete (FileSink's
 * temporary name and rename).
 *
 * Row groups are encoded on a worker thread (parquet-worker.ts): hyparquet-writer encodes one in a
 * single synchronous step, during which nothing else would run on this thread, Ctrl-C included.
 * This thread gathers the next row group meanwhile. The worker (and hyparquet-writer) starts at the
 * first row group, so other outputs never pay for it.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CustomerRecord, FieldKind } from '../core/schema.ts';
import { recordFields } from '../core/schema.ts';
import type { OptionalField } from '../encoders/index.ts';
import type { ParquetColumnSpec, ParquetWorkerReply, ParquetWorkerRequest } from './parquet-worker.ts';
import type { DeliveryStats, RecordSink } from './record-sink.ts';
import type { Sink } from './types.ts';

type ParquetType = ParquetColumnSpec['type'];

const parquetTypeOf = {
  string: 'STRING',
  timestamp: 'TIMESTAMP',
  integer: 'INT32',
  money: 'DOUBLE',
  frequency: 'DOUBLE',
  rate: 'DOUBLE',
  progress: 'DOUBLE',
  boolean: 'BOOLEAN',
} as const satisfies Record<FieldKind, ParquetType>;

/** Rows per row group (~1 MB compressed): the worker's memory for encoding one stays small. */
export const defaultRowGroupSize = 25_000;

/**
 * A column's values for the row group being gathered. Required numbers and times go into typed
 * arrays allocated once and reused for every row group (a copy goes to the worker): a row group's
 * values live until it is sent, long enough for the garbage collector to move boxed numbers to
 * the old generation, whose limit then grows with the run. Strings and nullable columns stay
 * plain arrays.
 */
type ColumnValues = Int32Array | Float64Array | BigInt64Array | unknown[];

interface Column extends ParquetColumnSpec {
  readonly name: keyof CustomerRecord;
  values: ColumnValues;
}

export class ParquetRecordSink implements RecordSink {
  readonly description: string;
  readonly #sink: Sink;
  readonly #columns: Column[];
  readonly #rowGroupSize: number;
  readonly #signal: AbortSignal | undefined;
  /** Started at the first row group. */
  #worker: Worker | undefined;
  /** The worker's answer to the request in flight (one at a time), and how it is settled. */
  #reply: { promise: Promise<ParquetWorkerReply>; resolve: (reply: ParquetWorkerReply) => void } | undefined;
  #failure: Error | undefined;
  #finished = false;
  /** Rows of the row group in flight, counted as written once its bytes are in the sink. */
  #inFlightRows = 0;
  #rows = 0;
  #sent = 0;
  #flushed = 0;

  /**
   * With `signal`, write() stops waiting for the encoder once it aborts and takes no more records:
   * for an output that is abandoned when interrupted (a batch), where a busy machine would
   * otherwise keep Ctrl-C waiting for the row group being encoded.
   */
  constructor(
    sink: Sink,
    optionalFields: readonly OptionalField[] = [],
    rowGroupSize = defaultRowGroupSize,
    signal?: AbortSignal,
  ) {
    this.#sink = sink;
    this.#signal = signal;
    this.description = sink.description;
    this.#rowGroupSize = rowGroupSize;
    this.#columns = recordFields
      .filter((field) => !('optional' in field) || optionalFields.includes(field.name))
      .map((field) => {
        const type = parquetTypeOf[field.kind];
        const nullable = 'optional' in field;
        return { name: field.name, type, nullable, values: newValues(type, nullable, rowGroupSize) };
      });
  }

  get stats(): DeliveryStats {
    return { sent: this.#sent, acknowledged: this.#flushed, failed: 0 };
  }

  get closedByReader(): boolean {
    return this.#sink.closedByReader;
  }

  async write(records: readonly CustomerRecord[]): Promise<void> {
    for (const record of records) {
      if (this.#signal?.aborted === true) return;
      const row = this.#rows;
      for (const column of this.#columns) {
        const value = record[column.name];
        const values = column.values;
        if (values instanceof BigInt64Array) values[row] = BigInt(Date.parse(value as string));
        else if (Array.isArray(values)) values.push(value ?? null);
        else values[row] = value as number;
      }
      this.#sent++;
      if (++this.#rows >= this.#rowGroupSize) await this.#sendRowGroup();
    }
  }

  /** Writes the last row group and the footer; the file is published by close(). */
  async finish(): Promise<void> {
    if (this.#finished) return;
    this.#finished = true;
    try {
      // Not stopped by the signal: a file that is closed is completed.
      await this.#sendRowGroup(false);
      await this.#request({}, [], false);
      await this.#writeReply(false);
      await this.#sink.finish?.();
    } catch (error) {
      await this.#sink.abort(); // a write failed (a full disk): no half file
      throw error;
    } finally {
      await this.#worker?.terminate();
    }
  }

  async close(): Promise<DeliveryStats> {
    await this.finish();
    await this.#sink.close();
    return this.stats;
  }

  /** Abandons the output (a regular file's temporary copy is removed). */
  async abort(): Promise<void> {
    await this.#worker?.terminate();
    await this.#sink.abort();
  }

  // --- internal ---

  /** Hands the gathered rows to the worker, once the previous row group's bytes are in the sink. */
  async #sendRowGroup(abortable = true): Promise<void> {
    const rows = this.#rows;
    if (rows === 0) return;
    const data = this.#columns.map((c) => (Array.isArray(c.values) ? c.values : c.values.slice(0, rows)));
    const transfer = data.flatMap((values) => (Array.isArray(values) ? [] : [values.buffer]));
    await this.#request({ columns: data, rows }, transfer, abortable);
    this.#inFlightRows = rows;
    for (const column of this.#columns) if (Array.isArray(column.values)) column.values = [];
    this.#rows = 0;
  }

  /** Sends a request when the previous one has been answered and its bytes written. */
  async #request(request: ParquetWorkerRequest, transfer: ArrayBuffer[], abortable: boolean): Promise<void> {
    if (!(await this.#writeReply(abortable))) return;
    let resolve: (reply: ParquetWorkerReply) => void = () => undefined;
    const promise = new Promise<ParquetWorkerReply>((settle) => (resolve = settle));
    this.#reply = { promise, resolve };
    this.#startedWorker().postMessage(request, transfer);
  }

  /** Writes the answer in flight, if any, to the sink; false when the signal stopped the wait. */
  async #writeReply(abortable: boolean): Promise<boolean> {
    const reply = this.#reply;
    if (reply === undefined) return true;
    const answer = await untilAborted(reply.promise, abortable ? this.#signal : undefined);
    if (answer === undefined) return false;
    const { chunks } = answer;
    this.#throwIfFailed();
    this.#reply = undefined;
    for (const chunk of chunks) await this.#sink.write(new Uint8Array(chunk));
    this.#flushed += this.#inFlightRows;
    this.#inFlightRows = 0;
    return true;
  }

  #startedWorker(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const columns: ParquetColumnSpec[] = this.#columns.map(({ name, type, nullable }) => ({ name, type, nullable }));
    const worker = new Worker(workerUrl(), { workerData: { columns } });
    worker.on('message', (reply: ParquetWorkerReply) => this.#reply?.resolve(reply));
    worker.on('error', (error) => {
      this.#failure ??= error;
      this.#reply?.resolve({ chunks: [] });
    });
    worker.on('exit', (code) => {
      this.#failure ??= new Error(`the Parquet encoder thread stopped (exit code ${code})`);
      this.#reply?.resolve({ chunks: [] });
    });
    this.#worker = worker;
    return worker;
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }
}

/** `promise`'s value, or undefined as soon as `signal` aborts. */
async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T | undefined> {
  if (signal === undefined) return promise;
  if (signal.aborted) return undefined;
  let stop = (): void => undefined;
  const aborted = new Promise<undefined>((resolve) => {
    stop = () => resolve(undefined);
    signal.addEventListener('abort', stop, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

function newValues(type: ParquetType, nullable: boolean, rows: number): ColumnValues {
  if (nullable || type === 'STRING' || type === 'BOOLEAN') return [];
  if (type === 'INT32') return new Int32Array(rows);
  if (type === 'DOUBLE') return new Float64Array(rows);
  return new BigInt64Array(rows);
}

/** The compiled worker (dist/); from TypeScript sources (tests), the built copy beside them. */
function workerUrl(): URL {
  const here = new URL('./parquet-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL('../../dist/sinks/parquet-worker.js', import.meta.url);
}
