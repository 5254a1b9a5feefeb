/**
 * Kafka sink over @confluentinc/kafka-javascript's native (librdkafka) producer: key =
 * customer_id, value = the record's JSON, message timestamp = the event time, acks=all,
 * idempotence on, batching and compression configurable, every delivery report counted.
 *
 * The client is a native optional dependency, loaded only here and only when Kafka is used, so
 * file and stdout output never depend on it.
 */
import { lookup } from 'node:dns/promises';
import { createRequire } from 'node:module';
import { createConnection } from 'node:net';
import type { CustomerRecord } from '../core/schema.ts';
import { encodeJsonObject } from '../encoders/json.ts';
import { formatProgress } from '../encoders/number-format.ts';
import { DatagenError } from '../errors.ts';
import type { DeliveryReports, DeliveryStats, RecordSink } from './record-sink.ts';
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
  /**
   * A record the cluster has not acknowledged within this long after it was produced (retries
   * included) is reported failed by the client (librdkafka `message.timeout.ms`). Default 120 s.
   * settle() and close() wait for the client's verdict on every record, at most
   * verdictWaitMs(deliveryTimeoutMs) after the last one was produced.
   */
  deliveryTimeoutMs?: number | undefined;
  /** Aborting it stops a connection attempt at once (a DatagenError INTERRUPTED). */
  signal?: AbortSignal | undefined;
  /**
   * Aborting it ends settle()'s wait for verdicts early: records still in flight then count as
   * neither acknowledged nor failed (their fate is unknown).
   */
  stopWaiting?: AbortSignal | undefined;
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

interface KafkaLogEvent {
  severity: number;
  fac: string;
  message: string;
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
  on(event: 'event.log', listener: (log: KafkaLogEvent) => void): unknown;
  poll(): unknown;
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
  librdkafkaVersion?: string;
}

/** The optional native client's package name. */
export const kafkaClientPackage = '@confluentinc/kafka-javascript';

/** Default of `deliveryTimeoutMs` (the CLI's `--delivery-timeout`). */
export const defaultDeliveryTimeoutMs = 120_000;

/**
 * How long after the last record was produced the client's verdict on every record is due: the
 * delivery timeout, then one request timeout (a request in flight when the delivery timeout runs
 * out is settled by its answer or by its own timeout), then a margin for the client's timeout scan.
 */
export function verdictWaitMs(deliveryTimeoutMs: number): number {
  return deliveryTimeoutMs + requestTimeoutMs(deliveryTimeoutMs) + 5_000;
}

export class KafkaRecordSink implements RecordSink, DeliveryReports {
  readonly delivery: DeliveryReports = this;
  readonly description: string;
  readonly closedByReader = false;
  readonly #producer: NativeProducer;
  readonly #topic: string;
  readonly #deliveryTimeoutMs: number;
  readonly #stopWaiting: AbortSignal | undefined;
  #sent = 0;
  #acknowledged = 0;
  #failed = 0;
  /** Why the last record failed, as the client reported it. */
  #deliveryError: string | undefined;
  /** The client's last complaint about the cluster (it may have recovered since). */
  #clientError: string | undefined;
  /** The cause of a fatal client error: every record not yet acknowledged fails because of it. */
  #fatalError: string | undefined;
  #closed: DeliveryStats | undefined;
  /** Called with each record's send latency (produce to acknowledgement), in ms. */
  onAcknowledged: ((latencyMs: number) => void) | undefined;
  /** Called once when settle() is still waiting after a second: records in flight, most ms left. */
  onWaiting: ((inFlight: number, waitMs: number) => void) | undefined;

  private constructor(producer: NativeProducer, options: KafkaSinkOptions) {
    this.#producer = producer;
    this.#topic = options.topic;
    this.#deliveryTimeoutMs = options.deliveryTimeoutMs ?? defaultDeliveryTimeoutMs;
    this.#stopWaiting = options.stopWaiting;
    this.description = `Kafka topic '${options.topic}' at ${options.bootstrapServers}`;
    producer.on('delivery-report', (error: KafkaClientError | null | undefined, report: { opaque?: unknown }) => {
      if (error) {
        this.#failed++;
        this.#deliveryError = error.message;
      } else {
        this.#acknowledged++;
        if (this.onAcknowledged !== undefined && typeof report.opaque === 'number') {
          this.onAcknowledged(performance.now() - report.opaque);
        }
      }
    });
    producer.on('event.error', (error) => {
      this.#clientError = error.message;
      if (isFatal(error)) this.#fatalError ??= error.message;
    });
    producer.on('event.log', (log) => {
      if (log.fac === 'FAIL') this.#clientError = failureDetail(log.message);
    });
  }

