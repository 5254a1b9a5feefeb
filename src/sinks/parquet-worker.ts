/**
 * Worker thread of a Parquet output (parquet.ts): encodes the row groups it is sent with
 * hyparquet-writer and sends back the file's bytes. hyparquet-writer encodes a row group in one
 * synchronous step; on this thread that step leaves the main thread free to notice Ctrl-C or a
 * closed pipe, and to gather the next row group meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ColumnSource } from 'hyparquet-writer';
import { ByteWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';

export interface ParquetColumnSpec {
  name: string;
  type: 'STRING' | 'TIMESTAMP' | 'INT32' | 'DOUBLE' | 'BOOLEAN';
  nullable: boolean;
}

/** A row group to encode, or (without columns) the end of the file. */
export interface ParquetWorkerRequest {
  columns?: ColumnSource['data'][];
  rows?: number;
}

/** The bytes the request added to the file (transferred, not copied). */
export interface ParquetWorkerReply {
  chunks: ArrayBuffer[];
}

const columns = (workerData as { columns: ParquetColumnSpec[] }).columns;
const schema = schemaFromColumnData({
  columnData: columns.map((c) => ({ name: c.name, data: [], type: c.type, nullable: c.nullable })),
}).map((element) =>
  // Event times are instants: UTC-adjusted, so readers show them as TIMESTAMP WITH TIME ZONE
  // rather than as a wall-clock time of no zone.
  element.converted_type === 'TIMESTAMP_MILLIS'
    ? { ...element, logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } as const }
    : element,
);

let chunks: ArrayBuffer[] = [];

/** hyparquet-writer's buffer, emptied into `chunks` after each row group and at the end. */
class ChunkWriter extends ByteWriter {
  flush(): void {
    if (this.index === 0) return;
    chunks.push(this.buffer.slice(0, this.index));
    this.index = 0;
  }

  override finish(): void {
    this.flush();
  }
}

const parquet = new ParquetWriter({ writer: new ChunkWriter(1 << 20), schema, createdBy: 'churn-datagen' });

parentPort?.on('message', ({ columns: data, rows }: ParquetWorkerRequest) => {
  if (data === undefined) void parquet.finish();
  else
    void parquet.write({
      columnData: columns.map((c, i) => ({ name: c.name, data: data[i] ?? [], type: c.type, nullable: c.nullable })),
      rowGroupSize: rows,
    });
  const reply: ParquetWorkerReply = { chunks };
  chunks = [];
  parentPort?.postMessage(reply, reply.chunks);
});
