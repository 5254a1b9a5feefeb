/**
 * Kafka sink over @confluentinc/kafka-javascript's native (librdkafka) producer: key =
 * customer_id, value = the record's JSON, message timestamp = the event time, acks=all,
 * idempotence on, batching and compression configurable, every delivery report counted.
 *
 * The client is a native optional dependency, loaded only here and only when Kafka is used, so
 * file and stdout output never depend on it.
 */
import type { CustomerRecord } from '../core/schema.ts';
import { encodeJsonObject } from '../encoders/json.ts';
import { formatProgress } from '../encoders/number-format.ts';
import { DatagenError } from '../errors.ts';
import type { DeliveryStats, RecordSink } from './record-sink.ts';
import type { Sink } from './types.ts';

export const compressionCodecs = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type CompressionCodec = (typeof compressionCodecs)[number];

export interface KafkaSinkOptions {
  /** Comma-separated host:port list. */
  bootstrapServers: string;
  topic: string;
  clientId?: string | undefined;
  /** Default lz4. */
  compression?: CompressionCodec | undefined;
  /** How long the producer waits to fill a batch. Default 5 ms. */
  lingerMs?: number | undefined;
  /** Most messages per batch. Default 10,000. */
  batchSize?: number | undefined;
  /** Environment to read SASL/TLS settings from (see securityConfigFromEnv). */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Give up connecting after this long. Default 10 s. */
  connectTimeoutMs?: number | undefined;
  /** A record not acknowledged within this long (retries included) fails. Default 120 s. */
  deliveryTimeoutMs?: number | undefined;
  /** On close, wait at most this long for records in flight; the rest count as failed. Default 30 s. */
  flushTimeoutMs?: number | undefined;
  /** Any further librdkafka settings. */
  extraConfig?: Readonly<Record<string, string | number | boolean>> | undefined;
}

/** librdkafka settings from environment variables; secrets never leave this object. */
export function securityConfigFromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const config: Record<string, string> = {};
  const take = (variable: string, key: string): void => {
    const value = env[variable];
    if (value !== undefined && value !== '') config[key] = value;
  };
  take('KAFKA_SECURITY_PROTOCOL', 'security.protocol');
  take('KAFKA_SASL_MECHANISM', 'sasl.mechanisms');
  take('KAFKA_SASL_USERNAME', 'sasl.username');
  take('KAFKA_SASL_PASSWORD', 'sasl.password');
  take('KAFKA_SSL_CA_LOCATION', 'ssl.ca.location');
  take('KAFKA_SSL_CERTIFICATE_LOCATION', 'ssl.certificate.location');
  take('KAFKA_SSL_KEY_LOCATION', 'ssl.key.location');
  take('KAFKA_SSL_KEY_PASSWORD', 'ssl.key.password');
  take('KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM', 'ssl.endpoint.identification.algorithm');
  const mechanism = config['sasl.mechanisms'];
  if (mechanism !== undefined && !['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'].includes(mechanism)) {
    throw new DatagenError(
      'INVALID_ARGUMENT',
      `KAFKA_SASL_MECHANISM must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, got '${mechanism}'`,
    );
  }
  const protocol = config['security.protocol'];
  if (protocol !== undefined && !['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'].includes(protocol.toUpperCase())) {
    throw new DatagenError(
      'INVALID_ARGUMENT',
      `KAFKA_SECURITY_PROTOCOL must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL, got '${protocol}'`,
    );
  }
  if (protocol === undefined && (mechanism !== undefined || config['sasl.username'] !== undefined)) {
    config['security.protocol'] = 'SASL_SSL'; // credentials only ever travel encrypted unless asked otherwise
  }
  if ((config['sasl.username'] === undefined) !== (config['sasl.password'] === undefined)) {
    throw new DatagenError('INVALID_ARGUMENT', 'KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD must be set together');
  }
  if (config['sasl.username'] !== undefined && mechanism === undefined) config['sasl.mechanisms'] = 'PLAIN';
  return config;
}

/** The producer settings, for logs: secrets replaced by "***". */
export function redactConfig(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [key, /password|secret/i.test(key) ? '***' : value]),
  );
}

// --- the slice of the client's native API used here ---
// Declared locally: the package is optional, so the build must not need its type declarations.

interface KafkaClientError {
  message: string;
  code?: number;
}

