/**
 * Batch generation on several threads, byte-identical to one thread. The batch is cut into tasks of
 * consecutive positions, which the workers take in turn, each with an output buffer in shared
 * memory; the main thread writes the tasks' bytes in task order and sends each buffer out again
 * with the worker's next task. Each worker works up to BUFFERS_PER_WORKER tasks ahead of the writer.
 *
 * Shared, not transferred: moving an ArrayBuffer to another thread detaches it, and once any
 * buffer has been detached V8 checks every typed-array and DataView access for it: a cost on
 * every store the encoder makes.
 *
 * With `generateOnMainThread`, when the sink lends its memory (a file written with direct I/O),
 * the main thread is one of the N generators and N − 1 worker threads are started: it encodes its
 * tasks in place in the sink's memory (no copy). It starts at once and makes every task until a
 * worker has loaded, so the workers' start-up costs the run little; then it takes a share
 * of the tasks balanced by what they cost (see assignAhead). Otherwise (stdout, or Kafka, whose
 * producer needs the main thread) all N are workers, which take tasks at once.
 */
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createEncoder } from '../encoders/index.ts';
import type { BatchOptions, BatchResult, WriteBatchOptions } from './batch.ts';
import { batchOptionalFields, batchSize, checkWriteOptions } from './batch.ts';
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

/** Room for a task's output: 1 KiB a record (they take ~0.6 KiB); a larger output overflows into a copy. */
const BYTES_PER_RECORD = 1024;
/** Sink memory a main-thread task asks for: room for a task of typical records (others overflow into a copy). */
const MAIN_TASK_BYTES = 2 << 20;
/**
 * Tasks a worker may have done ahead of the writer: smooths out momentary differences in speed
 * (fewer left the threads waiting for each other more often: npm run bench:scale).
 */
const BUFFERS_PER_WORKER = 8;

