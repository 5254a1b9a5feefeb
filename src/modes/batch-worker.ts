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
import { batchRecords } from './batch.ts';

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
const slots = data.slots.map((slot) => Buffer.from(slot));

parentPort?.on('message', ({ task, from, to, slot }: BatchTask) => {
  const out = slots[slot] as Buffer;
  let length = 0;
  let piece = '';
  let overflow: string[] | undefined;
  const copy = (): void => {
    if (overflow === undefined && length + 3 * piece.length <= out.length) length += out.write(piece, length);
    else (overflow ??= [out.toString('utf8', 0, length)]).push(piece);
    piece = '';
  };
  let position = from;
  const levels = { low: 0, medium: 0, high: 0 };
  const writer = new ByteWriter(out);
  for (const record of batchRecords(data.options, from, to)) {
    levels[record.true_risk_level]++;
    if (encoder.encodeInto !== undefined && encoder.maxBytes !== undefined && piece === '') {
      // Fast path: bytes straight into the shared slot while they surely fit.
      writer.position = length;
      if (overflow === undefined && writer.room() >= encoder.maxBytes(record)) {
        encoder.encodeInto(record, position++, writer);
        length = writer.position;
        continue;
      }
    }
    piece += encoder.encode(record, position++);
    if (piece.length >= PIECE_CHARS) copy();
  }
  copy();
  const result: BatchTaskResult =
    overflow === undefined
      ? { task, slot, length, levels }
      : { task, slot, length: 0, overflow: Buffer.from(overflow.join('')), levels };
  parentPort?.postMessage(result);
});
