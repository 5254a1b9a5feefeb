/**
 * Records → encoder → byte sink, in constant memory with backpressure. Records are joined into
 * ~64 KiB strings, copied as UTF-8 into 1 MiB chunks (fewer, longer copies: bench/micro.mjs
 * utf8-copy), and the chunks alternate between two buffers so one can be in flight in
 * the sink while the next fills (see Sink.write).
 */
import type { CustomerRecord } from '../core/schema.ts';
import type { RecordEncoder } from '../encoders/index.ts';
import type { Sink } from './types.ts';
import { ByteWriter } from '../encoders/byte-writer.ts';
import { maxFieldsBytes } from '../encoders/json.ts';
import type { CustomerFields } from '../core/customer.ts';

const PIECE_CHARS = 1 << 16;

/**
 * A sink that takes data without real I/O (Parquet gathering a row group, a file staging its
 * bytes, stdout on a character device) resolves its writes at once, and a loop awaiting only
 * those never lets the event loop run: a signal or a closed pipe would be seen only at the end.
 * Every few milliseconds this gives the event loop a turn.
 */
export class EventLoopTurns {
  static readonly intervalMs = 20;
  #last = performance.now();

  async letOthersRun(): Promise<void> {
    const now = performance.now();
    if (now - this.#last < EventLoopTurns.intervalMs) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.#last = performance.now();
  }
}

export class EncodedOutput {
  readonly #encoder: RecordEncoder;
  readonly #sink: Sink;
  readonly #chunkBytes: number;
  readonly #chunks: [Buffer, Buffer];
  /** Memory the sink lent for the current chunk (direct I/O: encoded in place, no copy), if any. */
  #lent: Buffer | undefined;
  #turn = 0;
  #used = 0;
  #piece: string;
  #records = 0;
  #flushedRecords = 0;
  #completed = false;
  readonly #writer = new ByteWriter(new Uint8Array(0));

  constructor(encoder: RecordEncoder, sink: Sink, chunkBytes = 1 << 20) {
    this.#encoder = encoder;
    this.#sink = sink;
    this.#chunkBytes = chunkBytes;
    // Room for one more piece in the worst case of 3 UTF-8 bytes per character.
    this.#chunks = [Buffer.allocUnsafe(chunkBytes + 3 * PIECE_CHARS), Buffer.allocUnsafe(chunkBytes + 3 * PIECE_CHARS)];
    this.#piece = encoder.header;
  }

  /** Records added so far. */
  get records(): number {
    return this.#records;
  }

  /** Records handed to the sink (the rest are still being gathered into a chunk). */
  get flushedRecords(): number {
    return this.#flushedRecords;
  }

  get sink(): Sink {
    return this.#sink;
  }

  /** True when a full chunk is waiting: call flush() before adding much more. */
  get full(): boolean {
    return this.#used >= this.#chunkBytes;
  }