  /**
   * Connects a producer. Fails at once when every bootstrap address refuses connections (nothing
   * listens there) or the cluster rejects the TLS or SASL handshake; otherwise after
   * connectTimeoutMs.
   * @throws {DatagenError} KAFKA when the client is missing or the cluster cannot be reached;
   *   INTERRUPTED when `signal` aborts first.
   */
  static async connect(options: KafkaSinkOptions): Promise<KafkaRecordSink> {
    const kafka = await loadKafkaClient();
    const deliveryTimeoutMs = options.deliveryTimeoutMs ?? defaultDeliveryTimeoutMs;
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
      'message.timeout.ms': deliveryTimeoutMs,
      'request.timeout.ms': requestTimeoutMs(deliveryTimeoutMs),
      // After an outage, records in flight go out within a second of the broker's return rather
      // than after librdkafka's default backoff of up to 10 s.
      'reconnect.backoff.max.ms': 1000,
      'socket.connection.setup.timeout.ms': options.connectTimeoutMs ?? 10_000,
      dr_cb: true,
      // Errors only, and to 'event.log' rather than stderr: they explain a failed connection.
      log_level: 3,
      event_cb: true,
      ...securityConfigFromEnv(options.env ?? {}),
      ...options.extraConfig,
    };
    const interrupted = (): DatagenError =>
      new DatagenError(
        'INTERRUPTED',
        `generated 0, acknowledged 0, failed 0; stopped by ${String(options.signal?.reason ?? 'signal')} while connecting to Kafka at ${options.bootstrapServers}`,
      );
    if (options.signal?.aborted === true) throw interrupted();
    if (await nothingListens(options.bootstrapServers)) {
      throw new DatagenError(
        'KAFKA',
        `cannot reach Kafka at ${options.bootstrapServers} (connection refused: no broker listens there); ${unreachableHint}`,
      );
    }
    const producer = await connectProducer(() => new kafka.Producer(config), options, interrupted, config);
    producer.setPollInterval(20);
    return new KafkaRecordSink(producer, options);
  }

  get stats(): DeliveryStats {
    return this.#closed ?? { sent: this.#sent, acknowledged: this.#acknowledged, failed: this.#failed };
  }

  /** Why records failed (the client's delivery error), else the client's last error, for the summary. */
  get lastError(): string | undefined {
    // After a fatal error the client purges its queue, and the records' own delivery error then
    // says only "Purged in queue"; the fatal error is why.
    return this.#fatalError ?? this.#deliveryError ?? this.#clientError;
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
      const reason = isFatal(error) ? (this.#fatalError ?? this.#clientError ?? messageOf(error)) : messageOf(error);
      throw new DatagenError('KAFKA', `producing to '${this.#topic}' failed: ${reason}`, { cause: error });
    }
  }

  /** Backpressure: retries until delivery reports have freed room in the local queue. */
  async sendWhenRoom(value: Buffer, key: string | Buffer, timestamp: number, headers?: MessageHeaders): Promise<void> {
    while (!this.produce(value, key, timestamp, headers)) await new Promise((resolve) => setTimeout(resolve, 2));
  }

  /**
   * Waits for the client's verdict on every record sent so far: acknowledged, or failed (a
   * delivery error, or no acknowledgement within the delivery timeout). A record counts as failed
   * only when the client says so; the client keeps delivering through disconnects meanwhile. The
   * wait is bounded by verdictWaitMs; should the client stay silent beyond it, the records without
   * a verdict count as failed. The producer stays open.
   */
  async settle(): Promise<DeliveryStats> {
    if (this.#closed !== undefined) return this.#closed;
    const waitMs = verdictWaitMs(this.#deliveryTimeoutMs);
    const started = performance.now();
    const deadline = started + waitMs;
    let announced = false;
    while (this.#awaitingVerdict() > 0 && performance.now() < deadline) {
      if (this.#stopWaiting?.aborted === true) return this.stats; // the rest: fate unknown
      if (!announced && performance.now() - started >= 1000) {
        announced = true;
        this.onWaiting?.(this.#awaitingVerdict(), Math.round(deadline - performance.now()));
      }
      // flush() returns once librdkafka's queue is empty or its timeout passes; the delivery
      // reports then still travel to JavaScript (polled every 20 ms). Short slices keep the loop
      // watching the count.
      const sliceMs = Math.max(1, Math.min(200, Math.ceil(deadline - performance.now())));
      await new Promise<void>((resolve) => {
        this.#producer.flush(sliceMs, () => resolve());
      });
      if (this.#awaitingVerdict() > 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const silent = this.#awaitingVerdict();
    if (silent > 0) {
      this.#deliveryError ??= `the client reported nothing on them within ${waitMs / 1000} s`;
      this.#failed += silent;
    }
    return this.stats;
  }

  /** Settles what is in flight, then disconnects; returns the final accounting. */
  async close(): Promise<DeliveryStats> {
    if (this.#closed !== undefined) return this.#closed;
    const stats = await this.settle();
    this.#closed = stats;
    // disconnect() first flushes for up to its timeout: nothing left to wait for once told to stop.
    const flushMs = this.#stopWaiting?.aborted === true ? 100 : 5000;
    await new Promise<void>((resolve) => {
      this.#producer.disconnect(flushMs, () => resolve());
    });
    return stats;
  }

  #awaitingVerdict(): number {
    return this.#sent - this.#acknowledged - this.#failed;
  }
}

/** What the user can do when no broker answers. */
const unreachableHint =
  'check --kafka-servers or KAFKA_BOOTSTRAP_SERVERS and that the broker is up, or run without Kafka with --output FILE|- (a file, or - for stdout)';

export type KafkaSupport =
  { available: true; clientVersion: string; librdkafkaVersion: string } | { available: false; reason: string };

/** Whether the optional native client loads here, and if not, the first line of why. */
export async function kafkaSupport(): Promise<KafkaSupport> {
  try {
    const kafka = await importKafkaClient();
    const manifest = createRequire(import.meta.url)(`${kafkaClientPackage}/package.json`) as { version: string };
    return {
      available: true,
      clientVersion: manifest.version,
      librdkafkaVersion: kafka.librdkafkaVersion ?? 'unknown',
    };
  } catch (error) {
    return { available: false, reason: firstLine(error) };
  }
}

/**
 * Loads the optional native client.
 * @throws {DatagenError} KAFKA saying what is missing and how to install it.
 */
export async function loadKafkaClient(): Promise<KafkaModule> {
  try {
    return await importKafkaClient();
  } catch (error) {
    throw new DatagenError(
      'KAFKA',
      `Kafka output needs ${missingClient(firstLine(error))}, or write to a file with --output`,
      {
        cause: error,
      },
    );
  }
}

/** What is missing and how to install it; the Kafka error and `doctor` say the same. */
export function missingClient(reason: string): string {
  return `the optional package ${kafkaClientPackage}, which is not installed or did not build (${reason}); install it with 'npm install ${kafkaClientPackage}'`;
}

// --- internal ---

async function importKafkaClient(): Promise<KafkaModule> {
  // A variable specifier keeps bundlers and the type checker from requiring the optional package.
  const specifier = kafkaClientPackage;
  const module = (await import(specifier)) as KafkaModule & { default?: KafkaModule };
  return module.default ?? module;
}

/** librdkafka's default request timeout, or the delivery timeout if that is shorter. */
function requestTimeoutMs(deliveryTimeoutMs: number): number {
  return Math.min(30_000, deliveryTimeoutMs);
}

/**
 * Connects a producer: waits for its first metadata answer, in attempts of at most
 * longestConnectAttemptMs, each with a new producer. The client's metadata wait occupies a native thread
 * that nothing can cut short and that keeps the process from exiting, so short attempts are what
 * let Ctrl-C stop at once. The client's complaints meanwhile decide early: a rejected TLS or SASL
 * handshake is a setting to fix, not an outage to wait out.
 */
async function connectProducer(
  createProducer: () => NativeProducer,
  options: KafkaSinkOptions,
  interrupted: () => DatagenError,
  config: Readonly<Record<string, string | number | boolean>>,
): Promise<NativeProducer> {
  const timeout = options.connectTimeoutMs ?? 10_000;
  const deadline = performance.now() + timeout;
  let lastFailure: string | undefined;
  for (let attempt = 1; ; attempt++) {
    // The first attempt is short, so that Ctrl-C soon after the start stops at once; later ones
    // leave a slow cluster (TLS and SASL over a long round trip) time to answer.
    const attemptMs = Math.max(
      1,
      Math.min(attempt === 1 ? 1000 : longestConnectAttemptMs, Math.ceil(deadline - performance.now())),
    );
    const producer = createProducer();
    const outcome = await connectOnce(producer, options, attemptMs, interrupted, config);
    if (outcome.connected) return producer;
    lastFailure = outcome.failure ?? lastFailure;
    if (performance.now() >= deadline) {
      throw new DatagenError(
        'KAFKA',
        `cannot reach Kafka at ${options.bootstrapServers} within ${timeout / 1000} s (${lastFailure ?? 'no answer'}); ${unreachableHint}`,
      );
    }
  }
}

/** Longest single connection attempt: how long Ctrl-C may wait while a broker does not answer. */
const longestConnectAttemptMs = 2000;

type ConnectOutcome = { connected: true } | { connected: false; failure: string | undefined };

/**
 * One attempt: resolves when the producer has its metadata, or has not within `attemptMs` (the
 * client releases that producer itself); rejects on a rejected handshake or on `signal`.
 */
function connectOnce(
  producer: NativeProducer,
  options: KafkaSinkOptions,
  attemptMs: number,
  interrupted: () => DatagenError,
  config: Readonly<Record<string, string | number | boolean>>,
): Promise<ConnectOutcome> {
  const servers = options.bootstrapServers;
  let failure: string | undefined;
  let done = false;
  let stopWatching = (): void => undefined;
  return new Promise<ConnectOutcome>((resolve, reject) => {
    const fail = (error: DatagenError): void => {
      done = true;
      stopWatching();
      reject(error);
    };
    // Errors and logs reach JavaScript only when the client is polled; its own poll interval
    // starts after connecting.
    const poller = setInterval(() => {
      try {
        producer.poll();
      } catch {
        // not connected yet
      }
    }, 20);
    const onAbort = (): void => fail(interrupted());
    options.signal?.addEventListener('abort', onAbort, { once: true });
    stopWatching = () => {
      clearInterval(poller);
      options.signal?.removeEventListener('abort', onAbort);
    };
    producer.on('event.log', (log) => {
      if (done) return;
      // A refused login or certificate, named with the mechanism, the user and the broker.
      const refused = securityRefusal(log.message, config, servers);
      if (refused !== undefined) {
        fail(new DatagenError('KAFKA', refused));
        return;
      }
      if (log.fac !== 'FAIL') return;
      failure = failureDetail(log.message);
      if (/in state SSL_HANDSHAKE/.test(log.message)) {
        fail(
          new DatagenError(
            'KAFKA',
            `the TLS handshake with Kafka at ${servers} failed (${failure}); check KAFKA_SECURITY_PROTOCOL (with SASL credentials it defaults to SASL_SSL; a listener without TLS needs SASL_PLAINTEXT) and the KAFKA_SSL_* settings`,
          ),
        );
      }
    });
    producer.on('event.error', (error) => {
      if (done || !/authentication/i.test(error.message)) return;
      fail(
        new DatagenError(
          'KAFKA',
          `SASL authentication with Kafka at ${servers} failed (${failure ?? error.message}); check KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD against the broker's listener`,
        ),
      );
    });
    producer.connect({ timeout: attemptMs, topic: options.topic }, (error: KafkaClientError | null | undefined) => {
      if (done) {
        // Already given up on: release what a late answer left connected.
        if (!error) producer.disconnect(() => undefined);
        return;
      }
      done = true;
      stopWatching();
      resolve(error ? { connected: false, failure: failure ?? error.message } : { connected: true });
    });
  });
}

/** `[thrd:…]: host:port/id: Connect to … failed: … (after 0ms in state CONNECT)` → from "Connect". */
function failureDetail(message: string): string {
  return message
    .replace(/^\[thrd:[^\]]*\]: \S+: /, '')
    .replace(/, \d+ identical error\(s\) suppressed/, '')
    .trim();
}

/**
 * True when every address of every bootstrap server refuses a TCP connection: nothing listens
 * there, so waiting out the connect timeout would only delay the same answer. Anything else (an
 * address that accepts, does not answer, or does not resolve) is left to the client.
 */
async function nothingListens(bootstrapServers: string): Promise<boolean> {
  const servers = bootstrapServers
    .split(',')
    .map((server) => server.trim())
    .filter((server) => server !== '');
  if (servers.length === 0) return false;
  const refused = await Promise.all(servers.map(refusesEveryAddress));
  return refused.every(Boolean);
}

async function refusesEveryAddress(server: string): Promise<boolean> {
  const match = /^(?:[a-z_]+:\/\/)?(?:\[([^\]]+)\]|([^:]+)):(\d+)$/i.exec(server);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (host === undefined || !(port > 0 && port < 65536)) return false;
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true });
  } catch {
    return false;
  }
  if (addresses.length === 0) return false;
  const refused = await Promise.all(addresses.map(({ address }) => refusesConnection(address, port)));
  return refused.every(Boolean);
}

