// Scale-out benchmark: batch to JSONL files with 1 and 2 worker threads (the CLI, timed from process
// start to exit; and the library in one process, timed from the start of generation, without the
// ~0.1 s of process start-up that both CLI runs pay), and with n = 1 and 2 separate shard processes
// running side by side, for 2M and 10M records (fixed costs weigh more in the shorter run).
//
// This VM's speed drifts by 10–15% over minutes, so each pair (1 against 2) runs back to back, in
// BENCH_REPEAT rounds (default 3): a ratio comes from the two runs of one round, never from runs
// minutes apart. The table gives the best time of each configuration, every round's ratio and
// their median (the lower middle one for an even number of rounds).
// Env: BENCH_SCALE_COUNTS (default 2000000,10000000), BENCH_REPEAT, BENCH_DIR (default the OS temp
// dir; /dev/shm takes the disk out of the measurement).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const counts = (process.env.BENCH_SCALE_COUNTS ?? '2000000,10000000').split(',').map(Number);
const bin = new URL('../dist/cli/main.js', import.meta.url).pathname;
const runner = new URL('./run-batch.mjs', import.meta.url).pathname;
const repeat = Number(process.env.BENCH_REPEAT ?? 3);
const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'churn-datagen-scale-'));

function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
  });
}

/** Seconds for CLI processes side by side, from spawn to exit. */
async function cliSeconds(runs) {
  execFileSync('sync'); // start with no dirty pages from the previous run being written back
  const started = performance.now();
  await Promise.all(runs.map((args) => run(args)));
  const seconds = (performance.now() - started) / 1000;
  for (const args of runs) rmSync(args[args.length - 1], { force: true }); // the --output file
  return seconds;
}

/** Seconds for the library in one process (bench/run-batch.mjs), from the start of generation. */
function librarySeconds(count, workers) {
  execFileSync('sync');
  const output = join(dir, `p${workers}.jsonl`);
  const line = execFileSync(process.execPath, [runner, String(count), output, String(workers)], { encoding: 'utf8' });
  rmSync(output, { force: true });
  return JSON.parse(line).seconds;
}

console.log(`node ${process.version}, JSONL files in ${dir}, ${repeat} rounds, pairs back to back`);
try {
  for (const count of counts) {
    const common = ['batch', '--count', String(count), '--seed', '42', '--start', '2026-01-01T00:00:00Z', '--quiet'];
    const cli = (workers) => [...common, '--workers', String(workers), '--output', join(dir, `w${workers}.jsonl`)];
    const shards = (n) =>
      Array.from({ length: n }, (_, k) => [
        ...common,
        ...(n > 1 ? ['--shard', `${k}/${n}`] : []),
        '--output',
        join(dir, `s${k}.jsonl`),
      ]);
    const pairs = [
      { labels: ['--workers 1', '--workers 2'], time: (n) => cliSeconds([cli(n)]) },
      { labels: ['library, workers 1', 'library, workers 2'], time: async (n) => librarySeconds(count, n) },
      { labels: ['1 shard process', '2 shard processes'], time: (n) => cliSeconds(shards(n)) },
    ];
    const rounds = pairs.map(() => []);
    for (let round = 0; round < repeat; round++) {
      for (const [i, pair] of pairs.entries()) rounds[i].push([await pair.time(1), await pair.time(2)]);
    }
    console.log(`\n${count.toLocaleString('en-US')} records`);
    console.log('run                  best s   records/s   speed-up in each round (goal for 2 workers: 1.7x)');
    for (const [i, pair] of pairs.entries()) {
      const ratios = rounds[i].map(([one, two]) => one / two).sort((a, b) => a - b);
      const median = ratios[Math.floor((ratios.length - 1) / 2)] ?? 0;
      for (const side of [0, 1]) {
        const best = Math.min(...rounds[i].map((times) => times[side]));
        const ratio =
          side === 0 ? '1.00x' : `${ratios.map((r) => `${r.toFixed(2)}x`).join(' ')} (median ${median.toFixed(2)}x)`;
        console.log(
          `${pair.labels[side].padEnd(20)} ${best.toFixed(2).padStart(7)} ${Math.round(count / best)
            .toLocaleString('en-US')
            .padStart(11)}   ${ratio}`,
        );
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
