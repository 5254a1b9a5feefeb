/**
 * Where timed modes (and batch to Kafka) send records: a destination that takes whole records and
 * accounts for their delivery. Kafka implements it directly; files and stdout through an encoder.
 */
import type { CustomerRecord } from '../core/schema.ts';
import type { EncodedOutput } from './encoded-output.ts';

export interface DeliveryStats {
  /** Records handed to the destination. */
  sent: number;
  /** Records the destination confirmed (Kafka: acks=all delivery reports; files: written). */
  acknowledged: number;
  /** Records that will never be delivered. */
  failed: number;
}

/**
 * What a destination that confirms delivery itself (Kafka) reports beyond the counts. Files and
 * stdout have none: a record is delivered once written.
 */
export interface DeliveryReports {
  /** Why records failed, as the destination said (else its last complaint). */
  readonly lastError: string | undefined;
  /** Called with each record's latency from sending to acknowledgement, in ms. */
  onAcknowledged: ((latencyMs: number) => void) | undefined;
  /** Called once when close() or settle() has waited a second for records in flight. */
  onWaiting: ((inFlight: number, waitMs: number) => void) | undefined;
}

export interface RecordSink<T = CustomerRecord> {
  readonly description: string;
  /** Present where the destination confirms delivery itself. */
  readonly delivery?: DeliveryReports | undefined;
  /** Takes records, waiting when the destination applies backpressure. */
  write(records: readonly T[]): Promise<void>;
  /** Delivers what is in flight and releases the destination; returns the final accounting. */
  close(): Promise<DeliveryStats>;
  /** Current accounting (acknowledged may lag sent while records are in flight). */
  readonly stats: DeliveryStats;
  /** True once the destination stopped taking data (a reader closed stdout): stop early. */
  readonly closedByReader: boolean;
  /** Abandons an incomplete output (a file's temporary copy is removed), where that applies. */
  abort?(): Promise<void>;
  /**
   * Optional: writes everything without publishing it (a file stays under its temporary name until
   * close()), so that outputs written together appear only once all of them are complete.
   */
  finish?(): Promise<void>;
  /** The file to follow while the run is on (a file's temporary name), where records are readable as they come. */
  readonly followPath?: string | undefined;
}

/**
 * Records → encoder → file or stdout. With `flushEachWrite` (real-time runs) every write reaches
 * the file at once (given a sink without direct I/O), so `tail -f` sees records as they are due;
 * otherwise chunks fill first.
 */
export class EncodedRecordSink implements RecordSink {
  readonly description: string;
  readonly #output: EncodedOutput;
  readonly #flushEachWrite: boolean;
  constructor(output: EncodedOutput, flushEachWrite: boolean) {
    this.#output = output;
    this.#flushEachWrite = flushEachWrite;
    this.description = output.sink.description;
  }

  /** Files and stdout acknowledge a record once it is handed to the operating system. */
  get stats(): DeliveryStats {
    return { sent: this.#output.records, acknowledged: this.#output.flushedRecords, failed: 0 };
  }

  get closedByReader(): boolean {
    return this.#output.sink.closedByReader;
  }

  get followPath(): string | undefined {
    return this.#flushEachWrite ? this.#output.sink.temporaryPath : undefined;
  }

  async write(records: readonly CustomerRecord[]): Promise<void> {
    for (const record of records) this.#output.add(record);
    if (this.#flushEachWrite || this.#output.full) await this.#output.flush();
  }

  async finish(): Promise<void> {
    try {
      await this.#output.complete();
    } catch (error) {
      await this.#output.sink.abort();
      throw error;
    }
  }

  async close(): Promise<DeliveryStats> {
    try {
      await this.#output.end();
    } catch (error) {
      // The last bytes did not make it (a full disk): the file's temporary copy goes.
      await this.#output.sink.abort();
      throw error;
    }
    return this.stats;
  }

  /** Abandons the output: a file's temporary copy is removed. */
  async abort(): Promise<void> {
    await this.#output.abort();
  }
}
