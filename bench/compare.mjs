// Benchmark: `batch` as users run it, this tree against another commit, side by side in one run
// (alternating rounds, so both see the same machine): to a JSONL file, and to Apache Kafka (one
// KRaft node, scripts/kafka-cluster.sh). Records/s is counted from the process start to its exit,
// flush and delivery reports included, as a user would time the command.
// Env: BENCH_BASELINE (a commit; required), BENCH_COMPARE_COUNT (default 1000000),
// BENCH_ROUNDS (default 3), BENCH_COMPARE_KAFKA=0 to skip Kafka, BENCH_COMPARE_TREE (default: this tree).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const tree = process.env.BENCH_COMPARE_TREE ?? root;
const baseline = process.env.BENCH_BASELINE;
if (!baseline) {
  console.error('bench/compare.mjs: set BENCH_BASELINE to the commit to compare with, e.g. BENCH_BASELINE=HEAD~1');
  process.exit(2);
}
const count = Number(process.env.BENCH_COMPARE_COUNT ?? 1_000_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const withKafka = process.env.BENCH_COMPARE_KAFKA !== '0';
const git = (...args) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8' }).trim();
const dir = mkdtempSync(join(tmpdir(), 'churn-datagen-compare-'));
const oldTree = join(dir, 'baseline');
const script = join(root, 'scripts/kafka-cluster.sh');

git('worktree', 'add', '--detach', oldTree, baseline);
let bootstrap;
try {
  symlinkSync(join(root, 'node_modules'), join(oldTree, 'node_modules'));
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: oldTree,
  });
  if (!existsSync(join(tree, 'dist/cli/main.js'))) throw new Error(`${tree} is not built: run npm run build`);
  if (withKafka) {
    const cluster = execFileSync('bash', [script, 'start', '--dir', join(dir, 'kafka')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    bootstrap = /bootstrap\.servers=(\S+)/.exec(cluster)[1];
  }
  console.log(
    `node ${process.version}; ${count.toLocaleString('en-US')} records; baseline ${git('rev-parse', '--short', baseline)} against ${tree === root ? 'this tree' : tree}`,
  );
  let topics = 0;
  const run = (cliTree, target) => {
    const args = ['batch', '--count', String(count), '--seed', '42', '--start', '2026-01-01T00:00:00Z', '--quiet'];
    if (target === 'file') args.push('--output', join(dir, 'out.jsonl'));
    else args.push('--kafka-servers', bootstrap, '--topic', `compare-${topics++}`);
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, [join(cliTree, 'dist/cli/main.js'), ...args], { encoding: 'utf8' });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (child.status !== 0) throw new Error(`${cliTree}: batch to ${target} exited ${child.status}: ${child.stderr}`);
    rmSync(join(dir, 'out.jsonl'), { force: true });
    return count / seconds;
  };
  const targets = withKafka ? ['file', 'kafka'] : ['file'];
  console.log('target  round  baseline rec/s  this rec/s  this/baseline');
  for (const target of targets) {
    const ratios = [];
    for (let round = 1; round <= rounds; round++) {
      const before = run(oldTree, target);
      const after = run(tree, target);
      ratios.push(after / before);
      console.log(
        [
          target.padEnd(6),
          String(round).padStart(6),
          Math.round(before).toLocaleString('en-US').padStart(15),
          Math.round(after).toLocaleString('en-US').padStart(11),
          `${(after / before).toFixed(2)}x`.padStart(14),
        ].join(' '),
      );
    }
    const sorted = [...ratios].sort((a, b) => a - b);
    console.log(`${target.padEnd(6)} median ratio ${sorted[Math.floor((sorted.length - 1) / 2)].toFixed(2)}x`);
  }
} finally {
  if (bootstrap !== undefined) spawnSync('bash', [script, 'stop', join(dir, 'kafka')], { stdio: 'inherit' });
  git('worktree', 'remove', '--force', oldTree);
  rmSync(dir, { recursive: true, force: true });
}
