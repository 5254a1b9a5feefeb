// Benchmark: batch to a JSONL file on one generator thread, this tree against the last commit
// before the behavioural customer model, side by side in one run (alternating rounds, so both see
// the same machine). Prints records/s and peak RSS of each, and the ratio per round.
// Env: BENCH_MODEL_COUNTS (default 1000000,10000000), BENCH_MODEL_ROUNDS (3),
// BENCH_BASELINE (a commit; default: the parent of the commit that added src/core/behaviour.ts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const git = (...args) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();
const counts = (process.env.BENCH_MODEL_COUNTS ?? '1000000,10000000').split(',').map(Number);
const rounds = Number(process.env.BENCH_MODEL_ROUNDS ?? 3);
const added = git('log', '--diff-filter=A', '--format=%H', '--', 'src/core/behaviour.ts').split('\n').pop();
const baseline = process.env.BENCH_BASELINE ?? `${added}^`;
const dir = mkdtempSync(join(tmpdir(), 'churn-datagen-model-bench-'));
const oldTree = join(dir, 'baseline');

git('worktree', 'add', '--detach', oldTree, baseline);
try {
  symlinkSync(join(root, 'node_modules'), join(oldTree, 'node_modules'));
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: oldTree,
  });
  console.log(`node ${process.version}; baseline ${git('rev-parse', '--short', baseline)} against this tree`);
  console.log('records      round  baseline rec/s  RSS     model rec/s  RSS     model/baseline');
  const run = (tree, count) => {
    const output = join(dir, `bench-${count}.jsonl`);
    const line = execFileSync(process.execPath, [join(tree, 'bench/run-batch.mjs'), String(count), output], {
      encoding: 'utf8',
    });
    rmSync(output, { force: true });
    const { records, seconds, maxRssKb } = JSON.parse(line);
    return { rate: records / seconds, rssMb: maxRssKb / 1024 };
  };
  for (const count of counts) {
    const ratios = [];
    for (let round = 1; round <= rounds; round++) {
      const before = run(oldTree, count);
      const after = run(root, count);
      ratios.push(after.rate / before.rate);
      console.log(
        [
          String(count).padEnd(12),
          String(round).padStart(5),
          Math.round(before.rate).toLocaleString('en-US').padStart(15),
          `${before.rssMb.toFixed(0)} MB`.padStart(7),
          Math.round(after.rate).toLocaleString('en-US').padStart(12),
          `${after.rssMb.toFixed(0)} MB`.padStart(7),
          `${(after.rate / before.rate).toFixed(2)}x`.padStart(16),
        ].join(' '),
      );
    }
    const sorted = [...ratios].sort((a, b) => a - b);
    console.log(
      `${String(count).padEnd(12)} median ratio ${sorted[Math.floor((sorted.length - 1) / 2)].toFixed(2)}x (goal ≥ 0.75x)`,
    );
  }
} finally {
  git('worktree', 'remove', '--force', oldTree);
  rmSync(dir, { recursive: true, force: true });
}
