// Benchmark: `lifecycle --fast` to a JSONL file at growing numbers of customers and journey
// lengths: wall time (linear in snapshots) and peak RSS (set by the customers, not the snapshots).
// Env: BENCH_LIFECYCLE (default "25000x180,50000x180,100000x180,25000x720": customers x days).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = new URL('../dist/cli/main.js', import.meta.url).pathname;
const runs = (process.env.BENCH_LIFECYCLE ?? '25000x180,50000x180,100000x180,25000x720').split(',');
const dir = mkdtempSync(join(tmpdir(), 'churn-datagen-lifecycle-bench-'));
console.log(`node ${process.version}; lifecycle --fast to a JSONL file`);
console.log('customers    days   snapshots     seconds   µs/snapshot   peak RSS');
try {
  for (const run of runs) {
    const [customers, days] = run.split('x').map(Number);
    const output = join(dir, 'journeys.jsonl');
    const started = process.hrtime.bigint();
    const { stderr, status } = spawnSync(
      '/usr/bin/time',
      ['-f', '%M', process.execPath, cli, 'lifecycle', '--customers', String(customers), '--days', String(days)].concat(
        ['--fast', '--seed', '1', '--start', '2026-01-01T00:00:00Z', '--output', output, '--quiet'],
      ),
      { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
    );
    if (status !== 0) throw new Error(`lifecycle failed: ${stderr}`);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const snapshots = customers * (Math.floor(days / 7) + 1);
    const rssMb = Number(stderr.trim().split('\n').pop()) / 1024;
    console.log(
      [
        String(customers).padEnd(12),
        String(days).padStart(5),
        snapshots.toLocaleString('en-US').padStart(11),
        seconds.toFixed(2).padStart(11),
        ((seconds * 1e6) / snapshots).toFixed(2).padStart(13),
        `${rssMb.toFixed(0)} MB`.padStart(10),
      ].join(' '),
    );
    rmSync(output, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
