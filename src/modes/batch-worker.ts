/**
 * Worker thread of a parallel batch (parallel-batch.ts): encodes the tasks it is given
 * (batch-task.ts) into the buffer that came with each, and sends back the number of bytes
 * written. Records are a pure function of (seed, index, parameters), so which thread makes them
 * does not change a byte.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { OptionalField, OutputFormat } from '../encoders/index.ts';
import { createEncoder } from '../encoders/index.ts';
import type { BatchOptions } from './batch.ts';
import { BatchGenerator } from './batch.ts';
import type { EncodedTask } from './batch-task.ts';
import { encodeTask } from './batch-task.ts';

export interface BatchWorkerData {
  options: BatchOptions;
  format: OutputFormat;
  optionalFields: OptionalField[];
  /** Set to 1 at `index` once this worker has loaded and takes tasks (see parallel-batch.ts). */
  ready: Int32Array;
  index: number;
}

/** Positions [from, to) to encode into `buffer` (shared memory: see parallel-batch.ts). */
export interface BatchTask {
  task: number;
  from: number;
  to: number;
  buffer: SharedArrayBuffer;
}

/** The task's output, at the start of its buffer. */
export interface BatchTaskResult extends EncodedTask {
  task: number;
  buffer: SharedArrayBuffer;
  /** Milliseconds the worker spent on the task (balances the main thread's share). */
  ms: number;
}

const data = workerData as BatchWorkerData;
const encoder = createEncoder(data.format, data.optionalFields);
const generator = new BatchGenerator(data.options);

Atomics.store(data.ready, data.index, 1);

parentPort?.on('message', ({ task, from, to, buffer }: BatchTask) => {
  const started = performance.now();
  const encoded = encodeTask(from, to, Buffer.from(buffer), generator, encoder);
  const result: BatchTaskResult = { task, buffer, ...encoded, ms: performance.now() - started };
  parentPort?.postMessage(result);
});
