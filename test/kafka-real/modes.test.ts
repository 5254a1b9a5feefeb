/**
 * Every mode end to end against Apache Kafka itself (a single KRaft node), read back by kcat and by
 * Kafka's own console consumer: the messages must be exactly the lines the same command writes to a
 * file, keyed by customer_id, one partition per key, with the event time and the drift headers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerRecord } from '../../src/core/schema.ts';
import { runChild, tempDir } from '../support/cli.ts';
import type { KafkaCluster, RawMessage } from '../support/kafka-cluster.ts';
import { consumeAll, multiset, startKafka } from '../support/kafka-cluster.ts';

let kafka: KafkaCluster;
let topicCount = 0;
const newTopic = (): string => `modes-${process.pid}-${++topicCount}`;
const start = '2026-01-01T00:00:00Z';

beforeAll(async () => {
  kafka = await startKafka();
});
afterAll(async () => {
  await kafka.stop();
});

/**
 * Runs `args` once to a new topic and once to a file; checks the summary, then returns what a
 * consumer reads back and the file's lines.
 */
async function toKafkaAndFile(args: string[]): Promise<{ messages: RawMessage[]; lines: string[]; topic: string }> {
  const topic = newTopic();
  const sent = await runChild([...args, '--kafka-servers', kafka.bootstrap, '--topic', topic, '--quiet']);
  expect(sent.stderr).toBe('');
  expect(sent.code).toBe(0);
  const file = join(tempDir(), 'same.jsonl');
  const written = await runChild([...args, '--output', file, '--quiet']);
  expect(written.code).toBe(0);
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  return { messages: await consumeAll(kafka.internal, topic), lines, topic };
}

/** What every mode promises about its messages. */
function expectSameRecordsAsTheFile(messages: RawMessage[], lines: string[]): void {
  expect(messages).toHaveLength(lines.length);
  expect(multiset(messages.map((m) => m.value))).toEqual(multiset(lines)); // byte-equal, nothing lost or repeated
  const partitionOf = new Map<string, number>();
  for (const m of messages) {
    const record = JSON.parse(m.value) as CustomerRecord;
    expect(m.key).toBe(record.customer_id);
    expect(m.timestamp).toBe(Date.parse(record.timestamp)); // message time = event time
    const seen = partitionOf.get(m.key);
    if (seen !== undefined) expect(m.partition).toBe(seen); // a key stays in one partition
    partitionOf.set(m.key, m.partition);
    if (record.drift_progress === undefined) {
      expect(m.headers).toEqual({});
    } else {
      expect(Number(m.headers.drift_progress)).toBeCloseTo(record.drift_progress, 9);
      expect(m.headers.drift_phase).toBe(record.drift_phase);
    }
  }
  expect(new Set(messages.map((m) => m.partition))).toEqual(new Set([0, 1, 2])); // keys spread over the partitions
}

