/**
 * A single Apache Kafka node killed (kill -9) and started again on the same port and data
 * directory: for a moment mid-stream, for 20 s mid-stream (and a run started meanwhile) and for
 * 60 s. With the broker back in time, every record is stored exactly once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerRecord } from '../../src/core/schema.ts';
import { runChild, tempDir } from '../support/cli.ts';
import type { KafkaCluster, RawMessage } from '../support/kafka-cluster.ts';
import { consumeAll, startKafka, storedUpTo } from '../support/kafka-cluster.ts';
import { sleep, waitFor } from '../support/wait.ts';

let kafka: KafkaCluster;
let topicCount = 0;
const newTopic = (): string => `outage-${process.pid}-${++topicCount}`;
/**
 * Event times from the current minute: they are the messages' timestamps, and a restarted broker
 * drops the state of an idempotent producer whose last timestamp is older than
 * producer.id.expiration.ms (a day), so a retry could no longer be recognised (docs/kafka.md,
 * "Event times and Kafka"; the last test here covers that case).
 */
const start = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();

beforeAll(async () => {
  kafka = await startKafka();
});
afterAll(async () => {
  await kafka.stop();
});

/** The records `stream` makes for these flags, from the simulated clock into a file. */
async function expectedLines(streamFlags: string[]): Promise<string[]> {
  const file = join(tempDir(), 'expected.jsonl');
  const written = await runChild(['stream', ...streamFlags, '--fast', '--output', file, '--quiet']);
  expect(written.code).toBe(0);
  return readFileSync(file, 'utf8').trimEnd().split('\n');
}

/**
 * Streams to a new topic and runs `outage` once the broker has stored the first records (the
 * stream is under way); returns the CLI's result and the topic.
 */
async function streamThrough(streamFlags: string[], outage: () => Promise<void>, topic = newTopic()) {
  const running = runChild(['stream', ...streamFlags, '--kafka-servers', kafka.bootstrap, '--topic', topic]);
  await waitFor(async () => (await storedUpTo(kafka.internal, topic, 1)) > 0, {
    what: `the first records stored in '${topic}'`,
    intervalMs: 250,
    abandonedBy: running.then((result) => result.stderr),
  });
  await outage();
  return { result: await running, topic };
}

/** What the topic holds against what was generated: records missing, records there twice or more. */
function difference(stored: string[], expected: string[]): { missing: number; repeated: number } {
  const counts = new Map<string, number>();
  for (const line of expected) counts.set(line, (counts.get(line) ?? 0) + 1);
  let repeated = 0;
  for (const value of stored) {
    const left = counts.get(value) ?? 0;
    if (left === 0) repeated++;
    else counts.set(value, left - 1);
  }
  let missing = 0;
  for (const left of counts.values()) missing += left;
  return { missing, repeated };
}

/** Every record stored exactly once: none lost, none twice (the retries were recognised). */
function expectExactlyOnce(messages: RawMessage[], expected: string[]): void {
  const { missing, repeated } = difference(
    messages.map((m) => m.value),
    expected,
  );
  expect({ missing, repeated }).toEqual({ missing: 0, repeated: 0 });
}

const summaryOf = (stderr: string): { generated: number; acknowledged: number; failed: number } => {
  const match = /generated (\d+), acknowledged (\d+), failed (\d+);/.exec(stderr);
  expect(match, stderr).not.toBeNull();
  return { generated: Number(match![1]), acknowledged: Number(match![2]), failed: Number(match![3]) };
};

