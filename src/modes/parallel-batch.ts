/**
 * Batch generation on several threads, byte-identical to one thread. The batch is cut into tasks of
 * consecutive positions, which the workers take in turn, each with an output buffer in shared
 * memory; the main thread writes the tasks' bytes in task order and sends each buffer out again
 * with the worker's next task. Each worker works up to BUFFERS_PER_WORKER tasks ahead of the writer.
 *
 * Shared, not transferred: moving an ArrayBuffer to another thread detaches it, and once any
 * buffer has been detached V8 checks every typed-array and DataView access for it, which made
 * the workers' encoding ~20% slower than the same code on one thread.
 *
 * With `generateOnMainThread`, when the sink lends its memory (a file written with direct I/O),
 * the main thread is generator 0 of the N and N − 1 worker threads are started: it encodes its
 * tasks in place in the sink's memory (no copy), and there is one worker fewer to start and warm
 * up. Otherwise (stdout, or Kafka, whose producer needs the main thread) all N are workers.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEncoder } from '../encoders/index.ts';
import type { BatchOptions, BatchResult, WriteBatchOptions } from './batch.ts';
import { batchSize } from './batch.ts';
import type { BatchTask, BatchTaskResult, BatchWorkerData } from './batch-worker.ts';
import type { EncodedTask } from './batch-task.ts';
import { encodeTask } from './batch-task.ts';
import { BatchGenerator } from './batch.ts';

export interface ParallelBatchOptions extends WriteBatchOptions {
  workers: number;
  /** Records per task. Default 2048 (~1.3 MB of JSON). */
  taskSize?: number | undefined;
  /** The main thread generates too, as one of the `workers`, where the sink lends memory (see above). */
  generateOnMainThread?: boolean | undefined;
  /** Records of each level per written task (metrics; workers count them). */
  onLevels?: ((levels: { low: number; medium: number; high: number }) => void) | undefined;
}

const BUFFER_BYTES = 4 << 20;
/** Sink memory a main-thread task asks for: room for a task of typical records (others overflow into a copy). */
const MAIN_TASK_BYTES = 2 << 20;
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
  const generators = Math.max(1, Math.min(workerCount, tasks));
  // Borrowed once to see whether the sink lends memory; not committed, so simply not used.
  const lends = options.generateOnMainThread === true && (await sink.borrow?.(MAIN_TASK_BYTES)) !== undefined;
  const mainGenerator = lends && generators > 1 ? new BatchGenerator(generation) : undefined;
  const workers = Array.from({ length: mainGenerator === undefined ? generators : generators - 1 }, () => {
    const data: BatchWorkerData = { options: generation, format: options.format, optionalFields: [] };
    return new Worker(workerUrl(), { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
  });
  /**
   * The worker (index) making a task, or -1 for the main thread: the generators take turns. (Giving
   * the main thread fewer tasks, for its copying and event loop, measured slower once the copying
   * was made fast: see DirectFile's #privateCopy.)
   */
  const ownerOf = (task: number): number => {
    if (mainGenerator === undefined) return task % generators;
    const generator = task % generators;
    return generator === 0 ? -1 : generator - 1;
  };

  // Results arrive per worker in the order it was given tasks; await them in global task order.
  const pending = new Map<number, { resolve: (r: BatchTaskResult) => void; reject: (e: Error) => void }>();
  const results = new Map<number, Promise<BatchTaskResult>>();
  for (const worker of workers) {
    worker.on('message', (result: BatchTaskResult) => pending.get(result.task)?.resolve(result));
    worker.on('error', (error) => {
      for (const p of pending.values()) p.reject(error);
    });
  }
  const rangeOf = (task: number): { from: number; to: number } => {
    const from = task * taskSize;
    return { from, to: Math.min(total, from + taskSize) };
  };
  /** Sends a task with a buffer to its worker (nothing past the last task, or for the main thread's). */
  const assign = (task: number, buffer: SharedArrayBuffer): void => {
    const worker = ownerOf(task);
    if (task >= tasks || worker === -1) return;
    results.set(
      task,
      new Promise((resolve, reject) => {
        pending.set(task, { resolve, reject });
      }),
    );
    const message: BatchTask = { task, ...rangeOf(task), buffer };
    workers[worker]?.postMessage(message);
  };
  /** Encodes one of the main thread's tasks in place in the sink's memory and hands it over. */
  const writeMainTask = async (task: number, generator: BatchGenerator): Promise<EncodedTask> => {
    const { from, to } = rangeOf(task);
    const lent = await sink.borrow?.(MAIN_TASK_BYTES);
    const out =
      lent === undefined ? Buffer.alloc(BUFFER_BYTES) : Buffer.from(lent.buffer, lent.byteOffset, lent.length);
    const result = encodeTask(from, to, out, generator, encoder);
    if (result.overflow !== undefined) await sink.write(result.overflow);
    else if (lent !== undefined) await sink.commit?.(result.length);
    else await sink.write(out.subarray(0, result.length));
    return result;
  };

  let written = 0;
  let interrupted = false;
  try {
    // BUFFERS_PER_WORKER tasks per worker in flight, each with its own buffer.
    for (let task = 0; task < BUFFERS_PER_WORKER * generators; task++) {
      assign(task, new SharedArrayBuffer(BUFFER_BYTES));
    }
    await sink.write(Buffer.from(encoder.header));
    let previous: { task: number; buffer: SharedArrayBuffer } | undefined;
    for (let task = 0; task < tasks; task++) {
      if (signal?.aborted === true) {
        interrupted = true;
        break;
      }
      if (mainGenerator !== undefined && ownerOf(task) === -1) {
        // Not inside onLevels?.(…): an optional call skips its arguments when there is no callback.
        const { levels } = await writeMainTask(task, mainGenerator);
        options.onLevels?.(levels);
      } else {
        const result = await (results.get(task) as Promise<BatchTaskResult>);
        results.delete(task);
        pending.delete(task);
        await sink.write(result.overflow ?? new Uint8Array(result.buffer, 0, result.length));
        options.onLevels?.(result.levels);
        // The sink may read a chunk until the next write resolves: only now is the previous buffer
        // free. Its worker's next task with it: the generators take turns, each with BUFFERS_PER_WORKER.
        if (previous !== undefined) assign(previous.task + BUFFERS_PER_WORKER * generators, previous.buffer);
        previous = { task, buffer: result.buffer };
      }
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
