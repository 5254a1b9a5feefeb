// Benchmark: batch to a JSONL file with all fields, on one core (the generator is single-threaded).
// Prints records/s, MB/s and peak RSS for 1M and 10M records, and the ratio to the targets
// (700,000 records/s; 120 MB peak RSS at 10M). Run with `npm run bench`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const targets = { recordsPerSecond: 700_000, peakRssMb: 120 };
const counts = (process.env.BENCH_COUNTS ?? '1000000,10000000').split(',').map(Number);
const dir = mkdtempSync(join(tmpdir(), 'churn-datagen-bench-'));
const runner = new URL('./run-batch.mjs', import.meta.url).pathname;

console.log(`node ${process.version}, batch --format jsonl to a file in ${dir}`);
console.log('records      records/s   MB/s    peak RSS   vs 700k/s   RSS vs 120 MB');
try {
  for (const count of counts) {
    const output = join(dir, `bench-${count}.jsonl`);
    const line = execFileSync(process.execPath, [runner, String(count), output], { encoding: 'utf8' });
    const { records, bytes, seconds, maxRssKb } = JSON.parse(line);
    const rate = records / seconds;
    const rssMb = maxRssKb / 1024;
    console.log(
      [
        String(records).padEnd(12),
        Math.round(rate).toLocaleString('en-US').padStart(9),
        (bytes / 1e6 / seconds).toFixed(0).padStart(7),
        `${rssMb.toFixed(0)} MB`.padStart(11),
        `${(rate / targets.recordsPerSecond).toFixed(2)}x`.padStart(11),
        `${(rssMb / targets.peakRssMb).toFixed(2)}x`.padStart(15),
      ].join(' '),
    );
    rmSync(output, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
