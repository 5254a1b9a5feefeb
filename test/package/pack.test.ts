/**
 * Installable the way users install it: `npm pack`, installed into an empty directory, the
 * executable runs, and a TypeScript consumer compiles against the packed types and runs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
let consumer: string;
let installMessages: string;

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
  const install = spawnSync('npm', ['install', '--omit=optional', '--no-audit', '--no-fund', join(packs, tarball)], {
    cwd: consumer,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'warn' },
  });
  expect(install.status, install.stderr).toBe(0);
  installMessages = `${install.stdout}${install.stderr}`;
}, 180_000);

describe('the packed package', () => {
  it('ships only what it needs', () => {
    const files = sh('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], root);
    const paths = (JSON.parse(files) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    expect(paths).toContain('dist/cli/main.js');
    expect(paths).toContain('dist/index.d.ts');
    expect(paths).toContain('dist/modes/batch-worker.js');
    expect(paths.some((p) => p.startsWith('src/') || p.startsWith('test/'))).toBe(false);
    // No source maps: they would point at src/, which is not shipped.
    expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
    expect(paths).toContain('LICENSE');
  });

  it('installs without running or announcing install scripts', () => {
    const installed = JSON.parse(readFileSync(join(consumer, 'node_modules/churn-datagen/package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
    };
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare'])
      expect(installed.scripts?.[hook], hook).toBeUndefined();
    expect(installMessages).not.toMatch(/install.scripts/i);
    // The shipped JavaScript names no source map either.
    const main = readFileSync(join(consumer, 'node_modules/churn-datagen/dist/cli/main.js'), 'utf8');
    expect(main).not.toContain('sourceMappingURL');
  });

  it('carries the MIT license its package.json names', () => {
    const packed = join(consumer, 'node_modules/churn-datagen');
    expect((JSON.parse(readFileSync(join(packed, 'package.json'), 'utf8')) as { license: string }).license).toBe('MIT');
    const license = readFileSync(join(packed, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} churn-datagen contributors\n/);
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
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
