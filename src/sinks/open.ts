/**
 * Where records go, as data: one SinkConfig per kind of destination and one openSink() that makes
 * its RecordSink. A new destination is its sink's file plus one entry in the union and the switch.
 */
import type { FileFormat, OptionalField } from '../encoders/index.ts';
import { createEncoder } from '../encoders/index.ts';
import { EncodedOutput } from './encoded-output.ts';
import { FileSink } from './file.ts';
import { KafkaRecordSink } from './kafka.ts';
import type { KafkaSinkOptions } from './kafka.ts';
import { ParquetRecordSink } from './parquet.ts';
import { EncodedRecordSink } from './record-sink.ts';
import type { RecordSink } from './record-sink.ts';
import { StreamSink } from './stream.ts';
import type { Writable } from 'node:stream';
import type { Sink } from './types.ts';

/** How records become bytes in a file or on a stream. */
interface Encoding {
  format: FileFormat;
  /** The optional fields the records carry (outcome, prediction). */
  optionalFields?: readonly OptionalField[] | undefined;
  /**
   * Followed while it grows (a timed run on the real clock): each record is written at once, and
   * a file goes through the page cache instead of direct I/O.
   */
  live?: boolean | undefined;
}

export type SinkConfig =
  /** A file, published under its name when the run ends (atomic). */
  | ({ kind: 'file'; path: string } & Encoding)
  /** A stream the caller owns, such as stdout. */
  | ({ kind: 'stream'; stream: Writable; description?: string | undefined } & Encoding)
  /** A Kafka topic: each record one message keyed by customer_id. */
  | ({ kind: 'kafka' } & KafkaSinkOptions);

/**
 * Opens the destination `config` describes.
 * @throws {DatagenError} INVALID_ARGUMENT for a path that cannot be written; KAFKA when the
 *   client cannot start.
 */
export async function openSink(config: SinkConfig): Promise<RecordSink> {
  switch (config.kind) {
    case 'file': {
      const live = config.live === true && config.format !== 'parquet';
      return recordsAsBytes(await FileSink.open(config.path, { directIo: !live }), config);
    }
    case 'stream':
      return recordsAsBytes(new StreamSink(config.stream, config.description), config);
    case 'kafka':
      return KafkaRecordSink.connect(config);
  }
}

/** Records encoded into a byte sink: Parquet row groups, or JSON Lines, JSON or CSV text. */
function recordsAsBytes(sink: Sink, encoding: Encoding): RecordSink {
  if (encoding.format === 'parquet') return new ParquetRecordSink(sink, encoding.optionalFields);
  return new EncodedRecordSink(
    new EncodedOutput(createEncoder(encoding.format, encoding.optionalFields ?? []), sink),
    encoding.live === true,
  );
}
