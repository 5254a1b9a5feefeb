/**
 * Every Kafka path end to end against a real Kafka-protocol broker over TCP (librdkafka's mock
 * cluster, started by the project's harness), read back by an independent consumer (kcat).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerRecord } from '../../src/core/schema.ts';
import { encodeJsonObject } from '../../src/encoders/json.ts';
import { batchRecordIdentity, batchRecords } from '../../src/modes/batch.ts';
import { KafkaLinesSink, KafkaRecordSink } from '../../src/sinks/kafka.ts';
import { brokenInvariant } from '../support/invariants.ts';
import type { ConsumedMessage, TestBroker } from '../support/broker.ts';
import { consume, startBroker } from '../support/broker.ts';
import { runChild, runInProcess, tempDir } from '../support/cli.ts';
import { storedUpTo } from '../support/kafka-cluster.ts';
import { mean } from '../support/records.ts';
import { sleep, waitFor } from '../support/wait.ts';

let broker: TestBroker;
let topicCount = 0;
const newTopic = (): string => `test-${process.pid}-${++topicCount}`;
const start = '2026-01-01T00:00:00Z';

beforeAll(async () => {
  broker = await startBroker();
});
afterAll(async () => {
  await broker.stop();
});

function expectNoLossNoDuplicates(messages: ConsumedMessage[], expected: number): void {
  const keys = messages.map((m) => m.key);
  expect(keys).toHaveLength(expected);
  expect(new Set(keys).size).toBe(expected);
}

describe('batch to Kafka', () => {
  it('sends every record once, keyed by customer_id, with the same JSON as the file output', async () => {
    const topic = newTopic();
    const args = ['batch', '--count', '4000', '--seed', '9', '--start', start];
    const sent = await runChild([...args, '--kafka-servers', broker.bootstrap, '--topic', topic]);
    expect(sent.code).toBe(0);
    expect(sent.stderr).toMatch(/generated 4000, acknowledged 4000, failed 0/);
    const messages = await consume(broker.bootstrap, topic);
    expectNoLossNoDuplicates(messages, 4000);
    for (const m of messages) {
      expect(m.key).toBe(m.record.customer_id);
      expect(m.timestamp).toBe(Date.parse(m.record.timestamp)); // message time = event time
    }
    const file = join(tempDir(), 'same.jsonl');
    await runInProcess([...args, '--output', file]);
    const byKey = new Map(messages.map((m) => [m.key, JSON.stringify(m.record)]));
    for (const line of readFileSync(file, 'utf8').trimEnd().split('\n')) {
      expect(byKey.get((JSON.parse(line) as CustomerRecord).customer_id)).toBe(line);
    }
    expect(new Set(messages.map((m) => m.partition)).size).toBeGreaterThan(1); // keys spread over the partitions
  });

  it('a shard with 2 workers keys and stamps each message as its own record', async () => {
    const topic = newTopic();
    const args = ['batch', '--count', '3000', '--seed', '9', '--start', start, '--shard', '1/3', '--workers', '2'];
    expect((await runChild([...args, '--kafka-servers', broker.bootstrap, '--topic', topic, '--quiet'])).code).toBe(0);
    const messages = await consume(broker.bootstrap, topic);
    expectNoLossNoDuplicates(messages, 1000);
    for (const m of messages) {
      expect(m.key).toBe(m.record.customer_id);
      expect(m.timestamp).toBe(Date.parse(m.record.timestamp));
      expect(Number(m.record.customer_id.slice(5)) % 3).toBe(1);
    }
  });

  it('lines split across writes are sent whole, each keyed and stamped by its position', async () => {
    const topic = newTopic();
    const options = { count: 300, seed: 4, start, shard: { index: 2, count: 5 } };
    const lines = Buffer.from(
      [...batchRecords(options)].map((record) => `${encodeJsonObject(record)}\n`).join(''),
      'utf8',
    );
    const sink = new KafkaLinesSink(
      await KafkaRecordSink.connect({ bootstrapServers: broker.bootstrap, topic }),
      batchRecordIdentity(options),
    );
    // Chunks of 97 bytes cut most lines; the caller reuses its memory, as the worker batch does.
    const scratch = new Uint8Array(97);
    for (let at = 0; at < lines.length; at += scratch.length) {
      const piece = lines.subarray(at, at + scratch.length);
      scratch.set(piece);
      await sink.write(scratch.subarray(0, piece.length));
      scratch.fill(0);
    }
    await sink.close();
    const messages = await consume(broker.bootstrap, topic);
    expectNoLossNoDuplicates(messages, 60);
    for (const m of messages) {
      expect(m.key).toBe(m.record.customer_id);
      expect(m.timestamp).toBe(Date.parse(m.record.timestamp));
    }
  });

  it('--workers 2 sends exactly the messages of --workers 1 (keys, event timestamps, values)', async () => {
    const args = [
      'batch',
      '--count',
      '3000',
      '--seed',
      '12',
      '--start',
      start,
      '--kafka-servers',
      broker.bootstrap,
      '--quiet',
    ];
    const [one, two] = [newTopic(), newTopic()];
    expect((await runChild([...args, '--topic', one])).code).toBe(0);
    expect((await runChild([...args, '--topic', two, '--workers', '2'])).code).toBe(0);
    const canonical = (messages: ConsumedMessage[]): string[] =>
      messages.map((m) => `${m.key} ${JSON.stringify(m.record)}`).sort();
    const fromOne = await consume(broker.bootstrap, one);
    expect(fromOne).toHaveLength(3000);
    expect(canonical(await consume(broker.bootstrap, two))).toEqual(canonical(fromOne));
  });

  it('says once that event times from a day back are the message timestamps: batch and stream to a topic; not for recent times, a file, or --quiet', async () => {
    const servers = ['--kafka-servers', broker.bootstrap, '--topic', newTopic()];
    const notes = (stderr: string): string[] => stderr.split('\n').filter((line) => line.includes('LogAppendTime'));
    const batch = await runChild(['batch', '--count', '10', '--seed', '9', '--start', start, ...servers]);
    expect(batch.code).toBe(0);
    expect(notes(batch.stderr)).toHaveLength(1);
    expect(notes(batch.stderr)[0]).toMatch(/event times, which start \d+ days back/);
    const fast = ['--rate', '60000', '--duration', '0.01', '--fast'];
    const stream = await runChild(['stream', ...fast, '--start', start, ...servers]);
    expect(stream.code).toBe(0);
    expect(notes(stream.stderr)).toHaveLength(1);
    const recent = new Date(Date.now() - 3_600_000).toISOString();
    const now = await runChild(['stream', ...fast, '--start', recent, ...servers]);
    expect(now.code).toBe(0);
    expect(notes(now.stderr)).toHaveLength(0);
    const file = await runChild(['batch', '--count', '10', '--seed', '9', '--output', join(tempDir(), 'a.jsonl')]);
    expect(file.code).toBe(0);
    expect(notes(file.stderr)).toHaveLength(0);
    // The records to a file, their outcomes to a topic: that topic gets the event times too.
    const outcomes = await runChild([
      'stream',
      ...fast,
      '--start',
      start,
      '--output',
      join(tempDir(), 'b.jsonl'),
      '--outcomes-topic',
      newTopic(),
      '--kafka-servers',
      broker.bootstrap,
    ]);
    expect(outcomes.code, outcomes.stderr).toBe(0);
    expect(notes(outcomes.stderr)).toHaveLength(1);
    const quiet = await runChild(['batch', '--count', '10', '--seed', '9', '--quiet', ...servers]);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
  });

  it('warns once, even with --quiet, when event times run more than an hour ahead of the clock; an unseeded batch ends now', async () => {
    const servers = ['--kafka-servers', broker.bootstrap, '--topic', newTopic()];
    const warnings = (stderr: string): string[] => stderr.split('\n').filter((line) => line.includes('after.max.ms'));
    const ahead = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const fast = ['--rate', '60000', '--duration', '0.01', '--fast', '--quiet'];
    const stream = await runChild(['stream', ...fast, '--start', ahead, ...servers]);
    expect(stream.code).toBe(0); // the mock cluster takes any timestamp
    expect(warnings(stream.stderr)).toHaveLength(1);
    expect(warnings(stream.stderr)[0]).toMatch(/reach (47 hours|2 days) ahead of now/);
    const lifecycle = await runChild([
      'lifecycle',
      '--customers',
      '2',
      '--days',
      '14',
      '--fast',
      '--quiet',
      ...servers,
    ]);
    expect(lifecycle.code).toBe(0);
    expect(warnings(lifecycle.stderr)).toHaveLength(1);
    // A real-time stream from now and an unseeded batch (its last customer stamped now) stay behind the clock.
    const live = await runChild(['stream', '--rate', '600', '--duration', '0.01', '--quiet', ...servers]);
    expect(live.stderr).toBe('');
    const before = Date.now();
    const batch = await runChild(['batch', '--count', '7200', '--quiet', ...servers]);
    expect(batch.stderr).toBe('');
    const file = join(tempDir(), 'batch.jsonl');
    await runChild(['batch', '--count', '7200', '--quiet', '--output', file]);
    const times = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => Date.parse((JSON.parse(line) as CustomerRecord).timestamp));
    expect(times.at(-1)! - times[0]!).toBe(7199_000);
    expect(Math.abs(times.at(-1)! - before)).toBeLessThan(60_000);
  });

  it('uses KAFKA_BOOTSTRAP_SERVERS when --kafka-servers is absent', async () => {
    const topic = newTopic();
    const viaEnv = await runChild(['batch', '--count', '10', '--topic', topic, '--quiet'], {
      env: { KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap },
    });
    expect(viaEnv.code).toBe(0);
    expect(await consume(broker.bootstrap, topic)).toHaveLength(10);
  });
});

describe('stream', () => {
  it('paces records at the asked rate and delivers each once', async () => {
    const topic = newTopic();
    const result = await runChild([
      'stream',
      '--rate',
      '1200',
      '--duration',
      '0.1',
      '--seed',
      '3',
      '--start',
      start,
      '--kafka-servers',
      broker.bootstrap,
      '--topic',
      topic,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/generated 120, acknowledged 120, failed 0;/);
    const rate = Number(/, ([\d.]+)\/min \(asked 1200\)/.exec(result.stderr)?.[1]);
    expect(Math.abs(rate - 1200) / 1200).toBeLessThan(0.02);
    const messages = await consume(broker.bootstrap, topic);
    expectNoLossNoDuplicates(messages, 120);
    const times = messages.map((m) => Date.parse(m.record.timestamp)).sort((a, b) => a - b);
    expect(times[0]).toBe(Date.parse(start));
    expect(times[119]! - times[0]!).toBe(119 * 50); // event times follow the schedule: 50 ms apart
  });

  it('honours --low/--medium/--high', async () => {
    const topic = newTopic();
    const result = await runChild([
      'stream',
      '--rate',
      '60000',
      '--duration',
      '0.02',
      '--low',
      '0',
      '--medium',
      '0',
      '--high',
      '1',
      '--kafka-servers',
      broker.bootstrap,
      '--topic',
      topic,
      '--quiet',
    ]);
    expect(result.code).toBe(0);
    const messages = await consume(broker.bootstrap, topic);
    expect(messages).toHaveLength(1200);
    expect(new Set(messages.map((m) => m.record.true_risk_level))).toEqual(new Set(['high']));
  });

  it('loses and duplicates nothing when the broker is down for a few seconds mid-stream', async () => {
    const topic = newTopic();
    const running = runChild([
      'stream',
      '--rate',
      '600',
      '--duration',
      '0.2',
      '--seed',
      '4',
      '--kafka-servers',
      broker.bootstrap,
      '--topic',
      topic,
    ]);
    // Mid-stream (120 records over 12 s): the broker has taken the first records.
    await waitFor(async () => (await storedUpTo(broker.bootstrap, topic, 1)) > 0, {
      what: `the first records stored in '${topic}'`,
      intervalMs: 250,
      abandonedBy: running.then((result) => result.stderr),
    });
    broker.down();
    await sleep(3000); // how long the broker is down: what the test is about
    broker.up();
    const result = await running;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/generated 120, acknowledged 120, failed 0;/);
    expectNoLossNoDuplicates(await consume(broker.bootstrap, topic), 120);
  }, 40_000);

  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s mid-stream: flushes, prints the summary, exits 0',
    async (signal) => {
      const topic = newTopic();
      const result = await runChild(
        ['stream', '--rate', '3000', '--seed', '5', '--kafka-servers', broker.bootstrap, '--topic', topic],
        {
          signal,
          afterMs: 3000,
        },
      );
      expect(result.code).toBe(0);
      const summary = /generated (\d+), acknowledged (\d+), failed 0; .*stopped by (\w+)/.exec(result.stderr);
      expect(summary).not.toBeNull();
      expect(summary![3]).toBe(signal);
      const generated = Number(summary![1]);
      expect(generated).toBeGreaterThan(50);
      expect(Number(summary![2])).toBe(generated);
      expectNoLossNoDuplicates(await consume(broker.bootstrap, topic), generated);
    },
    30_000,
  );

  it('an unreachable broker is one clear line and a non-zero exit within 15 s', async () => {
    const started = Date.now();
    const result = await runChild(['stream', '--rate', '60', '--kafka-servers', '127.0.0.1:1', '--topic', 'x']);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/cannot reach Kafka at 127\.0\.0\.1:1 .*check --kafka-servers/);
  }, 20_000);
});

describe('drift scenario through Kafka (--fast)', () => {
  it('moves the mix from 50/30/20 to 10/30/60 and the features with it; every record has drift_progress', async () => {
    const topic = newTopic();
    const result = await runChild([
      'drift',
      '--duration',
      '30',
      '--rate',
      '100',
      '--fast',
      '--seed',
      '6',
      '--start',
      start,
      '--kafka-servers',
      broker.bootstrap,
      '--topic',
      topic,
    ]);
    expect(result.code).toBe(0);
    const records = (await consume(broker.bootstrap, topic))
      .map((m) => m.record)
      .sort((a, b) => a.timestamp.localeCompare(b.timestamp));
    expect(records).toHaveLength(3000);
    for (const r of records) expect(brokenInvariant(r)).toBeUndefined();
    expect(records[0]!.drift_progress).toBe(0);
    expect(records[2999]!.drift_progress).toBeCloseTo(2999 / 3000, 6);
    const first = records.slice(0, 500);
    const last = records.slice(-500);
    const share = (rs: CustomerRecord[], level: string): number =>
      rs.filter((r) => r.true_risk_level === level).length / rs.length;
    expect(share(first, 'low')).toBeGreaterThan(0.4);
    expect(share(first, 'high')).toBeLessThan(0.3);
    expect(share(last, 'low')).toBeLessThan(0.2);
    expect(share(last, 'high')).toBeGreaterThan(0.5);
    const lowFrequency = (rs: CustomerRecord[]): number =>
      mean(rs.filter((r) => r.true_risk_level === 'low').map((r) => r.order_frequency));
    expect(lowFrequency(last)).toBeLessThan(lowFrequency(first) * 0.9); // feature drift within a level
  });
});

describe('drift experiment through Kafka (--fast)', () => {
  it('carries drift_progress and drift_phase as headers, and sends the paired control to --control-topic', async () => {
    const topic = newTopic();
    const controlTopic = newTopic();
    const result = await runChild([
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
      '60',
      '--fast',
      '--seed',
      '8',
      '--start',
      start,
      '--kafka-servers',
      broker.bootstrap,
      '--topic',
      topic,
      '--control-topic',
      controlTopic,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/control: acknowledged 600, failed 0/);
    const byTime = (a: ConsumedMessage, b: ConsumedMessage): number => a.timestamp - b.timestamp;
    const drifted = (await consume(broker.bootstrap, topic)).sort(byTime);
    const control = (await consume(broker.bootstrap, controlTopic)).sort(byTime);
    expectNoLossNoDuplicates(drifted, 600);
    expectNoLossNoDuplicates(control, 600);
    for (const m of drifted) {
      expect(m.headers.drift_progress).toBe(String(m.record.drift_progress));
      expect(m.headers.drift_phase).toBe(m.record.drift_phase);
      expect(m.record.drift_phase).toBe(m.record.drift_progress! < 0.5 ? 'baseline' : 'drifted');
    }
    // The same customers at the same times, drift off.
    expect(control.map((m) => [m.key, m.timestamp])).toEqual(drifted.map((m) => [m.key, m.timestamp]));
    expect(new Set(control.map((m) => m.headers.drift_phase))).toEqual(new Set(['baseline']));
    const relabelled = drifted.filter((m, i) => m.record.true_risk_level !== control[i]!.record.true_risk_level);
    expect(relabelled.length).toBeGreaterThan(150); // concept drift: the second half carries other labels
    expect(relabelled.every((m) => m.record.drift_progress! >= 0.5)).toBe(true);
  });
});

describe('lifecycle through Kafka (--fast)', () => {
  it('sends every weekly snapshot of every customer, keyed by customer_id', async () => {
    const topic = newTopic();
    const result = await runChild([
      'lifecycle',
      '--customers',
      '30',
      '--days',
      '180',
      '--fast',
      '--seed',
      '7',
      '--start',
      start,
      '--kafka-servers',
      broker.bootstrap,
      '--topic',
      topic,
    ]);
    expect(result.code).toBe(0);
    const messages = await consume(broker.bootstrap, topic);
    expect(messages).toHaveLength(30 * 26);
    const byCustomer = new Map<string, ConsumedMessage[]>();
    for (const m of messages) byCustomer.set(m.key, [...(byCustomer.get(m.key) ?? []), m]);
    expect(byCustomer.size).toBe(30);
    for (const snapshots of byCustomer.values()) {
      expect(new Set(snapshots.map((s) => s.partition)).size).toBe(1);
      expect(snapshots.map((s) => s.record.snapshot_day)).toEqual(Array.from({ length: 26 }, (_, i) => i * 7));
    }
  });
});
