/**
 * One task of a parallel batch: the records at positions [from, to), encoded into a buffer. Run by
 * the worker threads (batch-worker.ts) and, where it can encode in place, by the main thread.
 */
import { ByteWriter } from '../encoders/byte-writer.ts';
import type { RecordEncoder } from '../encoders/index.ts';
import { maxFieldsBytes } from '../encoders/json.ts';
import type { BatchGenerator } from './batch.ts';

export interface EncodedTask {
  /** Bytes written at the start of the buffer; or, if they did not fit (batch records never come near), a copy. */
  length: number;
  overflow?: Uint8Array;
  /** Records of each risk level in the task (for metrics). */
  levels: { low: number; medium: number; high: number };
}

const PIECE_CHARS = 1 << 16;

export function encodeTask(
  from: number,
  to: number,
  out: Buffer,
  generator: BatchGenerator,
  encoder: RecordEncoder,
): EncodedTask {
  const writer = new ByteWriter(out);
  let piece = '';
  let overflow: string[] | undefined;
  const copy = (): void => {
    if (overflow === undefined && 3 * piece.length <= writer.room())
      writer.position += out.write(piece, writer.position);
    else (overflow ??= [out.toString('utf8', 0, writer.position)]).push(piece);
    piece = '';
  };
  const levels = { low: 0, medium: 0, high: 0 };
  for (let position = from; position < to; position++) {
    generator.generate(position);
    // Counted by comparison: levels[name]++ is a slow (megamorphic) keyed load and store.
    const level = generator.fields.true_risk_level;
    if (level === 'low') levels.low++;
    else if (level === 'medium') levels.medium++;
    else levels.high++;
    if (piece === '' && overflow === undefined && writer.room() >= maxFieldsBytes && encoder.encodeFieldsInto) {
      // Fast path: bytes straight from the fields (no record object, no id or time strings).
      encoder.encodeFieldsInto(generator.fields, generator.index, generator.eventMs, position, writer);
      continue;
    }
    piece += encoder.encode(generator.record(), position);
    if (piece.length >= PIECE_CHARS) copy();
  }
  copy();
  return overflow === undefined
    ? { length: writer.position, levels }
    : { length: 0, overflow: Buffer.from(overflow.join('')), levels };
}