describe('a single Kafka node killed and restarted', () => {
  it('kill -9 and an immediate restart mid-stream: every record acknowledged and stored exactly once', async () => {
    const flags = ['--rate', '60000', '--duration', '0.2', '--seed', '31', '--start', start];
    const { result, topic } = await streamThrough(flags, async () => {
      await kafka.kill(1);
      await kafka.restart(1);
    });
    expect(result.code, result.stderr).toBe(0);
    const summary = summaryOf(result.stderr);
    expect(summary).toEqual({ generated: 12_000, acknowledged: 12_000, failed: 0 });
    const messages = await consumeAll(kafka.internal, topic);
    expectExactlyOnce(messages, await expectedLines(flags));
    for (const m of messages) expect(m.key).toBe((JSON.parse(m.value) as CustomerRecord).customer_id);
  }, 90_000);

  it('down for 20 s mid-stream: the run goes on, reports progress, and delivers everything when it is back; a run started meanwhile says it cannot reach it', async () => {
    const flags = ['--rate', '60000', '--duration', '0.5', '--seed', '32', '--start', start];
    let refused: { result: Awaited<ReturnType<typeof runChild>>; seconds: number } | undefined;
    const { result, topic } = await streamThrough(flags, async () => {
      await kafka.kill(1);
      const down = Date.now();
      const result = await runChild(['batch', '--count', '10', '--kafka-servers', kafka.bootstrap, '--topic', 'x']);
      refused = { result, seconds: (Date.now() - down) / 1000 };
      await sleep(20_000 - (Date.now() - down)); // down for 20 s: what the test is about
      await kafka.restart(1);
    });
    // The run started while the broker was down: one clear line naming the address, exit 1 within 15 s.
    expect(refused!.seconds).toBeLessThan(15);
    expect(refused!.result.code).toBe(1);
    expect(refused!.result.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused!.result.stderr).toContain(`cannot reach Kafka at ${kafka.bootstrap}`);

    expect(result.code, result.stderr).toBe(0);
    expect(summaryOf(result.stderr)).toEqual({ generated: 30_000, acknowledged: 30_000, failed: 0 });
    // The status lines kept coming through the outage; none is a stack trace.
    expect(result.stderr).toMatch(/sent \d+ acknowledged \d+ failed 0/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const messages = await consumeAll(kafka.internal, topic);
    expectExactlyOnce(messages, await expectedLines(flags));
  }, 120_000);
  it('down for 60 s mid-stream, within the delivery timeout: the run waits it out and delivers everything, exit 0', async () => {
    // 200 records/s for 72 s; the broker is away for 60 s from its first records, under the 120 s
    // delivery timeout.
    const flags = ['--rate', '12000', '--duration', '1.2', '--seed', '33', '--start', start];
    const { result, topic } = await streamThrough(flags, async () => {
      await kafka.kill(1);
      await sleep(60_000); // down for 60 s: what the test is about
      await kafka.restart(1);
    });
    expect(result.code, result.stderr).toBe(0);
    expect(summaryOf(result.stderr)).toEqual({ generated: 14_400, acknowledged: 14_400, failed: 0 });
    expect(result.stderr).toMatch(/sent \d+ acknowledged \d+ failed 0/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expectExactlyOnce(await consumeAll(kafka.internal, topic), await expectedLines(flags));
  }, 180_000);

  it('event times a year back on a topic stamped with the append time: kill -9 and restart, every record once', async () => {
    // With message timestamps a year old, a restarted broker would drop the producer's state as
    // expired; LogAppendTime stamps the messages (and that state) with the broker's clock.
    const topic = newTopic();
    await kafka.createTopic(topic, { partitions: 3, config: { 'message.timestamp.type': 'LogAppendTime' } });
    const yearBack = new Date(Math.floor((Date.now() - 365 * 86_400_000) / 60_000) * 60_000).toISOString();
    const flags = ['--rate', '60000', '--duration', '0.2', '--seed', '34', '--start', yearBack];
    const { result } = await streamThrough(
      flags,
      async () => {
        await kafka.kill(1);
        await kafka.restart(1);
      },
      topic,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(summaryOf(result.stderr)).toEqual({ generated: 12_000, acknowledged: 12_000, failed: 0 });
    const messages = await consumeAll(kafka.internal, topic);
    expectExactlyOnce(messages, await expectedLines(flags));
    // The broker's clock, not the event time: within the last few minutes.
    for (const m of messages) expect(Date.now() - m.timestamp).toBeLessThan(600_000);
  }, 90_000);
});
