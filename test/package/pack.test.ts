/**
 * Installable the way users install it: `npm pack`, installed into an empty directory, the
 * executable runs, and a TypeScript consumer compiles against the packed types and runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
let consumer: string;

const sh = (command: string, args: string[], cwd: string): string =>
  execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_loglevel: 'error' },
  });

beforeAll(() => {
  const packs = tempDir('churn-datagen-pack-');
  // --ignore-scripts: dist/ is already built by the suite's global setup
  const tarball = sh('npm', ['pack', '--ignore-scripts', '--pack-destination', packs, '--silent'], root)
    .trim()
    .split('\n')
    .pop()!;
  consumer = tempDir('churn-datagen-consumer-');
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // The optional native Kafka client is left out: the package must work without it.
  sh('npm', ['install', '--omit=optional', '--no-audit', '--no-fund', join(packs, tarball)], consumer);
}, 180_000);

describe('the packed package', () => {
  it('ships only what it needs', () => {
    const files = sh('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], root);
    const paths = (JSON.parse(files) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(paths).toContain('dist/cli/main.js');
    expect(paths).toContain('dist/index.d.ts');
    expect(paths).toContain('dist/modes/batch-worker.js');
    expect(paths.some((p) => p.startsWith('src/') || p.startsWith('test/'))).toBe(false);
  });

  it('runs with npx: --version, --help and a batch', () => {
    expect(sh('npx', ['churn-datagen', '--version'], consumer).trim()).toBe(version);
    expect(sh('npx', ['churn-datagen', 'batch', '--help'], consumer)).toContain('--count <n>');
    sh('npx', ['churn-datagen', 'batch', '--count', '25', '--seed', '1', '--output', 'c.csv', '--quiet'], consumer);
    expect(readFileSync(join(consumer, 'c.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(26);
  });

  it('a TypeScript consumer compiles against the packed types (ESM exports) and runs', () => {
    mkdirSync(join(consumer, 'src'), { recursive: true });
    writeFileSync(
      join(consumer, 'src/main.ts'),
      `import { SyntheticDataGenerator, type CustomerRecord, type RiskLevel } from 'churn-datagen';
const generator = new SyntheticDataGenerator({ seed: 5, start: '2026-01-01T00:00:00Z' });
const level: RiskLevel = 'high';
const customer: CustomerRecord = generator.generateCustomer(level);
generator.setDrift(0.5, -1);
console.log(customer.true_risk_level, generator.generateBatch(3).length, customer.support_tickets_open <= customer.support_tickets_total);
`,
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          outDir: 'out',
          rootDir: 'src',
          typeRoots: [join(root, 'node_modules/@types')],
          types: ['node'],
        },
        include: ['src'],
      }),
    );
    sh(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], consumer);
    expect(sh(process.execPath, ['out/main.js'], consumer).trim()).toBe('high 3 true');
  });
});