function refusesConnection(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: 1000 });
    const settle = (refused: boolean): void => {
      socket.destroy();
      resolve(refused);
    };
    socket.once('connect', () => settle(false));
    socket.once('timeout', () => settle(false));
    socket.once('error', (error: NodeJS.ErrnoException) => settle(error.code === 'ECONNREFUSED'));
  });
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
    return `the TLS handshake with Kafka at ${servers} failed (${ssl[1] ?? ''}); check KAFKA_SSL_CA_LOCATION and the broker's certificate, and KAFKA_SECURITY_PROTOCOL (with SASL credentials it defaults to SASL_SSL; a listener without TLS needs SASL_PLAINTEXT)`;
  }
  return undefined;
}

function isFatal(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  return ('isFatal' in error && error.isFatal === true) || ('code' in error && error.code === -150);
}

function isQueueFull(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === -184;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A load error's first line: the native loader's errors go on to list every path it tried. */
function firstLine(error: unknown): string {
  return messageOf(error).split('\n')[0] ?? '';
}

/** The key and message timestamp of a batch's record at a position, as its source knows them. */
export interface LineIdentity {
  keyOf(position: number): string;
  timestampOf(position: number): number;
}

/**
 * A byte sink that turns JSON Lines into Kafka messages: each line is one record's JSON (no
 * header or footer: jsonl only), the lines come in the batch's order, and each one's key
 * (customer_id) and message timestamp (the event time) come from its position, as the record
 * source defines them, not from its bytes. A line split across two writes is sent once whole.
 * This lets the worker-thread batch (parallel-batch.ts) feed Kafka: the workers generate and
 * encode, this thread only produces.
 */
export class KafkaLinesSink implements Sink {
  readonly description: string;
  readonly closedByReader = false;
  readonly #kafka: KafkaRecordSink;
  readonly #identity: LineIdentity;
  #position = 0;
  #bytes = 0;
  /** The start of a line whose end is still to come, copied (the caller reuses its chunks). */
  #partial: Buffer | undefined;

  constructor(kafka: KafkaRecordSink, identity: LineIdentity) {
    this.#kafka = kafka;
    this.#identity = identity;
    this.description = kafka.description;
  }

  get bytesWritten(): number {
    return this.#bytes;
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.#bytes += chunk.byteLength;
    let lines = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.#partial !== undefined) {
      lines = Buffer.concat([this.#partial, lines]);
      this.#partial = undefined;
    }
    let start = 0;
    while (start < lines.length) {
      const end = lines.indexOf(NEWLINE, start);
      if (end < 0) {
        this.#partial = Buffer.from(lines.subarray(start));
        return;
      }
      if (end > start) await this.#send(lines.subarray(start, end));
      start = end + 1;
    }
  }

  async close(): Promise<void> {
    if (this.#partial !== undefined) await this.#send(this.#partial);
    this.#partial = undefined;
    await this.#kafka.close();
  }

  /** What reached the client is delivered either way (Kafka has no temporary file to drop). */
  async abort(): Promise<void> {
    await this.#kafka.close();
  }

  async #send(value: Buffer): Promise<void> {
    const key = this.#identity.keyOf(this.#position);
    const timestamp = this.#identity.timestampOf(this.#position);
    this.#position++;
    if (!this.#kafka.produce(value, key, timestamp)) await this.#kafka.sendWhenRoom(value, key, timestamp);
  }
}

const NEWLINE = 0x0a;