  /** Encodes one record into the current chunk (synchronous: no per-record promise). */
  add(record: CustomerRecord): void {
    const encoder = this.#encoder;
    const writer =
      encoder.encodeInto !== undefined && encoder.maxBytes !== undefined
        ? this.#writerWithRoom(encoder.maxBytes(record))
        : undefined;
    if (writer !== undefined) {
      encoder.encodeInto?.(record, this.#records++, writer);
      this.#used = writer.position;
      return;
    }
    this.#piece += encoder.encode(record, this.#records++);
    if (this.#piece.length >= PIECE_CHARS) this.#copyPiece();
  }

  /**
   * Encodes the customer a BatchGenerator last made, straight from its fields, index and event
   * time where the encoder can (no record object, no id or time strings).
   */
  addFields(customer: { fields: CustomerFields; index: number; eventMs: number; record(): CustomerRecord }): void {
    const encoder = this.#encoder;
    const writer = encoder.encodeFieldsInto === undefined ? undefined : this.#writerWithRoom(maxFieldsBytes);
    if (writer === undefined) {
      this.add(customer.record());
      return;
    }
    encoder.encodeFieldsInto?.(customer.fields, customer.index, customer.eventMs, this.#records++, writer);
    this.#used = writer.position;
  }

  /** Hands everything added so far to the sink (waits for backpressure). */
  async flush(): Promise<void> {
    this.#copyPiece();
    const records = this.#records;
    const sink = this.#sink;
    if (this.#used > 0) {
      if (this.#lent !== undefined) await sink.commit?.(this.#used);
      else {
        await sink.write(this.#current().subarray(0, this.#used));
        this.#turn ^= 1;
      }
      this.#used = 0;
    }
    this.#flushedRecords = records;
    // The next chunk goes straight into the sink's memory where it lends it.
    const lent = await sink.borrow?.(this.#chunks[0].length);
    this.#lent = lent === undefined ? undefined : Buffer.from(lent.buffer, lent.byteOffset, lent.byteLength);
  }

  /** Writes the footer and everything added; the sink is finished but not yet closed (see Sink.finish). */
  async complete(): Promise<void> {
    if (this.#completed) return;
    this.#completed = true;
    this.#piece += this.#encoder.footer;
    await this.flush();
    await this.#sink.finish?.();
  }

  /** Writes the footer and completes the sink. */
  async end(): Promise<void> {
    await this.complete();
    await this.#sink.close();
  }

  /** Writes the footer (so what a stream passed on stays well-formed) and abandons the sink. */
  async abort(): Promise<void> {
    try {
      this.#piece += this.#encoder.footer;
      await this.flush();
    } finally {
      await this.#sink.abort();
    }
  }

  // --- internal ---

  #current(): Buffer {
    return this.#lent ?? this.#chunks[this.#turn === 0 ? 0 : 1];
  }

  /**
   * The byte writer at the end of the current chunk (pending string text copied in first), when
   * `bytes` more surely fit: the chunk has slack beyond chunkBytes and callers flush once it is
   * full. Undefined otherwise (then the string path takes the record).
   */
  #writerWithRoom(bytes: number): ByteWriter | undefined {
    const chunk = this.#current();
    if (this.#used + 3 * this.#piece.length + bytes > chunk.length) return undefined;
    this.#copyPiece();
    const writer = this.#writer;
    writer.use(chunk, this.#used);
    return writer;
  }

  #copyPiece(): void {
    const piece = this.#piece;
    if (piece === '') return;
    this.#piece = '';
    const chunk = this.#current();
    if (this.#used + 3 * piece.length <= chunk.length) {
      this.#used += chunk.write(piece, this.#used);
      return;
    }
    // Only for a huge record (a very long custom customer_id): grow this chunk to fit (in own
    // memory: lent memory not committed is simply not used).
    const grown = Buffer.allocUnsafe(this.#used + Buffer.byteLength(piece));
    chunk.copy(grown, 0, 0, this.#used);
    this.#used += grown.write(piece, this.#used);
    this.#chunks[this.#turn === 0 ? 0 : 1] = grown;
    this.#lent = undefined;
  }
}

/** Sees each record as it is written (metrics count the levels). */
export type RecordObserver = (record: Pick<CustomerRecord, 'true_risk_level'>) => void;

export interface WriteRecordsOptions {
  signal?: AbortSignal | undefined;
  /** Called after each chunk with the records and bytes written so far. */
  onProgress?: ((records: number, bytes: number) => void) | undefined;
  /** Sees every record (metrics); leave unset on the fast path. */
  observe?: RecordObserver | undefined;
}

export interface WriteRecordsResult {
  records: number;
  /** True when the signal stopped the run before the records ran out. */
  interrupted: boolean;
}

/**
 * Writes all records, stopping between records when `signal` aborts or the sink's reader has gone.
 * Leaves completing (end) or abandoning (abort) the output to the caller.
 */
export async function writeRecords(
  records: Iterable<CustomerRecord>,
  output: EncodedOutput,
  options: WriteRecordsOptions = {},
): Promise<WriteRecordsResult> {
  const { observe } = options;
  const iterator = records[Symbol.iterator]();
  return writeEach(
    output,
    () => {
      const next = iterator.next();
      if (next.done === true) return false;
      output.add(next.value);
      observe?.(next.value);
      return true;
    },
    options,
  );
}

/**
 * The write loop of every encoded output: `addNext` adds the next record to the output and says
 * whether there was one; full chunks are flushed (waiting for backpressure) as they fill. Stops
 * between records when `signal` aborts or the sink's reader has gone; leaves completing or
 * abandoning the output to the caller.
 */
export async function writeEach(
  output: EncodedOutput,
  addNext: () => boolean,
  options: Pick<WriteRecordsOptions, 'signal' | 'onProgress'> = {},
): Promise<WriteRecordsResult> {
  const { signal, onProgress } = options;
  const sink = output.sink;
  const turns = new EventLoopTurns();
  while (signal?.aborted !== true && addNext()) {
    if (!output.full) continue;
    await output.flush();
    onProgress?.(output.records, sink.bytesWritten);
    // Writes to a character device (stdout on /dev/null) or into staging memory complete at once.
    await turns.letOthersRun();
    if (sink.closedByReader) break;
  }
  return { records: output.records, interrupted: signal?.aborted === true };
}