interface NativeProducer {
  connect(
    options: { timeout: number; topic?: string },
    callback: (error: KafkaClientError | null | undefined) => void,
  ): unknown;
  disconnect(timeoutMs: number, callback: () => void): unknown;
  disconnect(callback: () => void): unknown;
  on(
    event: 'delivery-report',
    listener: (error: KafkaClientError | null | undefined, report: { opaque?: unknown }) => void,
  ): unknown;
  on(event: 'event.error', listener: (error: KafkaClientError) => void): unknown;
  on(event: 'event.log', listener: (log: { severity: number; message: string }) => void): unknown;
  removeAllListeners(event: 'event.log'): unknown;
  produce(
    topic: string,
    partition: null,
    value: Buffer,
    key: string | Buffer,
    timestamp: number,
    opaque: number | undefined,
    headers?: readonly Readonly<Record<string, string>>[],
  ): unknown;
  flush(timeoutMs: number, callback: () => void): unknown;
  setPollInterval(intervalMs: number): unknown;
}

interface KafkaModule {
  Producer: new (config: Record<string, unknown>) => NativeProducer;
}

/** The optional native client's package name. */
export const kafkaClientPackage = '@confluentinc/kafka-javascript';

export class KafkaRecordSink implements RecordSink {
  readonly description: string;
  readonly closedByReader = false;
  readonly #producer: NativeProducer;
  readonly #topic: string;
  readonly #flushTimeoutMs: number;
  #sent = 0;
  #acknowledged = 0;
  #failed = 0;
  #lastError: string | undefined;
  #closed: DeliveryStats | undefined;
  /** Called with each record's send latency (produce to acknowledgement), in ms. */
  onAcknowledged: ((latencyMs: number) => void) | undefined;

  private constructor(producer: NativeProducer, options: KafkaSinkOptions) {
    this.#producer = producer;
    this.#topic = options.topic;
    this.#flushTimeoutMs = options.flushTimeoutMs ?? 30_000;
    this.description = `Kafka topic '${options.topic}' at ${options.bootstrapServers}`;
    producer.on('delivery-report', (error: KafkaClientError | null | undefined, report: { opaque?: unknown }) => {
      if (error) {
        this.#failed++;
        this.#lastError = error.message;
      } else {
        this.#acknowledged++;
        if (this.onAcknowledged !== undefined && typeof report.opaque === 'number') {
          this.onAcknowledged(performance.now() - report.opaque);
        }
      }
    });
    producer.on('event.error', (error) => {
      this.#lastError = error.message;
    });
  }

  /**
   * Connects a producer.
   * @throws {DatagenError} KAFKA when the client is missing or the cluster cannot be reached in time.
   */
  static async connect(options: KafkaSinkOptions): Promise<KafkaRecordSink> {
    const kafka = await loadKafkaClient();
    const config = {
      'bootstrap.servers': options.bootstrapServers,
      'client.id': options.clientId ?? 'churn-datagen',
      acks: 'all',
      'enable.idempotence': true,
      'compression.codec': options.compression ?? 'lz4',
      'linger.ms': options.lingerMs ?? 5,
      'batch.num.messages': options.batchSize ?? 10_000,
      'queue.buffering.max.messages': 100_000,
      'queue.buffering.max.kbytes': 65_536,
      'message.timeout.ms': options.deliveryTimeoutMs ?? 120_000,
      'socket.connection.setup.timeout.ms': options.connectTimeoutMs ?? 10_000,
      dr_cb: true,
      // Errors only, as events (never to stderr): while connecting, they are the one place the
      // client says why (a refused password or certificate), which the connect error does not.
      event_cb: true,
      log_level: 3,
      ...securityConfigFromEnv(options.env ?? {}),
      ...options.extraConfig,
    };
    const producer = new kafka.Producer(config);
    const timeout = options.connectTimeoutMs ?? 10_000;
    await new Promise<void>((resolve, reject) => {
      producer.on('event.log', (log) => {
        const refused = securityRefusal(log.message, config, options.bootstrapServers);
        if (refused !== undefined) reject(new DatagenError('KAFKA', refused));
      });
      producer.connect({ timeout, topic: options.topic }, (error: KafkaClientError | null | undefined) => {
        if (error) {
          reject(
            new DatagenError(
              'KAFKA',
              `cannot reach Kafka at ${options.bootstrapServers} within ${timeout / 1000} s (${error.message}); check --kafka-servers or KAFKA_BOOTSTRAP_SERVERS and that the broker is up`,
              { cause: error },
            ),
          );
        } else {
          resolve();
        }
      });
    })
      .finally(() => producer.removeAllListeners('event.log'))
      .catch((error: unknown) => {
        try {
          producer.disconnect(() => undefined);
        } catch {
          // never connected: nothing to release
        }
        throw error;
      });
    producer.setPollInterval(20);
    return new KafkaRecordSink(producer, options);
  }

  get stats(): DeliveryStats {
    return this.#closed ?? { sent: this.#sent, acknowledged: this.#acknowledged, failed: this.#failed };
  }

