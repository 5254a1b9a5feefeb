/**
 * Delivery accounting across broker outages, against the project's test broker taken down and
 * brought back (SIGUSR1/SIGUSR2), checked by an independent consumer (kcat). A record counts as
 * failed only when the client says so; while the client may still deliver, the run waits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBroker } from '../support/broker.ts';
import { consume, refusesConnections, startBroker } from '../support/broker.ts';
import { spawn } from 'node:child_process';
import { binPath, runChild } from '../support/cli.ts';
import type { CliResult } from '../support/cli.ts';
import { storedUpTo } from '../support/kafka-cluster.ts';
import { sampleValue, scrape } from '../support/metrics.ts';
import { sleep, waitFor } from '../support/wait.ts';

let broker: TestBroker;
let topicCount = 0;
const newTopic = (): string => `outage-${process.pid}-${++topicCount}`;

beforeAll(async () => {
  broker = await startBroker();
});
afterAll(async () => {
  await broker.stop();
});

/** Until the broker has taken the first records of `topic`: the run is mid-stream. */
async function firstRecordsStored(topic: string, running: Promise<CliResult>): Promise<void> {
  await waitFor(async () => (await storedUpTo(broker.bootstrap, topic, 1)) > 0, {
    what: `the first records stored in '${topic}'`,
    intervalMs: 250,
    abandonedBy: running.then((result) => result.stderr),
  });
}

function summaryOf(stderr: string): { generated: number; acknowledged: number; failed: number } {
  const match = /generated (\d+), acknowledged (\d+), failed (\d+);/.exec(stderr);
  expect(match, stderr).not.toBeNull();
  return { generated: Number(match![1]), acknowledged: Number(match![2]), failed: Number(match![3]) };
}

describe('stream through a broker outage', () => {
  it('down from its first records to 40 s of a 12 s stream: every record delivered once, none reported failed, exit 0', async () => {
    const topic = newTopic();
    const started = Date.now();
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
    await firstRecordsStored(topic, running);
    broker.down();
    // Back 40 s after the start, long after the stream's end: the outage is what is tested.
    await sleep(40_000 - (Date.now() - started));
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
    await firstRecordsStored(topic, running);
    broker.down();
    const result = await running; // the broker stays down until every verdict is in
    broker.up();
    expect(result.code).toBe(1);
    const summary = summaryOf(result.stderr);
    expect(summary.generated).toBe(3000);
    expect(summary.acknowledged + summary.failed).toBe(3000);
    expect(summary.acknowledged).toBeGreaterThan(0); // the first records got through
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
    // --metrics-port only to see the records in flight (queue depth) before the Ctrl-C.
    const child = spawn(process.execPath, [binPath, ...args, '--metrics-port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<CliResult & { at: number }>((resolve) => {
      child.on('close', (code) => resolve({ code: code ?? -1, stdout: '', stderr, at: performance.now() }));
    });
    const abandonedBy = exited.then((result) => result.stderr);
    const url = await waitFor(() => /metrics on (\S+)/.exec(stderr)?.[1], { what: 'the metrics URL', abandonedBy });
    const metric = async (name: string): Promise<number> => sampleValue(await scrape(url), name);
    await waitFor(async () => (await metric('churn_datagen_records_delivered_total')) > 0, {
      what: 'the first records acknowledged',
      abandonedBy,
    });
    broker.down();
    await waitFor(() => refusesConnections(broker.bootstrap), { what: 'the broker refusing connections' });
    // Records sent since the broker went down, which it cannot acknowledge now.
    await waitFor(async () => (await metric('churn_datagen_queue_depth')) > 0, {
      what: 'records in flight while the broker is down',
      abandonedBy,
    });
    child.kill('SIGINT'); // stops generating; the client still holds what the broker has not taken
    await waitFor(
      () =>
        /waiting up to \d+ s for the broker to acknowledge \d+ records in flight; Ctrl-C again stops waiting/.test(
          stderr,
        ),
      { what: 'the message that the run waits for the records in flight', timeoutMs: 10_000, abandonedBy },
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
