/**
 * Batch generation on worker threads, byte-identical to one thread. The batch is cut into tasks of
 * consecutive positions; task j goes to worker j mod N together with an output buffer in shared
 * memory; the main thread writes the tasks' bytes in task order and sends each buffer out again
 * with a later task. Each worker works up to BUFFERS_PER_WORKER tasks ahead of the writer.
 *
 * Shared, not transferred: moving an ArrayBuffer to another thread detaches it, and once any
 * buffer has been detached V8 checks every typed-array and DataView access for it, which made
 * the workers' encoding ~20% slower than the same code on one thread.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEncoder } from '../encoders/index.ts';
import type { BatchOptions, BatchResult, WriteBatchOptions } from './batch.ts';
import { batchSize } from './batch.ts';
import type { BatchTask, BatchTaskResult, BatchWorkerData } from './batch-worker.ts';

export interface ParallelBatchOptions extends WriteBatchOptions {
  workers: number;
  /** Records per task. Default 2048 (~1.3 MB of JSON). */
  taskSize?: number | undefined;
  /** Records of each level per written task (metrics; workers count them). */
  onLevels?: ((levels: { low: number; medium: number; high: number }) => void) | undefined;
}

const BUFFER_BYTES = 4 << 20;
/** Tasks a worker may have done ahead of the writer: smooths out momentary differences in speed. */
const BUFFERS_PER_WORKER = 4;

export async function writeBatchParallel(options: ParallelBatchOptions): Promise<BatchResult> {
  const { sink, signal, workers: workerCount } = options;
  const total = batchSize(options);
  const taskSize = options.taskSize ?? 2048;
  const tasks = Math.ceil(total / taskSize);
  const encoder = createEncoder(options.format);
  // What the workers need to make the records (plain data: it is copied to each thread).
  const generation: BatchOptions = {
    count: options.count,
    seed: options.seed,
    riskDistribution: options.riskDistribution,
    overlap: options.overlap,
    drift: options.drift,
    start: options.start,
    intervalMs: options.intervalMs,
    shard: options.shard,
  };
  const workers = Array.from({ length: Math.max(1, Math.min(workerCount, tasks)) }, () => {
    const data: BatchWorkerData = { options: generation, format: options.format, optionalFields: [] };
    return new Worker(workerUrl(), { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
  });

  // Results arrive per worker in the order it was given tasks; await them in global task order.
  const pending = new Map<number, { resolve: (r: BatchTaskResult) => void; reject: (e: Error) => void }>();
  const results = new Map<number, Promise<BatchTaskResult>>();
  for (const worker of workers) {
    worker.on('message', (result: BatchTaskResult) => pending.get(result.task)?.resolve(result));
    worker.on('error', (error) => {
      for (const p of pending.values()) p.reject(error);
    });
  }
  const assign = (task: number, buffer: SharedArrayBuffer): void => {
    if (task >= tasks) return;
    const from = task * taskSize;
    const message: BatchTask = { task, from, to: Math.min(total, from + taskSize), buffer };
    results.set(
      task,
      new Promise((resolve, reject) => {
        pending.set(task, { resolve, reject });
      }),
    );
    workers[task % workers.length]?.postMessage(message);
  };

  let written = 0;
  let interrupted = false;
  try {
    // BUFFERS_PER_WORKER tasks per worker in flight, each with its own buffer.
    for (let task = 0; task < Math.min(tasks, BUFFERS_PER_WORKER * workers.length); task++) {
      assign(task, new SharedArrayBuffer(BUFFER_BYTES));
    }
    await sink.write(Buffer.from(encoder.header));
    let previous: { task: number; buffer: SharedArrayBuffer } | undefined;
    for (let task = 0; task < tasks; task++) {
      if (signal?.aborted === true) {
        interrupted = true;
        break;
      }
      const result = await (results.get(task) as Promise<BatchTaskResult>);
      results.delete(task);
      pending.delete(task);
      await sink.write(result.overflow ?? new Uint8Array(result.buffer, 0, result.length));
      options.onLevels?.(result.levels);
      // The sink may read a chunk until the next write resolves: only now is the previous buffer free.
      if (previous !== undefined) assign(previous.task + BUFFERS_PER_WORKER * workers.length, previous.buffer);
      previous = { task, buffer: result.buffer };
      written = Math.min(total, (task + 1) * taskSize);
      options.onProgress?.(written, sink.bytesWritten);
      if (sink.closedByReader) break;
    }
    await sink.write(Buffer.from(encoder.footer));
    if (interrupted) await sink.abort();
    else await sink.close();
    return { records: written, bytes: sink.bytesWritten, interrupted };
  } catch (error) {
    await sink.abort();
    throw error;
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

/** The compiled worker (dist/); from TypeScript sources (tests), the built copy beside them. */
function workerUrl(): URL {
  const here = new URL('./batch-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL('../../dist/modes/batch-worker.js', import.meta.url);
}
