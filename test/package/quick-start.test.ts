/**
 * The README's quick start in a copy of the repository: step 1 (`npm ci`, which builds, then
 * `npx churn-datagen batch`) writes its output into the working tree, then the checks `npm test` runs first (Prettier over the whole tree, ESLint) and git must
 * not trip over it, nor over any other file the README's or the seed's examples write there.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
/** The outputs of the examples in the user's original description of the tool. */
const seedExamples = ['--output customers.json', '--output test_data.json', '--output training_data.json'].join('\n');

/** The files the examples write relative to the working directory (`--output x`, `--out x`, …). */
function outputsNamed(text: string): string[] {
  const paths = [...text.matchAll(/--(?:output|manifest|control-output|out|json) ([A-Za-z0-9_.-]+\.[a-z]+)\b/g)].map(
    (m) => m[1]!,
  );
  return [...new Set(paths)];
}

const sh = (command: string, args: string[], cwd: string): string =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

let clone: string;
let outputs: string[];

beforeAll(() => {
  clone = tempDir('churn-datagen-clone-');
  for (const file of sh('git', ['ls-files'], root).trim().split('\n')) {
    mkdirSync(join(clone, dirname(file)), { recursive: true });
    cpSync(join(root, file), join(clone, file));
  }
  sh('git', ['init', '-q'], clone);
  sh('git', ['add', '-A'], clone);

  // Step 1 as the README writes it, with a small count. `npm ci` from the local cache where it can,
  // and without the optional Kafka client (its native build is not what this test is about).
  const step1 = /^(npm ci) && (npx churn-datagen batch .*)$/m.exec(readme);
  expect(step1).not.toBeNull();
  const install = `${step1![1]!} --prefer-offline --omit=optional --no-audit --no-fund`;
  const small = step1![2]!.replace(/--count \d+/, '--count 200');
  const result = spawnSync('sh', ['-c', `${install} && ${small} --quiet`], { cwd: clone, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  expect(readFileSync(join(clone, 'customers.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(200);
  // `npx churn-datagen` may run the bin file itself (with the optional Kafka client installed it
  // does): the build leaves it executable.
  expect(statSync(join(clone, 'dist/cli/main.js')).mode & 0o111).toBe(0o111);

  // Every other output the examples name, written by the tool in its format (from the extension).
  outputs = [...new Set([...outputsNamed(readme), ...outputsNamed(seedExamples)])];
  const cli = join(clone, 'dist/cli/main.js');
  const run = (args: string[]): void => {
    const result = spawnSync(process.execPath, [cli, ...args, '--quiet'], { cwd: clone, encoding: 'utf8' });
    expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  };
  run([
    'drift',
    ...['--duration', '2', '--rate', '600', '--fast', '--seed', '1', '--start', '2026-01-01T00:00:00Z'],
    ...['--output', 'drifted.jsonl', '--manifest', 'drift.json', '--control-output', 'control.jsonl'],
  ]);
  run(['report', 'drifted.jsonl', '--manifest', 'drift.json', '--out', 'report.html']);
  const written = new Set(['customers.jsonl', 'drifted.jsonl', 'drift.json', 'control.jsonl', 'report.html']);
  written.add('report.json');
  for (const path of outputs.filter((p) => !written.has(p) && /\.(jsonl|json|csv|parquet)$/.test(p)))
    run(['batch', '--count', '20', '--seed', '3', '--output', path]);
}, 300_000);

describe('the quick start in a clone', () => {
  it('the examples name the outputs this test covers', () => {
    expect(outputs).toEqual(
      expect.arrayContaining([
        'customers.jsonl',
        'customers.json',
        'training.csv',
        'drifted.jsonl',
        'drift.json',
        'control.jsonl',
        'report.html',
        'training_data.json',
        'test_data.json',
      ]),
    );
  });

  it('after step 1 and the other examples, `prettier --check .` passes', () => {
    const result = spawnSync(
      process.execPath,
      [join(clone, 'node_modules/prettier/bin/prettier.cjs'), '--check', '.'],
      {
        cwd: clone,
        encoding: 'utf8',
      },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 60_000);

  it('git ignores every output and nothing the repository holds', () => {
    const expected = [...new Set([...outputs, 'report.json'])].sort();
    expect(
      sh('git', ['check-ignore', ...expected], clone)
        .trim()
        .split('\n')
        .sort(),
    ).toEqual(expected);
    // Untracked files git would offer to commit: none (node_modules/ and dist/ included).
    expect(sh('git', ['ls-files', '--others', '--exclude-standard'], clone).trim()).toBe('');
    // Tracked files an ignore pattern matches: none (package.json, tsconfig.json, deploy/grafana/*.json…).
    expect(sh('git', ['ls-files', '--cached', '--ignored', '--exclude-standard'], clone).trim()).toBe('');
  });

  it('Prettier and ESLint skip the outputs and still check the repository’s own JSON and sources', async () => {
    const own = ['package.json', 'tsconfig.json', 'deploy/grafana/churn-datagen-dashboard.json', 'README.md'];
    const info = (path: string): { ignored: boolean } =>
      JSON.parse(
        sh(process.execPath, [join(clone, 'node_modules/prettier/bin/prettier.cjs'), '--file-info', path], clone),
      ) as { ignored: boolean };
    for (const path of outputs) expect(info(path).ignored, path).toBe(true);
    for (const path of own) expect(info(path).ignored, path).toBe(false);
    const eslint = new ESLint({ cwd: clone });
    for (const path of outputs) expect(await eslint.isPathIgnored(join(clone, path)), path).toBe(true);
    expect(await eslint.isPathIgnored(join(clone, 'src/cli/main.ts'))).toBe(false);
  });
});
