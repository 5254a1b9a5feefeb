// One measured batch run in its own process (so peak RSS is this run's alone).
// Usage: node bench/run-batch.mjs COUNT OUTPUT_PATH
import { FileSink, writeBatch } from '../dist/index.js';

const [count, output] = [Number(process.argv[2]), process.argv[3]];
const started = process.hrtime.bigint();
const result = await writeBatch({
  count,
  seed: 42,
  start: '2026-01-01T00:00:00.000Z',
  format: 'jsonl',
  sink: await FileSink.open(output),
});
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(
  JSON.stringify({ records: result.records, bytes: result.bytes, seconds, maxRssKb: process.resourceUsage().maxRSS }),
);