  /** The last error the client reported, for the summary. */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  async write(records: readonly CustomerRecord[]): Promise<void> {
    for (const record of records) {
      const value = Buffer.from(encodeJsonObject(record));
      const timestamp = Date.parse(record.timestamp);
      const headers = driftHeaders(record);
      if (!this.produce(value, record.customer_id, timestamp, headers))
        await this.sendWhenRoom(value, record.customer_id, timestamp, headers);
    }
  }

  /**
   * Produces one encoded record (the client copies value and key). Returns false, sending nothing,
   * when the local queue is full; then await sendWhenRoom with the same message.
   */
  produce(value: Buffer, key: string | Buffer, timestamp: number, headers?: MessageHeaders): boolean {
    try {
      // The opaque (send time) only when someone measures latency: the client keeps a handle per
      // message for it, which costs throughput.
      const sentAt = this.onAcknowledged === undefined ? undefined : performance.now();
      this.#producer.produce(this.#topic, null, value, key, timestamp, sentAt, headers);
      this.#sent++;
      return true;
    } catch (error) {
      if (isQueueFull(error)) return false;
      // A fatal error (e.g. the cluster refused the idempotent producer id) says only "Fatal
      // error" here; its cause came as an error event.
      const reason = isFatal(error) ? (this.#lastError ?? messageOf(error)) : messageOf(error);
      throw new DatagenError('KAFKA', `producing to '${this.#topic}' failed: ${reason}`, { cause: error });
    }
  }

  /** Backpressure: retries until delivery reports have freed room in the local queue. */
  async sendWhenRoom(value: Buffer, key: string | Buffer, timestamp: number, headers?: MessageHeaders): Promise<void> {
    while (!this.produce(value, key, timestamp, headers)) await new Promise((resolve) => setTimeout(resolve, 2));
  }

  /**
   * Waits until every record sent so far is acknowledged or failed (up to flushTimeoutMs; the rest
   * then count as failed). The producer stays open.
   */
  async settle(): Promise<DeliveryStats> {
    if (this.#closed !== undefined) return this.#closed;
    const deadline = performance.now() + this.#flushTimeoutMs;
    await new Promise<void>((resolve) => {
      this.#producer.flush(this.#flushTimeoutMs, () => resolve());
    });
    // flush() returns once librdkafka's queue is empty; its delivery reports may still be on their
    // way to JavaScript (polled every 20 ms). Wait for every record to be accounted for.
    while (this.#sent > this.#acknowledged + this.#failed && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const undelivered = this.#sent - this.#acknowledged - this.#failed;
    if (undelivered > 0) {
      this.#lastError ??= `not acknowledged within ${this.#flushTimeoutMs / 1000} s`;
      this.#failed += undelivered; // given up on
    }
    return this.stats;
  }

  /** Settles what is in flight, then disconnects; returns the final accounting. */
  async close(): Promise<DeliveryStats> {
    if (this.#closed !== undefined) return this.#closed;
    const stats = await this.settle();
    this.#closed = stats;
    await new Promise<void>((resolve) => {
      this.#producer.disconnect(5000, () => resolve());
    });
    return stats;
  }
}

/**
 * Loads the optional native client.
 * @throws {DatagenError} KAFKA saying what is missing and how to install it.
 */
export async function loadKafkaClient(): Promise<KafkaModule> {
  try {
    // A variable specifier keeps bundlers and the type checker from requiring the optional package.
    const specifier = kafkaClientPackage;
    const module = (await import(specifier)) as KafkaModule & { default?: KafkaModule };
    return module.default ?? module;
  } catch (error) {
    throw new DatagenError(
      'KAFKA',
      `Kafka output needs the optional package @confluentinc/kafka-javascript, which is not installed or did not build (${messageOf(error).split('\n')[0] ?? ''}); install it with 'npm install @confluentinc/kafka-javascript', or write to a file with --output`,
      { cause: error },
    );
  }
}

/** Kafka message headers, one single-entry object per header (the client's format). */
type MessageHeaders = readonly Readonly<Record<string, string>>[];

/** A drift run's ground truth travels as headers too, so consumers can route on it without parsing. */
function driftHeaders(record: CustomerRecord): MessageHeaders | undefined {
  if (record.drift_progress === undefined) return undefined;
  const headers = [{ drift_progress: formatProgress(record.drift_progress) }];
  return record.drift_phase === undefined ? headers : [...headers, { drift_phase: record.drift_phase }];
}

/**
 * The client's log line for a broker that refused our credentials or its certificate, as one line
 * for the user; undefined for any other line.
 */
function securityRefusal(
  message: string,
  config: Readonly<Record<string, string | number | boolean>>,
  servers: string,
): string | undefined {
  const sasl = /SASL authentication error: (.*?)(?: \(after \d+ms in state \w+.*)?$/.exec(message);
  if (sasl !== null) {
    const mechanism = config['sasl.mechanisms'] ?? 'PLAIN';
    return `Kafka at ${servers} refused the SASL ${mechanism} login of '${config['sasl.username'] ?? ''}' (${sasl[1] ?? ''}); check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD and KAFKA_SASL_MECHANISM`;
  }
  const ssl = /SSL handshake failed: (.*?)(?: \(after \d+ms in state \w+.*)?$/.exec(message);
  if (ssl !== null) {
    return `the TLS handshake with Kafka at ${servers} failed (${ssl[1] ?? ''}); check KAFKA_SSL_CA_LOCATION and the broker's certificate`;
  }
  return undefined;
}

function isFatal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === -150;
}

function isQueueFull(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === -184;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A byte sink that turns JSON Lines into Kafka messages: each line is one record's JSON; its key
 * (customer_id) and message timestamp (the event time) are read from the line. This lets the
 * worker-thread batch (parallel-batch.ts) feed Kafka: the workers generate and encode, this
 * thread only produces.
 */
export class KafkaLinesSink implements Sink {
  readonly description: string;
  readonly closedByReader = false;
  readonly #kafka: KafkaRecordSink;
  readonly #times = new IsoTimeReader();
  #bytes = 0;

  constructor(kafka: KafkaRecordSink) {
    this.#kafka = kafka;
    this.description = kafka.description;
  }

  get bytesWritten(): number {
    return this.#bytes;
  }

  async write(chunk: Uint8Array): Promise<void> {
    const lines = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.#bytes += lines.length;
    let start = 0;
    while (start < lines.length) {
      let end = lines.indexOf(NEWLINE, start);
      if (end < 0) end = lines.length;
      if (end > start) {
        const value = lines.subarray(start, end);
        const idEnd = value.indexOf(QUOTE, ID_START);
        const key = value.subarray(ID_START, idEnd);
        const timestamp = this.#times.parse(value, timestampOffset(value, idEnd));
        if (!this.#kafka.produce(value, key, timestamp)) await this.#kafka.sendWhenRoom(value, key, timestamp);
      }
      start = end + 1;
    }
  }

  async close(): Promise<void> {
    await this.#kafka.close();
  }

  /** What reached the client is delivered either way (Kafka has no temporary file to drop). */
  async abort(): Promise<void> {
    await this.#kafka.close();
  }
}

const NEWLINE = 0x0a;
const QUOTE = 0x22;
/** Offset of the id in a line: `{"customer_id":"` is 16 bytes. */
const ID_START = 16;
const TIMESTAMP_FIELD = Buffer.from('"timestamp":"');
/** Bytes from the id's closing quote to the level's first letter: `","true_risk_level":"`. */
const LEVEL_GAP = 21;
/** Bytes from the level's closing quote to the time: `","timestamp":"`. */
const TIME_GAP = 15;
const LEVEL_LENGTH: Readonly<Record<number, number>> = { 0x6c: 3, 0x6d: 6, 0x68: 4 }; // low, medium, high

/** Where the event time starts in a line the JSON encoder wrote (fields in schema order). */
function timestampOffset(line: Buffer, idEnd: number): number {
  const levelLength = LEVEL_LENGTH[line[idEnd + LEVEL_GAP] ?? 0];
  if (levelLength !== undefined) {
    const at = idEnd + LEVEL_GAP + levelLength + TIME_GAP;
    if (line[at - 1] === QUOTE && line[at - 2] === 0x3a) return at; // `":` before the time
  }
  return line.indexOf(TIMESTAMP_FIELD) + TIMESTAMP_FIELD.length;
}

/**
 * Reads `2026-01-01T00:00:00.000Z` from bytes into epoch ms without making a string: the date is
 * parsed once per day (records come in time order), the time of day from its digits.
 */
class IsoTimeReader {
  readonly #day = new Uint8Array(10);
  #dayMs = Number.NaN;

  parse(line: Buffer, at: number): number {
    let sameDay = true;
    for (let i = 0; i < 10 && sameDay; i++) sameDay = line[at + i] === this.#day[i];
    if (!sameDay) {
      this.#day.set(line.subarray(at, at + 10));
      this.#dayMs = Date.parse(`${line.toString('latin1', at, at + 10)}T00:00:00.000Z`);
    }
    const digit = (i: number): number => (line[at + i] ?? 0) - 0x30;
    const hours = digit(11) * 10 + digit(12);
    const minutes = digit(14) * 10 + digit(15);
    const seconds = digit(17) * 10 + digit(18);
    const millis = digit(20) * 100 + digit(21) * 10 + digit(22);
    return this.#dayMs + ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
  }
}
