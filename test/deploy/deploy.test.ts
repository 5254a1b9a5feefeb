/**
 * No Docker engine runs here, so the container files are checked for what can be checked: the
 * compose file parses and wires the generator to Kafka as documented; the Dockerfile is
 * multi-stage, non-root, and everything it copies or runs exists in the package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runInProcess } from '../support/cli.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string | number>;
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
}

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, ComposeService> };
  const kafka = compose.services.kafka!;
  const generator = compose.services['data-generator']!;

  it('runs Kafka in KRaft mode (no ZooKeeper) with a listener the generator can reach', () => {
    expect(kafka.image).toMatch(/^apache\/kafka:/);
    expect(kafka.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(kafka.environment?.KAFKA_ADVERTISED_LISTENERS).toContain('kafka:9092');
    expect(Object.keys(compose.services)).not.toContain('zookeeper');
  });

  it('builds the generator from Dockerfile.datagen and points it at Kafka through KAFKA_BOOTSTRAP_SERVERS', () => {
    expect(generator.build).toEqual({ context: '.', dockerfile: 'Dockerfile.datagen' });
    expect(existsSync(join(root, generator.build!.dockerfile))).toBe(true);
    expect(generator.image).toBe(`churn-datagen:${(JSON.parse(read('package.json')) as { version: string }).version}`);
    expect(generator.environment?.KAFKA_BOOTSTRAP_SERVERS).toBe('kafka:9092');
    expect(generator.depends_on?.kafka?.condition).toBe('service_healthy');
  });

  it("runs the seed's command, which the CLI accepts", async () => {
    expect(generator.command).toEqual(['stream', '--rate', '60', '--duration', '30']);
    const help = await runInProcess([generator.command![0]!, '--help']);
    expect(help.code).toBe(0);
    for (const flag of generator.command!.filter((a) => a.startsWith('--'))) expect(help.stdout).toContain(flag);
  });
});

describe('Dockerfile.datagen', () => {
  const dockerfile = read('Dockerfile.datagen');
  const lines = dockerfile.split('\n').filter((l) => !l.startsWith('#'));

  it('is multi-stage, runs as a non-root user, with the CLI as entrypoint', () => {
    expect(lines.filter((l) => l.startsWith('FROM ')).length).toBeGreaterThanOrEqual(2);
    expect(lines).toContain('USER node');
    const entrypoint = JSON.parse(
      lines.find((l) => l.startsWith('ENTRYPOINT '))!.slice('ENTRYPOINT '.length),
    ) as string[];
    const bin = (JSON.parse(read('package.json')) as { bin: Record<string, string> }).bin['churn-datagen']!;
    expect(entrypoint).toEqual(['node', `/app/${bin}`]);
  });

  it('copies only files that exist and builds with the scripts the package has', () => {
    for (const line of lines.filter((l) => l.startsWith('COPY ') && !l.includes('--from='))) {
      const sources = line.slice('COPY '.length).split(/\s+/).slice(0, -1);
      for (const source of sources) expect(existsSync(join(root, source)), source).toBe(true);
    }
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.postprepare).toBe('npm run build'); // `npm ci` in the build stage builds dist/
    expect(dockerfile).toContain('npm prune --omit=dev');
  });
});
