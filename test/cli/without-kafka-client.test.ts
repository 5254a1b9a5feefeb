/**
 * An install where the optional native Kafka client is missing, or present but its native build
 * failed, still writes files; Kafka modes and `doctor` say what is missing and why instead of
 * crashing.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { binPath, tempDir } from '../support/cli.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const client = join(root, 'node_modules/@confluentinc/kafka-javascript');
let missing: string;
let unbuilt: string;

/** A copy of the package whose node_modules holds the runtime dependencies but not the client. */
function installWithoutClient(): string {
  const install = tempDir('churn-datagen-no-kafka-');
  cpSync(join(root, 'dist'), join(install, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(install, 'package.json'));
  mkdirSync(join(install, 'node_modules'));
  for (const dependency of Object.keys(
    (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: object }).dependencies,
  )) {
    symlinkSync(join(root, 'node_modules', dependency), join(install, 'node_modules', dependency));
  }
  return install;
}

beforeAll(() => {
  missing = installWithoutClient();
  // The client's JavaScript without its compiled addon: what a failed native build leaves.
  unbuilt = installWithoutClient();
  const copy = join(unbuilt, 'node_modules/@confluentinc/kafka-javascript');
  mkdirSync(copy, { recursive: true });
  for (const part of ['package.json', 'lib', 'librdkafka.js'])
    cpSync(join(client, part), join(copy, part), { recursive: true });
  for (const dependency of ['bindings', 'file-uri-to-path']) {
    symlinkSync(join(root, 'node_modules', dependency), join(unbuilt, 'node_modules', dependency));
  }
});

const run = (install: string, args: string[]): { status: number | null; stdout: string; stderr: string } =>
  spawnSync(process.execPath, [join(install, 'dist/cli/main.js'), ...args], { cwd: install, encoding: 'utf8' });

describe('without @confluentinc/kafka-javascript', () => {
  it('batch to a file works', () => {
    const result = run(missing, ['batch', '--count', '100', '--seed', '1', '--output', 'c.jsonl']);
    expect(result.status).toBe(0);
    expect(readFileSync(join(missing, 'c.jsonl'), 'utf8').trimEnd().split('\n')).toHaveLength(100);
  });

  it('a Kafka mode says clearly what is missing, in one line, exit 1', () => {
    const result = run(missing, ['stream', '--rate', '60', '--kafka-servers', '127.0.0.1:9']);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('Kafka output needs the optional package @confluentinc/kafka-javascript');
    expect(result.stderr).toContain('or write to a file with --output');
  });
});

describe('doctor: whether Kafka support is available, and why not', () => {
  it.each([
    ['not installed', () => missing, "Cannot find package '@confluentinc/kafka-javascript'"],
    ['native build failed', () => unbuilt, 'Could not locate the bindings file'],
  ])('%s: doctor and the Kafka error give the same first line of the load error', (_case, install, reason) => {
    const doctor = run(install(), ['doctor']);
    expect(doctor.status).toBe(1);
    const line = doctor.stdout.split('\n').find((l) => l.startsWith('Kafka support: '));
    expect(line).toMatch(/^Kafka support: not available: Kafka output needs the optional package/);
    expect(line).toContain(reason);
    const detail = /\((.*?)\); install it/.exec(line!)?.[1];
    expect(detail).toBeDefined();
    expect(detail).not.toContain('\n');
    const kafka = run(install(), ['batch', '--count', '5', '--kafka-servers', '127.0.0.1:9']);
    expect(kafka.status).toBe(1);
    expect(kafka.stderr).toContain(`(${detail!}); install it with 'npm install @confluentinc/kafka-javascript'`);
  });

  it('with the client built: available, with its version and librdkafka version', () => {
    const doctor = spawnSync(process.execPath, [binPath, 'doctor'], { encoding: 'utf8' });
    expect(doctor.status).toBe(0);
    const version = (JSON.parse(readFileSync(join(client, 'package.json'), 'utf8')) as { version: string }).version;
    expect(doctor.stdout).toMatch(
      new RegExp(
        `^Kafka support: available \\(@confluentinc/kafka-javascript ${version.replace(/\./g, '\\.')}, librdkafka \\d+\\.\\d+`,
        'm',
      ),
    );
  });
});
