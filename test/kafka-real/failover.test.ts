/**
 * Leader failover on a three-broker Apache Kafka cluster (replication factor 3,
 * min.insync.replicas=2): the leader of a partition killed (kill -9) mid-stream at 5,000 records/s,
 * then a second broker, which leaves the partitions below their minimum in-sync replicas.
 *
 * Node 1 is the cluster's only KRaft controller and is never killed: with combined nodes, two dead
 * of three would take the controller quorum with them, and the cluster could no longer shrink its
 * ISRs (what the second kill is about).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerRecord } from '../../src/core/schema.ts';
import { runChild, tempDir } from '../support/cli.ts';
import type { KafkaCluster } from '../support/kafka-cluster.ts';
import { consumeAll, multiset, startKafka, storedUpTo } from '../support/kafka-cluster.ts';
import { sampleValue, scrape } from '../support/metrics.ts';
import { waitFor } from '../support/wait.ts';

let kafka: KafkaCluster;
const streamTopic = `failover-${process.pid}`;
const belowIsrTopic = `below-isr-${process.pid}`;
/**
 * Event times from the current minute: they are the message timestamps, and brokers expire an
 * idempotent producer whose last timestamp is a day old (docs/kafka.md, "Event times and Kafka").
 */
const start = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();

beforeAll(async () => {
  kafka = await startKafka({
    nodes: 3,
    controllers: 1,
    // A dead broker is fenced (and leaves the ISRs) after 4 s instead of 9.
    settings: { 'broker.heartbeat.interval.ms': 1000, 'broker.session.timeout.ms': 4000 },
  });
  // Preferred leaders 2, 3, 1: partition 0's leader is node 2, which the first test kills.
  const replicas = [
    [2, 3, 1],
    [3, 1, 2],
    [1, 2, 3],
  ];
  for (const topic of [streamTopic, belowIsrTopic]) {
    await kafka.createTopic(topic, { replicas, config: { 'min.insync.replicas': 2 } });
  }
}, 180_000);
afterAll(async () => {
  await kafka.stop();
});

describe('three Kafka brokers, replication factor 3, min.insync.replicas=2', () => {
  it('kill -9 of a partition leader mid-stream at 5,000/s: acknowledged = generated, every record once', async () => {
    expect((await kafka.leaders(streamTopic)).get(0)).toBe(2);
    const flags = ['--rate', '300000', '--duration', '0.25', '--seed', '41', '--start', start];
    const running = runChild(['stream', ...flags, '--kafka-servers', kafka.bootstrap, '--topic', streamTopic]);
    // Mid-stream (75,000 records over 15 s): node 2 leads partition 0 and has taken records there.
    await waitFor(async () => (await storedUpTo(kafka.internal, streamTopic, 1, 0)) > 0, {
      what: `the first records stored in partition 0 of '${streamTopic}'`,
      intervalMs: 250,
      abandonedBy: running.then((result) => result.stderr),
    });
    await kafka.kill(2);
    const result = await running;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/generated 75000, acknowledged 75000, failed 0;/);
    const leader = (await kafka.leaders(streamTopic)).get(0);
    expect([1, 3]).toContain(leader); // partition 0 moved to a surviving replica

    const file = join(tempDir(), 'expected.jsonl');
    expect((await runChild(['stream', ...flags, '--fast', '--output', file, '--quiet'])).code).toBe(0);
    const messages = await consumeAll(kafka.internal, streamTopic);
    expect(multiset(messages.map((m) => m.value))).toEqual(multiset(readFileSync(file, 'utf8').trimEnd().split('\n')));
    for (const m of messages) expect(m.key).toBe((JSON.parse(m.value) as CustomerRecord).customer_id);
  }, 120_000);

  it('a second broker down (below min.insync.replicas): the CLI reports the records that fail, none acknowledged is lost', async () => {
    // 1,000 records/s for 8 s; node 3 killed once the run has more than 1,000 acknowledged leaves
    // one in-sync replica of 2 needed. A 15 s delivery timeout instead of the default 120 s.
    // --metrics-port only to see the run's acknowledged count before the kill.
    const flags = ['--rate', '60000', '--duration', String(8 / 60), '--seed', '43', '--start', start];
    let stderr = '';
    const running = runChild(
      [
        'stream',
        ...flags,
        '--kafka-servers',
        kafka.bootstrap,
        '--topic',
        belowIsrTopic,
        '--delivery-timeout',
        '15',
        '--metrics-port',
        '0',
      ],
      { onStderr: (text) => (stderr += text) },
    );
    const abandonedBy = running.then((result) => result.stderr);
    const url = await waitFor(() => /metrics on (\S+)/.exec(stderr)?.[1], { what: 'the metrics URL', abandonedBy });
    let acknowledgedBefore = 0;
    await waitFor(
      async () => (acknowledgedBefore = sampleValue(await scrape(url), 'churn_datagen_records_delivered_total')) > 1000,
      {
        what: 'more than 1,000 records acknowledged',
        state: () => `${acknowledgedBefore} acknowledged`,
        abandonedBy,
      },
    );
    await kafka.kill(3);
    const result = await running;
    expect(result.code, result.stderr).toBe(1);
    const summary = /generated (\d+), acknowledged (\d+), failed (\d+);/.exec(result.stderr);
    expect(summary, result.stderr).not.toBeNull();
    const generated = Number(summary?.[1]);
    const acknowledged = Number(summary?.[2]);
    const failed = Number(summary?.[3]);
    expect(generated).toBe(8000);
    expect(acknowledged + failed).toBe(generated);
    expect(acknowledged).toBeGreaterThan(1000); // before the kill
    expect(failed).toBeGreaterThan(0);
    // librdkafka retries NOT_ENOUGH_REPLICAS until the delivery timeout, then reports the timeout.
    expect(result.stderr).toMatch(
      new RegExp(
        `${failed} records were not delivered \\((.*timed out|.*in-sync replicas).*\\).*--delivery-timeout \\(now 15 s\\)`,
        'i',
      ),
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);

    // With fewer in-sync replicas than the minimum, the high watermark stands still: what was
    // acknowledged is kept but not readable until a second replica is back in sync.
    await kafka.restart(3);
    await waitFor(
      async () => [...(await kafka.inSyncReplicas(belowIsrTopic)).values()].every((isr) => isr.length >= 2),
      { what: `two in-sync replicas of every partition of '${belowIsrTopic}'`, intervalMs: 250 },
    );
    const file = join(tempDir(), 'expected.jsonl');
    expect((await runChild(['stream', ...flags, '--fast', '--output', file, '--quiet'])).code).toBe(0);
    const sent = new Set(readFileSync(file, 'utf8').trimEnd().split('\n'));
    const stored = (await consumeAll(kafka.internal, belowIsrTopic)).map((m) => m.value);
    expect(new Set(stored).size).toBe(stored.length); // no duplicates
    expect(stored.filter((value) => !sent.has(value))).toEqual([]);
    // Every acknowledged record is there; a record reported failed may have been written too.
    expect(stored.length).toBeGreaterThanOrEqual(acknowledged);
  }, 120_000);
});
