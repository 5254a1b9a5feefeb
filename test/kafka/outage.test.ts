/**
 * Delivery accounting across broker outages, against the project's test broker taken down and
 * brought back (SIGUSR1/SIGUSR2), checked by an independent consumer (kcat). A record counts as
 * failed only when the client says so; while the client may still deliver, the run waits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBroker } from '../support/broker.ts';
import { consume, startBroker } from '../support/broker.ts';
import { spawn } from 'node:child_process';
import { binPath, runChild } from '../support/cli.ts';
import type { CliResult } from '../support/cli.ts';

let broker: TestBroker;
let topicCount = 0;
const newTopic = (): string => `outage-${process.pid}-${++topicCount}`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  broker = await startBroker();
});
afterAll(async () => {
  await broker.stop();
});

function summaryOf(stderr: string): { generated: number; acknowledged: number; failed: number } {
  const match = /generated (\d+), acknowledged (\d+), failed (\d+);/.exec(stderr);
  expect(match, stderr).not.toBeNull();
  return { generated: Number(match![1]), acknowledged: Number(match![2]), failed: Number(match![3]) };
}

describe('stream through a broker outage', () => {
  it('down from 4 s to 40 s of a 12 s stream: every record delivered once, none reported failed, exit 0', async () => {
    const topic = newTopic();
    const running = runChild([
      'stream',
      '--rate',
      '30000',
      '--duration',
      '0.2',
      '--seed',
      '20',
      '--kafka-servers',
      broker.bootstrap,
      '--topic',
      topic,
    ]);
    await sleep(4000);
    broker.down();
    await sleep(36_000);
    broker.up();
    const result = await running;
    expect(result.code, result.stderr).toBe(0);
    expect(summaryOf(result.stderr)).toEqual({ generated: 6000, acknowledged: 6000, failed: 0 });
    const keys = (await consume(broker.bootstrap, topic)).map((m) => m.key);
    expect(keys).toHaveLength(6000);
    expect(new Set(keys).size).toBe(6000);
  }, 90_000);

  it('down for longer than --delivery-timeout: exactly the records the broker lacks are reported failed', async () => {
    const topic = newTopic();
    const running = runChild([
      'stream',
      '--rate',
      '30000',
      '--duration',
      '0.1',
      '--seed',
      '21',
      '--delivery-timeout',
      '2',
      '--kafka-servers',
      broker.bootstrap,
      '--topic',
      topic,
    ]);
    await sleep(2000);
    broker.down();
    const result = await running; // the broker stays down until every verdict is in
    broker.up();
    expect(result.code).toBe(1);
    const summary = summaryOf(result.stderr);
    expect(summary.generated).toBe(3000);
    expect(summary.acknowledged + summary.failed).toBe(3000);
    expect(summary.acknowledged).toBeGreaterThan(0); // the first 2 s got through
    expect(summary.failed).toBeGreaterThan(0);
    expect(result.stderr).toContain(`churn-datagen: ${summary.failed} records were not delivered (`);
    expect(result.stderr).toContain('--delivery-timeout (now 2 s)');
    const keys = (await consume(broker.bootstrap, topic)).map((m) => m.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(summary.acknowledged);
  }, 60_000);

  it('Ctrl-C while the broker is down waits for the verdicts; Ctrl-C again stops waiting: in flight is neither delivered nor failed', async () => {
    const topic = newTopic();
    const args = ['stream', '--rate', '6000', '--seed', '22', '--kafka-servers', broker.bootstrap, '--topic', topic];
    const child = spawn(process.execPath, [binPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<CliResult & { at: number }>((resolve) => {
      child.on('close', (code) => resolve({ code: code ?? -1, stdout: '', stderr, at: performance.now() }));
    });
    await sleep(1500);
    broker.down();
    await sleep(1500);
    child.kill('SIGINT'); // stops generating; the client still holds what the broker has not taken
    await sleep(2000);
    expect(stderr).toMatch(
      /waiting up to \d+ s for the broker to acknowledge \d+ records in flight; Ctrl-C again stops waiting/,
    );
    const secondAt = performance.now();
    child.kill('SIGINT');
    const result = await exited;
    broker.up();
    expect(result.at - secondAt).toBeLessThan(1500);
    expect(result.code).toBe(1);
    const summary = summaryOf(result.stderr);
    expect(summary.failed).toBe(0);
    const unknown = summary.generated - summary.acknowledged;
    expect(unknown).toBeGreaterThan(0);
    expect(result.stderr).toContain(`${unknown} records were still in flight when the wait for them was stopped`);
    const keys = (await consume(broker.bootstrap, topic)).map((m) => m.key);
    expect(keys.length).toBeGreaterThanOrEqual(summary.acknowledged);
    expect(keys.length).toBeLessThanOrEqual(summary.generated);
  }, 30_000);
});