describe('against Apache Kafka', () => {
  it('batch: every record once, the same bytes as the file output; Kafka’s own console consumer reads the same', async () => {
    const { messages, lines, topic } = await toKafkaAndFile([
      'batch',
      '--count',
      '5000',
      '--seed',
      '21',
      '--start',
      start,
    ]);
    expectSameRecordsAsTheFile(messages, lines);
    const consumed = await kafka.tool(
      'org.apache.kafka.tools.consumer.ConsoleConsumer',
      [
        '--bootstrap-server',
        kafka.internal,
        '--topic',
        topic,
        '--from-beginning',
        '--max-messages',
        String(lines.length),
        '--timeout-ms',
        '30000',
        '--property',
        'print.key=true',
        '--property',
        'key.separator=\t',
      ],
      60_000,
    );
    expect(consumed.code).toBe(0);
    const pairs = consumed.stdout.trimEnd().split('\n');
    expect(multiset(pairs)).toEqual(
      multiset(lines.map((line) => `${(JSON.parse(line) as CustomerRecord).customer_id}\t${line}`)),
    );
  });

  it('batch --workers 2: the same messages', async () => {
    const { messages, lines } = await toKafkaAndFile([
      'batch',
      '--count',
      '4000',
      '--workers',
      '2',
      '--seed',
      '22',
      '--start',
      start,
    ]);
    expectSameRecordsAsTheFile(messages, lines);
  });

  it('stream --fast', async () => {
    const { messages, lines } = await toKafkaAndFile([
      'stream',
      '--rate',
      '6000',
      '--duration',
      '0.5',
      '--fast',
      '--seed',
      '23',
      '--start',
      start,
    ]);
    expect(lines).toHaveLength(3000);
    expectSameRecordsAsTheFile(messages, lines);
  });

  it('drift --fast: drift_progress and drift_phase as headers', async () => {
    const { messages, lines } = await toKafkaAndFile([
      'drift',
      '--kind',
      'concept',
      '--shape',
      'sudden',
      '--at',
      '0.5',
      '--duration',
      '10',
      '--rate',
      '200',
      '--fast',
      '--seed',
      '24',
      '--start',
      start,
    ]);
    expect(lines).toHaveLength(2000);
    expectSameRecordsAsTheFile(messages, lines);
    expect(new Set(messages.map((m) => m.headers.drift_phase))).toEqual(new Set(['baseline', 'drifted']));
  });

  it('lifecycle --fast: every snapshot of a customer in one partition', async () => {
    const { messages, lines } = await toKafkaAndFile([
      'lifecycle',
      '--customers',
      '40',
      '--days',
      '90',
      '--fast',
      '--seed',
      '25',
      '--start',
      start,
    ]);
    expect(new Set(messages.map((m) => m.key)).size).toBe(40);
    expectSameRecordsAsTheFile(messages, lines);
  });
  it('drift --fast --outcomes-topic: one outcome per record, keyed by customer_id, stamped when known, the file’s bytes', async () => {
    const args = ['drift', '--duration', '5', '--rate', '600', '--fast', '--seed', '23', '--start', start];
    const topic = newTopic();
    const outcomesTopic = `${topic}-outcomes`;
    const sent = await runChild([
      ...args,
      '--kafka-servers',
      kafka.bootstrap,
      '--topic',
      topic,
      '--outcomes-topic',
      outcomesTopic,
    ]);
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stderr).toMatch(/generated 3000, acknowledged 3000, failed 0;.*outcomes: acknowledged 3000, failed 0/);
    const file = join(tempDir(), 'outcomes.jsonl');
    const written = await runChild([
      ...args,
      '--output',
      join(tempDir(), 'r.jsonl'),
      '--outcomes-output',
      file,
      '--quiet',
    ]);
    expect(written.code).toBe(0);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const records = await consumeAll(kafka.internal, topic);
    const outcomes = await consumeAll(kafka.internal, outcomesTopic);
    expect(records).toHaveLength(3000);
    expect(multiset(outcomes.map((m) => m.value))).toEqual(multiset(lines));
    for (const m of outcomes) {
      const outcome = JSON.parse(m.value) as { customer_id: string; observed_at: string };
      expect(m.key).toBe(outcome.customer_id);
      expect(m.timestamp).toBe(Date.parse(outcome.observed_at));
    }
    // An outcome goes to the partition of its customer's records.
    const partitionOf = new Map(records.map((m) => [m.key, m.partition]));
    for (const m of outcomes) expect(m.partition).toBe(partitionOf.get(m.key));
  });

  it('the defaults: an unseeded batch ends now, so a broker with the default timestamp limits takes every record', async () => {
    const topic = newTopic();
    const sent = await runChild(['batch', '--count', '5000', '--kafka-servers', kafka.bootstrap, '--topic', topic]);
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stderr).toMatch(/generated 5000, acknowledged 5000, failed 0;/);
    expect(await consumeAll(kafka.internal, topic)).toHaveLength(5000);
  });

  it('event times two days ahead: refused by a default topic, warned of and counted as failed; a LogAppendTime topic takes them', async () => {
    const ahead = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const args = ['stream', '--rate', '6000', '--duration', '0.05', '--fast', '--seed', '5', '--start', ahead];
    const refused = await runChild([...args, '--kafka-servers', kafka.bootstrap, '--topic', newTopic()]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/reach (47 hours|2 days) ahead of now: Kafka 4 brokers refuse/);
    expect(refused.stderr).toMatch(/generated 300, acknowledged 0, failed 300;/);
    const topic = newTopic();
    await kafka.createTopic(topic, { partitions: 3, config: { 'message.timestamp.type': 'LogAppendTime' } });
    const taken = await runChild([...args, '--kafka-servers', kafka.bootstrap, '--topic', topic]);
    expect(taken.code, taken.stderr).toBe(0);
    expect(taken.stderr).toMatch(/generated 300, acknowledged 300, failed 0;/);
    expect(await consumeAll(kafka.internal, topic)).toHaveLength(300);
  });
});
