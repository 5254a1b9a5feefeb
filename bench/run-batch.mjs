// One measured batch run in its own process (so peak RSS is this run's alone), timed from the
// start of generation (after the modules have loaded).
// Usage: node bench/run-batch.mjs COUNT OUTPUT_PATH [WORKERS]
import { FileSink, writeBatch, writeBatchParallel } from '../dist/index.js';

const [count, output, workers] = [Number(process.argv[2]), process.argv[3], Number(process.argv[4] ?? 1)];
const started = process.hrtime.bigint();
const options = {
  count,
  seed: 42,
  start: '2026-01-01T00:00:00.000Z',
  format: 'jsonl',
  sink: await FileSink.open(output),
};
// As the CLI runs --workers N: the main thread generates too where the file takes direct I/O.
const result =
  workers > 1
    ? await writeBatchParallel({ ...options, workers, generateOnMainThread: true })
    : await writeBatch(options);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(
  JSON.stringify({ records: result.records, bytes: result.bytes, seconds, maxRssKb: process.resourceUsage().maxRSS }),
);
