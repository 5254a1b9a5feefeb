/**
 * Worker thread of a parallel batch (parallel-batch.ts): encodes the records at the positions it
 * is given into one of its shared slots and says how many bytes it wrote. Records are a pure
 * function of (seed, index, parameters), so which thread makes them does not change a byte.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ByteWriter } from '../encoders/byte-writer.ts';
import type { OptionalField, OutputFormat } from '../encoders/index.ts';
import { createEncoder } from '../encoders/index.ts';
import type { BatchOptions } from './batch.ts';
import { BatchGenerator } from './batch.ts';
import { maxFieldsBytes } from '../encoders/json.ts';

export interface BatchWorkerData {
  options: BatchOptions;
  format: OutputFormat;
  optionalFields: OptionalField[];
  slots: SharedArrayBuffer[];
}

export interface BatchTask {
  task: number;
  from: number;
  to: number;
  slot: number;
}

/** Bytes in the slot, or (if they did not fit, which batch records never come near) a copy. */
export interface BatchTaskResult {
  task: number;
  slot: number;
  length: number;
  overflow?: Uint8Array;
  /** Records of each risk level in the task (for metrics). */
  levels: { low: number; medium: number; high: number };
}

const PIECE_CHARS = 1 << 16;

const data = workerData as BatchWorkerData;
const encoder = createEncoder(data.format, data.optionalFields);
const slots = data.slots.map((slot) => new Uint8Array(slot));
// A task is built in private memory and copied into its shared slot once: V8 writes to shared
// memory with relaxed atomics, which made encoding straight into the slot ~20% slower.
const scratch = Buffer.allocUnsafe(slots[0]?.length ?? 0);
const generator = new BatchGenerator(data.options);

parentPort?.on('message', ({ task, from, to, slot }: BatchTask) => {
  const writer = new ByteWriter(scratch);
  let piece = '';
  let overflow: string[] | undefined;
  const copy = (): void => {
    if (overflow === undefined && 3 * piece.length <= writer.room())
      writer.position += scratch.write(piece, writer.position);
    else (overflow ??= [scratch.toString('utf8', 0, writer.position)]).push(piece);
    piece = '';
  };
  const levels = { low: 0, medium: 0, high: 0 };
  for (let position = from; position < to; position++) {
    generator.generate(position);
    levels[generator.fields.true_risk_level]++;
    if (piece === '' && overflow === undefined && writer.room() >= maxFieldsBytes && encoder.encodeFieldsInto) {
      // Fast path: bytes straight from the fields (no record object, no id or time strings).
      encoder.encodeFieldsInto(generator.fields, generator.index, generator.eventMs, position, writer);
      continue;
    }
    piece += encoder.encode(generator.record(), position);
    if (piece.length >= PIECE_CHARS) copy();
  }
  copy();
  if (overflow === undefined) slots[slot]?.set(scratch.subarray(0, writer.position));
  const result: BatchTaskResult =
    overflow === undefined
      ? { task, slot, length: writer.position, levels }
      : { task, slot, length: 0, overflow: Buffer.from(overflow.join('')), levels };
  parentPort?.postMessage(result);
});
