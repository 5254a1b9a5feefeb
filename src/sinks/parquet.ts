/**
 * Parquet output for training data, through hyparquet-writer: typed columns (counts as INT32,
 * money and rates as DOUBLE, categories as UTF-8 strings, the event time as a UTC-adjusted
 * TIMESTAMP in milliseconds),
 * snappy-compressed, written one row group at a time into a byte sink, so memory stays constant
 * and a regular file still appears only when complete (FileSink's temporary name and rename).
 * hyparquet-writer is loaded at the first write (~30 ms), so other outputs never pay for it.
 */
import type { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { CustomerRecord, FieldKind } from '../core/schema.ts';
import { recordFields } from '../core/schema.ts';
import type { OptionalField } from '../encoders/index.ts';
import type { DeliveryStats, RecordSink } from './record-sink.ts';
import type { Sink } from './types.ts';

type ParquetType = 'STRING' | 'TIMESTAMP' | 'INT32' | 'DOUBLE';

const parquetTypeOf = {
  string: 'STRING',
  timestamp: 'TIMESTAMP',
  integer: 'INT32',
  money: 'DOUBLE',
  frequency: 'DOUBLE',
  rate: 'DOUBLE',
  progress: 'DOUBLE',
} as const satisfies Record<FieldKind, ParquetType>;

/**
 * Rows per row group (~1 MB compressed). hyparquet-writer encodes a row group in one synchronous
 * step, during which nothing else runs, Ctrl-C included: a group of this size takes a fraction of
 * a second, one of 100,000 rows up to a second on a busy machine.
 */
export const defaultRowGroupSize = 25_000;

/**
 * A column's values for the row group being gathered. Required numbers and times go into typed
 * arrays allocated once and reused for every row group: a row group's values live until it is
 * written, long enough for the garbage collector to move boxed numbers to the old generation,
 * whose limit then grows with the run. Strings and nullable columns stay plain arrays.
 */
type ColumnValues = Int32Array | Float64Array | BigInt64Array | unknown[];

interface Column {
  readonly name: keyof CustomerRecord;
  readonly type: ParquetType;
  readonly nullable: boolean;
  values: ColumnValues;
}

export class ParquetRecordSink implements RecordSink {
  readonly description: string;
  readonly #sink: Sink;
  /** Made at the first write or close, once hyparquet-writer has loaded. */
  #writer: Promise<ParquetWriter> | undefined;
  readonly #columns: Column[];
  readonly #rowGroupSize: number;
  #rows = 0;
  #sent = 0;
  #flushed = 0;

  constructor(sink: Sink, optionalFields: readonly OptionalField[] = [], rowGroupSize = defaultRowGroupSize) {
    this.#sink = sink;
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
      const row = this.#rows;
      for (const column of this.#columns) {
        const value = record[column.name];
        const values = column.values;
        if (values instanceof BigInt64Array) values[row] = BigInt(Date.parse(value as string));
        else if (Array.isArray(values)) values.push(value ?? null);
        else values[row] = value as number;
      }
      this.#sent++;
      if (++this.#rows >= this.#rowGroupSize) await this.#writeRowGroup();
    }
  }

  async close(): Promise<DeliveryStats> {
    await this.#writeRowGroup();
    await (await this.#parquetWriter()).finish();
    await this.#sink.close();
    return this.stats;
  }

  /** Abandons the output (a regular file's temporary copy is removed). */
  async abort(): Promise<void> {
    await this.#sink.abort();
  }

  // --- internal ---

  #parquetWriter(): Promise<ParquetWriter> {
    this.#writer ??= import('hyparquet-writer').then((parquet) => {
      const schema = parquet
        .schemaFromColumnData({
          columnData: this.#columns.map((c) => ({ name: c.name, data: [], type: c.type, nullable: c.nullable })),
        })
        .map((element) =>
          // Event times are instants: UTC-adjusted, so readers show them as TIMESTAMP WITH TIME
          // ZONE rather than as a wall-clock time of no zone.
          element.converted_type === 'TIMESTAMP_MILLIS'
            ? { ...element, logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } as const }
            : element,
        );
      const writer = new (sinkWriterClass(parquet.ByteWriter))(this.#sink);
      return new parquet.ParquetWriter({ writer, schema, createdBy: 'churn-datagen' });
    });
    return this.#writer;
  }

  async #writeRowGroup(): Promise<void> {
    const rows = this.#rows;
    if (rows === 0) return;
    const columnData = this.#columns.map((c) => ({
      name: c.name,
      data: Array.isArray(c.values) ? c.values : c.values.subarray(0, rows),
      type: c.type,
      nullable: c.nullable,
    }));
    // The writer has encoded the values once write() resolves: the typed arrays are reused.
    await (await this.#parquetWriter()).write({ columnData, rowGroupSize: rows });
    for (const column of this.#columns) if (Array.isArray(column.values)) column.values = [];
    this.#flushed += rows;
    this.#rows = 0;
  }
}

function newValues(type: ParquetType, nullable: boolean, rows: number): ColumnValues {
  if (nullable || type === 'STRING') return [];
  if (type === 'INT32') return new Int32Array(rows);
  if (type === 'DOUBLE') return new Float64Array(rows);
  return new BigInt64Array(rows);
}

/**
 * hyparquet-writer's buffer, handing its bytes to a Sink after each row group and at the end. A
 * class made from the loaded module's ByteWriter, since the module is loaded on first use.
 */
function sinkWriterClass(Base: typeof ByteWriter) {
  return class SinkWriter extends Base {
    readonly #sink: Sink;

    constructor(sink: Sink) {
      super(1 << 20);
      this.#sink = sink;
    }

    async flush(): Promise<void> {
      if (this.index === 0) return;
      // A copy: the sink may read its chunk until the next write, and this buffer is reused at once.
      const chunk = new Uint8Array(this.buffer.slice(0, this.index));
      this.index = 0;
      await this.#sink.write(chunk);
    }

    // hyparquet-writer's Writer interface allows finish(): void | Promise<void> and ParquetWriter awaits
    // it; only its in-memory ByteWriter class declares void.
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    override finish(): Promise<void> {
      return this.flush();
    }
  };
}
