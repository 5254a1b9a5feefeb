/**
 * Worker thread of a parallel batch (parallel-batch.ts): encodes the records at the positions it
 * is given into the buffer that came with the task, and sends the buffer back with the number of
 * bytes written. Records are a pure function of (seed, index, parameters), so which thread makes
 * them does not change a byte.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ByteWriter } from '../encoders/byte-writer.ts';
import type { OptionalField, OutputFormat } from '../encoders/index.ts';
import { createEncoder } from '../encoders/index.ts';
import { maxFieldsBytes } from '../encoders/json.ts';
import type { BatchOptions } from './batch.ts';
import { BatchGenerator } from './batch.ts';

export interface BatchWorkerData {
  options: BatchOptions;
  format: OutputFormat;
  optionalFields: OptionalField[];
}

/** Positions [from, to) to encode into `buffer` (shared memory: see parallel-batch.ts). */
export interface BatchTask {
  task: number;
  from: number;
  to: number;
  buffer: SharedArrayBuffer;
}

/** The buffer, with `length` bytes of output; or (if they did not fit, which batch records never come near) a copy. */
export interface BatchTaskResult {
  task: number;
  buffer: SharedArrayBuffer;
  length: number;
  overflow?: Uint8Array;
  /** Records of each risk level in the task (for metrics). */
  levels: { low: number; medium: number; high: number };
}

const PIECE_CHARS = 1 << 16;

const data = workerData as BatchWorkerData;
const encoder = createEncoder(data.format, data.optionalFields);
const generator = new BatchGenerator(data.options);

parentPort?.on('message', ({ task, from, to, buffer }: BatchTask) => {
  const out = Buffer.from(buffer);
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
  const result: BatchTaskResult =
    overflow === undefined
      ? { task, buffer, length: writer.position, levels }
      : { task, buffer, length: 0, overflow: Buffer.from(overflow.join('')), levels };
  parentPort?.postMessage(result);
});
