/**
 * An install where the optional native Kafka client is missing (its build failed) still writes
 * files; Kafka modes say what is missing instead of crashing.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
let install: string;

beforeAll(() => {
  // A copy of the package whose node_modules holds the runtime dependencies but not the client.
  install = tempDir('churn-datagen-no-kafka-');
  cpSync(join(root, 'dist'), join(install, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(install, 'package.json'));
  mkdirSync(join(install, 'node_modules'));
  for (const dependency of Object.keys(
    (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: object }).dependencies,
  )) {
    symlinkSync(join(root, 'node_modules', dependency), join(install, 'node_modules', dependency));
  }
});

const run = (args: string[]): { status: number | null; stdout: string; stderr: string } =>
  spawnSync(process.execPath, [join(install, 'dist/cli/main.js'), ...args], { cwd: install, encoding: 'utf8' });

describe('without @confluentinc/kafka-javascript', () => {
  it('batch to a file works', () => {
    const result = run(['batch', '--count', '100', '--seed', '1', '--output', 'c.jsonl']);
    expect(result.status).toBe(0);
    expect(readFileSync(join(install, 'c.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(100);
  });

  it('a Kafka mode says clearly what is missing, in one line, exit 1', () => {
    const result = run(['stream', '--rate', '60', '--kafka-servers', '127.0.0.1:9']);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('Kafka output needs the optional package @confluentinc/kafka-javascript');
    expect(result.stderr).toContain('or write to a file with --output');
  });
});
