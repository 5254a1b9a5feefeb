/**
 * Streams records through an encoder into a sink: constant memory for any count, and the sink's
 * backpressure paces generation. Records are joined into ~64 KiB strings, copied as UTF-8 into
 * 1 MiB chunks (copying fewer, longer strings is much cheaper than one per record), and the chunks
 * alternate between two buffers so one can be in flight in the sink while the next fills (see
 * Sink.write). Stops between chunks when `signal` aborts or the sink's reader has gone.
 */
import type { CustomerRecord } from '../core/schema.ts';
import type { RecordEncoder } from '../encoders/index.ts';
import type { Sink } from '../sinks/types.ts';

export interface WriteRecordsOptions {
  signal?: AbortSignal | undefined;
  /** Called after each chunk with the records and bytes written so far. */
  onProgress?: ((records: number, bytes: number) => void) | undefined;
  /** Bytes gathered before a write to the sink. Default 1 MiB. */
  chunkBytes?: number | undefined;
}

export interface WriteRecordsResult {
  records: number;
  /** True when the signal stopped the run before the records ran out. */
  interrupted: boolean;
}

const PIECE_CHARS = 1 << 16;

/**
 * Writes header, records and footer. On interruption the footer is still written, so text that a
 * stream sink has already passed on stays well-formed (a JSON array is closed).
 */
export async function writeRecords(
  records: Iterable<CustomerRecord>,
  encoder: RecordEncoder,
  sink: Sink,
  options: WriteRecordsOptions = {},
): Promise<WriteRecordsResult> {
  const { signal, onProgress, chunkBytes = 1 << 20 } = options;
  // Room for one more piece in the worst case of 3 UTF-8 bytes per character.
  const chunks = [Buffer.allocUnsafe(chunkBytes + 3 * PIECE_CHARS), Buffer.allocUnsafe(chunkBytes + 3 * PIECE_CHARS)];
  let turn = 0;
  let chunk = chunks[0] as Buffer;
  let used = 0;
  let piece = encoder.header;
  let count = 0;
  let interrupted = signal?.aborted === true;

  /** Copies a piece into the chunk, flushing first when it might not fit. */
  const append = async (text: string): Promise<void> => {
    if (used + 3 * text.length > chunk.length) {
      if (used > 0) await flush();
      if (3 * text.length > chunk.length) {
        await sink.write(Buffer.from(text)); // a huge record (a very long custom customer_id)
        return;
      }
    }
    used += chunk.write(text, used);
  };

  const flush = async (): Promise<void> => {
    await sink.write(chunk.subarray(0, used));
    turn ^= 1;
    chunk = chunks[turn] as Buffer;
    used = 0;
    onProgress?.(count, sink.bytesWritten);
  };

  if (!interrupted) {
    for (const record of records) {
      piece += encoder.encode(record, count++);
      if (piece.length < PIECE_CHARS) continue;
      await append(piece);
      piece = '';
      if (used < chunkBytes) continue;
      await flush();
      if (sink.closedByReader) break;
      if (signal?.aborted === true) {
        interrupted = true;
        break;
      }
    }
  }
  await append(piece + encoder.footer);
  await flush();
  return { records: count, interrupted };
}
