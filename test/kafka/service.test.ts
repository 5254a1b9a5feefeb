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

  it('rejects an unreachable cluster with a KAFKA error', async () => {
    const service = new KafkaProducerService({ bootstrapServers: '127.0.0.1:1', topic: 'x', connectTimeoutMs: 2000 });
    await expect(service.sendBatch([])).rejects.toMatchObject({
      code: 'KAFKA',
      message: expect.stringContaining('cannot reach Kafka at 127.0.0.1:1'),
    });
  });
});
