import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyntheticDataGenerator } from '../../src/generator.ts';
import { KafkaProducerService } from '../../src/kafka-producer-service.ts';
import { SimulatedClock } from '../../src/schedule/clock.ts';
import type { TestBroker } from '../support/broker.ts';
import { consume, startBroker } from '../support/broker.ts';

let broker: TestBroker;
beforeAll(async () => {
  broker = await startBroker(['svc']);
});
afterAll(async () => {
  await broker.stop();
});

describe('KafkaProducerService (library)', () => {
  it('streams (with drift, on a simulated clock) and sends batches over one producer', async () => {
    const service = new KafkaProducerService({ bootstrapServers: broker.bootstrap, topic: 'svc', seed: 8 });
    const run = await service.streamCustomers({
      ratePerMinute: 600,
      durationMinutes: 1,
      driftProgression: true,
      clock: new SimulatedClock(),
      start: 0,
    });
    expect(run.generated).toBe(600);
    expect(run.stats).toEqual({ sent: 600, acknowledged: 600, failed: 0 });
    const customers = new SyntheticDataGenerator({ seed: 9, firstIndex: 1_000_000, start: 0 }).generateBatch(50);
    expect(await service.sendBatch(customers)).toEqual({ sent: 50, acknowledged: 50, failed: 0 });
    expect(await service.close()).toEqual({ sent: 650, acknowledged: 650, failed: 0 });
    const messages = await consume(broker.bootstrap, 'svc');
    expect(messages).toHaveLength(650);
    expect(messages.filter((m) => m.record.drift_progress !== undefined)).toHaveLength(600);
  });

  it('streams a chosen kind of drift: concept drift hitting at half time, phases in records and headers', async () => {
    const service = new KafkaProducerService({ bootstrapServers: broker.bootstrap, topic: 'svc-concept', seed: 3 });
    const run = await service.streamCustomers({
      ratePerMinute: 600,
      durationMinutes: 0.5,
      driftComponents: [{ kind: 'concept', shape: { type: 'sudden', at: 0.5 }, magnitude: 1, direction: 1 }],
      clock: new SimulatedClock(),
      start: Date.parse('2026-01-01T00:00:00Z'), // (a Kafka timestamp of 0 would mean "now")
    });
    expect(run.stats).toEqual({ sent: 300, acknowledged: 300, failed: 0 });
    await service.close();
    const messages = (await consume(broker.bootstrap, 'svc-concept')).sort((a, b) => a.timestamp - b.timestamp);
    expect(messages.map((m) => m.headers.drift_phase)).toEqual([
      ...new Array<string>(150).fill('baseline'),
      ...new Array<string>(150).fill('drifted'),
    ]);
    const lowShare = (ms: typeof messages): number =>
      ms.filter((m) => m.record.true_risk_level === 'low').length / ms.length;
    expect(lowShare(messages.slice(0, 150))).toBeGreaterThan(0.35);
    // the same customers now carry higher churn probabilities: far fewer are low risk
    expect(lowShare(messages.slice(150))).toBeLessThan(lowShare(messages.slice(0, 150)) / 2);
  });

  it('rejects an unreachable cluster with a KAFKA error', async () => {
    const service = new KafkaProducerService({ bootstrapServers: '127.0.0.1:1', topic: 'x', connectTimeoutMs: 2000 });
    await expect(service.sendBatch([])).rejects.toMatchObject({
      code: 'KAFKA',
      message: expect.stringContaining('cannot reach Kafka at 127.0.0.1:1'),
    });
  });
});
