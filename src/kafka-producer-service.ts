/**
 * KafkaProducerService: the library's Kafka entry point (SPEC §3). Streams customers at a rate
 * (optionally under the drift scenario) or sends given customers, over one producer.
 */
import type { RiskMix } from './core/profiles.ts';
import type { CustomerRecord } from './core/schema.ts';
import { randomSeed } from './generator.ts';
import type { DriftComponent } from './core/drift-schedule.ts';
import { defaultRatePerMinute, streamSource } from './modes/stream.ts';
import type { TimedRunResult } from './modes/timed.ts';
import { runTimed } from './modes/timed.ts';
import type { Clock } from './schedule/clock.ts';
import { KafkaRecordSink } from './sinks/kafka.ts';
import type { KafkaSinkOptions } from './sinks/kafka.ts';
import type { DeliveryStats, RecordSink } from './sinks/record-sink.ts';

export interface KafkaProducerServiceOptions extends KafkaSinkOptions {
  /** Seed for streamed customers (default: random, readable as `.seed`). */
  seed?: number | undefined;
  overlap?: number | undefined;
}

export interface StreamCustomersOptions {
  /** Default 60. */
  ratePerMinute?: number | undefined;
  /** Default: until `signal` aborts. */
  durationMinutes?: number | undefined;
  /** Apply the drift scenario over the duration. */
  driftProgression?: boolean | undefined;
  /** Kinds, shapes and magnitudes of drift (see DriftComponent); implies driftProgression. */
  driftComponents?: readonly DriftComponent[] | undefined;
  riskDistribution?: RiskMix | undefined;
  /** Event time of the first customer (default now). */
  start?: Date | number | undefined;
  signal?: AbortSignal | undefined;
  /** A SimulatedClock runs the schedule without waiting. */
  clock?: Clock | undefined;
}

/**
 * @example
 * const service = new KafkaProducerService({ bootstrapServers: 'localhost:9092', topic: 'ml.predictions' });
 * const result = await service.streamCustomers({ ratePerMinute: 60, durationMinutes: 10, driftProgression: true });
 * await service.sendBatch(new SyntheticDataGenerator({ seed: 1 }).generateBatch(100));
 * const totals = await service.close();
 */
export class KafkaProducerService {
  readonly seed: number;
  readonly #options: KafkaProducerServiceOptions;
  #sink: Promise<KafkaRecordSink> | undefined;
  #totals: DeliveryStats = { sent: 0, acknowledged: 0, failed: 0 };

  constructor(options: KafkaProducerServiceOptions) {
    this.#options = options;
    this.seed = options.seed ?? randomSeed();
  }

  /**
   * Streams customers on a monotonic schedule until the duration ends or `signal` aborts, then
   * waits for their delivery reports.
   * @throws {DatagenError} KAFKA when the cluster cannot be reached.
   */
  async streamCustomers(options: StreamCustomersOptions = {}): Promise<TimedRunResult> {
    const start = options.start ?? Date.now();
    const source = streamSource({
      seed: this.seed,
      ratePerMinute: options.ratePerMinute ?? defaultRatePerMinute,
      durationMinutes: options.durationMinutes,
      driftProgression: options.driftProgression,
      driftComponents: options.driftComponents,
      riskDistribution: options.riskDistribution,
      overlap: this.#options.overlap,
      startMs: start instanceof Date ? start.getTime() : start,
    });
    const sink = await this.#connect();
    return runTimed(source, this.#phase(sink), { clock: options.clock, signal: options.signal });
  }

  /** Sends the given customers and waits for their delivery reports. */
  async sendBatch(customers: readonly CustomerRecord[]): Promise<DeliveryStats> {
    const sink = this.#phase(await this.#connect());
    await sink.write(customers);
    return sink.close();
  }

  /** Closes the producer; returns the totals over every call. */
  async close(): Promise<DeliveryStats> {
    if (this.#sink !== undefined) await (await this.#sink).close();
    return this.#totals;
  }

  // --- internal ---

  #connect(): Promise<KafkaRecordSink> {
    this.#sink ??= KafkaRecordSink.connect(this.#options);
    return this.#sink;
  }

  /**
   * One call's view of the shared producer: close() waits for this call's records only and adds
   * them to the totals, leaving the producer open for the next call.
   */
  #phase(sink: KafkaRecordSink): RecordSink {
    const before = sink.stats;
    const delta = (now: DeliveryStats): DeliveryStats => ({
      sent: now.sent - before.sent,
      acknowledged: now.acknowledged - before.acknowledged,
      failed: now.failed - before.failed,
    });
    return {
      description: sink.description,
      closedByReader: false,
      get stats() {
        return delta(sink.stats);
      },
      write: (records) => sink.write(records),
      close: async () => {
        const stats = delta(await sink.settle());
        this.#totals = {
          sent: this.#totals.sent + stats.sent,
          acknowledged: this.#totals.acknowledged + stats.acknowledged,
          failed: this.#totals.failed + stats.failed,
        };
        return stats;
      },
    };
  }
}
