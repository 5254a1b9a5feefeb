// Scale-out benchmark: batch to JSONL files with 1 and 2 worker threads (the CLI, timed from process
// start to exit; and the library in one process, timed from the start of generation, without the
// ~0.1 s of process start-up that both CLI runs pay), and with n = 1 and 2 separate shard processes
// running side by side, for 2M and 10M records (fixed costs weigh more in the shorter run). Each
// configuration runs BENCH_REPEAT times (default 3) and the best time counts, since this VM's speed
// drifts from run to run.
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

/** CLI processes side by side, from spawn to exit. */
async function timed(label, count, runs) {
  let seconds = Infinity;
  for (let i = 0; i < repeat; i++) {
    execFileSync('sync'); // start with no dirty pages from the previous run being written back
    const started = performance.now();
    await Promise.all(runs.map((args) => run(args)));
    seconds = Math.min(seconds, (performance.now() - started) / 1000);
    for (const args of runs) rmSync(args[args.length - 1], { force: true }); // the --output file
  }
  return { label, seconds, rate: count / seconds };
}

/** The library in one process (bench/run-batch.mjs), timed from the start of generation. */
function timedInProcess(label, count, workers) {
  let seconds = Infinity;
  const output = join(dir, `p${workers}.jsonl`);
  for (let i = 0; i < repeat; i++) {
    execFileSync('sync');
    const line = execFileSync(process.execPath, [runner, String(count), output, String(workers)], { encoding: 'utf8' });
    seconds = Math.min(seconds, JSON.parse(line).seconds);
    rmSync(output, { force: true });
  }
  return { label, seconds, rate: count / seconds };
}

console.log(`node ${process.version}, JSONL files in ${dir}, best of ${repeat}`);
try {
  for (const count of counts) {
    const common = ['batch', '--count', String(count), '--seed', '42', '--start', '2026-01-01T00:00:00Z', '--quiet'];
    const results = [];
    for (const workers of [1, 2]) {
      results.push(
        await timed(`--workers ${workers}`, count, [
          [...common, '--workers', String(workers), '--output', join(dir, `w${workers}.jsonl`)],
        ]),
      );
    }
    for (const workers of [1, 2]) results.push(timedInProcess(`library, workers ${workers}`, count, workers));
    for (const n of [1, 2]) {
      const runs = Array.from({ length: n }, (_, k) => [
        ...common,
        ...(n > 1 ? ['--shard', `${k}/${n}`] : []),
        '--output',
        join(dir, `s${k}.jsonl`),
      ]);
      results.push(await timed(`${n} shard process${n > 1 ? 'es' : ''}`, count, runs));
    }
    console.log(`\n${count.toLocaleString('en-US')} records`);
    console.log('run                   seconds   records/s   vs first of its kind (goal for 2 workers: 1.7x)');
    for (const [i, r] of results.entries()) {
      const base = results[i - (i % 2)];
      console.log(
        `${r.label.padEnd(20)} ${r.seconds.toFixed(2).padStart(8)} ${Math.round(r.rate).toLocaleString('en-US').padStart(11)}   ${(r.rate / base.rate).toFixed(2)}x`,
      );
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