export async function writeBatchParallel(options: ParallelBatchOptions): Promise<BatchResult> {
  const { sink, signal, workers: workerCount } = options;
  await checkWriteOptions(options);
  const total = batchSize(options);
  const taskSize = options.taskSize ?? 2048;
  const tasks = Math.ceil(total / taskSize);
  const optionalFields = batchOptionalFields(options);
  const encoder = createEncoder(options.format, optionalFields);
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
    withOutcome: options.withOutcome,
    withPrediction: options.withPrediction,
  };
  const generators = Math.max(1, Math.min(workerCount, tasks));
  // Borrowed once to see whether the sink lends memory; not committed, so simply not used.
  const lends = options.generateOnMainThread === true && (await sink.borrow?.(MAIN_TASK_BYTES)) !== undefined;
  const mainGenerator = lends && generators > 1 ? new BatchGenerator(generation) : undefined;
  const threads = mainGenerator === undefined ? generators : generators - 1;
  // Set by each worker once it has loaded (see the module comment); read without waiting.
  const ready = new Int32Array(new SharedArrayBuffer(4 * threads));
  const workers = Array.from({ length: threads }, (_, index) => {
    const data: BatchWorkerData = {
      options: generation,
      format: options.format,
      optionalFields,
      ready,
      index,
    };
    return new Worker(workerUrl(), { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
  });
  // Without a main-thread generator the workers take tasks at once: they queue until the thread runs.
  const isReady = (worker: number): boolean => mainGenerator === undefined || Atomics.load(ready, worker) === 1;
  const bufferBytes = Math.max(MAIN_TASK_BYTES, taskSize * BYTES_PER_RECORD);
  const freeBuffers = workers.map(() =>
    Array.from({ length: BUFFERS_PER_WORKER }, () => new SharedArrayBuffer(bufferBytes)),
  );
  let failure: Error | undefined;

  // Results arrive per worker in the order it was given tasks; await them in global task order.
  // A task without an entry in `results` is the main thread's (see assignAhead).
  const pending = new Map<number, { resolve: (r: BatchTaskResult) => void; reject: (e: Error) => void }>();
  const results = new Map<number, { worker: number; result: Promise<BatchTaskResult> }>();
  for (const worker of workers) {
    worker.on('message', (result: BatchTaskResult) => pending.get(result.task)?.resolve(result));
    worker.on('error', (error) => {
      failure ??= error;
      for (const p of pending.values()) p.reject(error);
    });
  }
  const rangeOf = (task: number): { from: number; to: number } => {
    const from = task * taskSize;
    return { from, to: Math.min(total, from + taskSize) };
  };

  /**
   * Who makes each task (a worker, or the main thread), decided in task order up to a window ahead of
   * the writer. The main thread takes `mainShare` of the tasks (a task each time its credit reaches
   * one); the ready workers take the rest in turn, a worker still loading is passed over, and a
   * worker with no free buffer holds its turn until the writer frees one.
   *
   * The main thread also writes every worker's output into the file (a copy), so its fair share
   * is below 1 / generators by an amount that depends on the machine. It follows from what the
   * tasks cost as the run goes (moving averages): with m ms per own task, c ms to write a worker's
   * task and w ms per task in a worker, the main thread's time per task, s·m + (1 − s)·c, equals
   * a worker's, (1 − s)·w / workers, at s = (w / workers − c) / (m − c + w / workers).
   */
  const costs = { main: 0, write: 0, worker: 0 };
  const averageIn = (key: keyof typeof costs, ms: number): void => {
    costs[key] = costs[key] === 0 ? ms : costs[key] + 0.1 * (ms - costs[key]);
  };
  let mainShare = mainGenerator === undefined ? 0 : 1 / generators;
  const balanceMainShare = (): void => {
    if (costs.main === 0 || costs.worker === 0) return;
    const perWorker = costs.worker / workers.length;
    mainShare = Math.min(
      1 / generators,
      Math.max(0.05, (perWorker - costs.write) / (costs.main - costs.write + perWorker)),
    );
  };
  let mainCredit = 0;
  let turn = 0;
  let nextUnassigned = 0;
  const nextReadyWorker = (): number | undefined => {
    for (let tried = 0; tried < workers.length; tried++) {
      const worker = (turn + tried) % workers.length;
      if (isReady(worker)) return worker;
    }
    return undefined;
  };
  const assignAhead = (nextToWrite: number): void => {
    while (nextUnassigned < tasks && nextUnassigned < nextToWrite + BUFFERS_PER_WORKER * generators) {
      const task = nextUnassigned;
      const worker = mainCredit + mainShare >= 1 ? undefined : nextReadyWorker();
      if (worker === undefined) {
        mainCredit = Math.max(0, mainCredit + mainShare - 1);
      } else {
        const buffer = freeBuffers[worker]?.pop();
        if (buffer === undefined) return; // its turn holds until the writer frees one of its buffers
        mainCredit += mainShare;
        turn = worker + 1;
        const result = new Promise<BatchTaskResult>((resolve, reject) => {
          pending.set(task, { resolve, reject });
        });
        results.set(task, { worker, result });
        workers[worker]?.postMessage({ task, ...rangeOf(task), buffer } satisfies BatchTask);
      }
      nextUnassigned++;
    }
  };
  /** Encodes one of the main thread's tasks in place in the sink's memory and hands it over. */
  const writeMainTask = async (task: number, generator: BatchGenerator): Promise<EncodedTask> => {
    const { from, to } = rangeOf(task);
    const lent = await sink.borrow?.(MAIN_TASK_BYTES);
    const out = lent === undefined ? Buffer.alloc(bufferBytes) : Buffer.from(lent.buffer, lent.byteOffset, lent.length);
    const result = encodeTask(from, to, out, generator, encoder);
    if (result.overflow !== undefined) await sink.write(result.overflow);
    else if (lent !== undefined) await sink.commit?.(result.length);
    else await sink.write(out.subarray(0, result.length));
    return result;
  };

  let written = 0;
  let interrupted = false;
  let terminating: Promise<unknown> | undefined;
  const terminate = (): Promise<unknown> => (terminating ??= Promise.all(workers.map((worker) => worker.terminate())));
  try {
    await sink.write(Buffer.from(encoder.header));
    /** The buffer of the last task written from a worker: the sink may read it until the next write resolves. */
    let previous: { worker: number; buffer: SharedArrayBuffer } | undefined;
    for (let task = 0; task < tasks; task++) {
      if (signal?.aborted === true) {
        interrupted = true;
        // Stopping the threads takes a while: alongside removing the file, not after it.
        void terminate();
        break;
      }
      if (failure !== undefined) throw failure;
      assignAhead(task);
      const fromWorker = results.get(task);
      if (fromWorker === undefined) {
        // The main thread's task: assignAhead gives it tasks only when it generates.
        if (mainGenerator === undefined) throw new Error(`parallel batch: task ${task} was never assigned`);
        // Not inside onLevels?.(…): an optional call skips its arguments when there is no callback.
        const started = performance.now();
        const { levels } = await writeMainTask(task, mainGenerator);
        averageIn('main', performance.now() - started);
        balanceMainShare();
        options.onLevels?.(levels);
      } else {
        const { worker } = fromWorker;
        const result = await fromWorker.result;
        results.delete(task);
        pending.delete(task);
        const started = performance.now();
        await sink.write(result.overflow ?? new Uint8Array(result.buffer, 0, result.length));
        averageIn('write', performance.now() - started);
        averageIn('worker', result.ms);
        options.onLevels?.(result.levels);
        if (previous !== undefined) freeBuffers[previous.worker]?.push(previous.buffer);
        previous = { worker, buffer: result.buffer };
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
    await terminate();
  }
}

/** The compiled worker (dist/); from TypeScript sources (tests), the built copy beside them. */
function workerUrl(): URL {
  const here = new URL('./batch-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL('../../dist/modes/batch-worker.js', import.meta.url);
}
