/**
 * Where the delayed outcome stream goes: JSON Lines or CSV to a file or stdout, or a Kafka topic
 * (keyed by customer_id, stamped with the time the outcome became known).
 */
import type { ChurnOutcome } from '../core/outcome.ts';
import { outcomeFieldNames } from '../core/outcome.ts';
import type { KafkaRecordSink } from './kafka.ts';
import type { DeliveryReports, DeliveryStats, RecordSink } from './record-sink.ts';
import type { Sink } from './types.ts';

export type OutcomeFormat = 'jsonl' | 'csv';

/** One outcome as a JSON object, fields in message order (next_order_at only when there is one). */
export function encodeOutcomeJson(outcome: ChurnOutcome): string {
  const next = outcome.next_order_at === undefined ? '' : `,"next_order_at":"${outcome.next_order_at}"`;
  return `{"customer_id":${JSON.stringify(outcome.customer_id)},"timestamp":"${outcome.timestamp}","observed_at":"${outcome.observed_at}","churned":${String(outcome.churned)}${next}}`;
}

function encodeOutcomeCsv(outcome: ChurnOutcome): string {
  return `${outcome.customer_id},${outcome.timestamp},${outcome.observed_at},${String(outcome.churned)},${outcome.next_order_at ?? ''}`;
}

/** Outcomes as lines into a file or stdout; with `flushEachWrite` each write reaches the file at once. */
export class OutcomeFileSink implements RecordSink<ChurnOutcome> {
  readonly description: string;
  readonly #sink: Sink;
  readonly #encode: (outcome: ChurnOutcome) => string;
  readonly #flushEachWrite: boolean;
  #pending: string[] = [];
  #sent = 0;
  #written = 0;
  #headerDue: boolean;

  constructor(sink: Sink, format: OutcomeFormat, flushEachWrite: boolean) {
    this.#sink = sink;
    this.description = sink.description;
    this.#encode = format === 'csv' ? encodeOutcomeCsv : encodeOutcomeJson;
    this.#headerDue = format === 'csv';
    this.#flushEachWrite = flushEachWrite;
  }

  get stats(): DeliveryStats {
    return { sent: this.#sent, acknowledged: this.#written, failed: 0 };
  }

  get closedByReader(): boolean {
    return this.#sink.closedByReader;
  }

  get followPath(): string | undefined {
    return this.#flushEachWrite ? this.#sink.temporaryPath : undefined;
  }

  async write(outcomes: readonly ChurnOutcome[]): Promise<void> {
    if (this.#headerDue) {
      this.#pending.push(outcomeFieldNames.join(','));
      this.#headerDue = false;
    }
    for (const outcome of outcomes) this.#pending.push(this.#encode(outcome));
    this.#sent += outcomes.length;
    if (this.#flushEachWrite || this.#pending.length >= 4096) await this.#flush();
  }

  async finish(): Promise<void> {
    await this.#flushOrAbort();
    await this.#sink.finish?.();
  }

  async close(): Promise<DeliveryStats> {
    await this.#flushOrAbort();
    await this.#sink.close();
    return this.stats;
  }

  async abort(): Promise<void> {
    await this.#sink.abort();
  }

  async #flushOrAbort(): Promise<void> {
    // A CSV of a run without outcomes still gets its header.
    if (this.#headerDue) await this.write([]);
    try {
      await this.#flush();
    } catch (error) {
      await this.#sink.abort();
      throw error;
    }
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const lines = this.#pending;
    this.#pending = [];
    await this.#sink.write(Buffer.from(`${lines.join('\n')}\n`));
    // The header is not an outcome.
    this.#written = this.#sent;
  }
}

/** Outcomes to a Kafka topic through its own producer: key customer_id, timestamp observed_at. */
export class OutcomeKafkaSink implements RecordSink<ChurnOutcome> {
  readonly #kafka: KafkaRecordSink;

  constructor(kafka: KafkaRecordSink) {
    this.#kafka = kafka;
  }

  get description(): string {
    return this.#kafka.description;
  }

  get closedByReader(): boolean {
    return false;
  }

  get stats(): DeliveryStats {
    return this.#kafka.stats;
  }

  get delivery(): DeliveryReports {
    return this.#kafka;
  }

  async write(outcomes: readonly ChurnOutcome[]): Promise<void> {
    for (const outcome of outcomes) {
      const value = Buffer.from(encodeOutcomeJson(outcome));
      const timestamp = Date.parse(outcome.observed_at);
      if (!this.#kafka.produce(value, outcome.customer_id, timestamp))
        await this.#kafka.sendWhenRoom(value, outcome.customer_id, timestamp);
    }
  }

  close(): Promise<DeliveryStats> {
    return this.#kafka.close();
  }
}
