/**
 * Prometheus metrics of a run (prom-client), served on /metrics with /healthz beside it. Counters
 * that the sinks already keep (delivered, failed, in flight) are read from them at scrape time, so
 * the generation loop pays nothing for metrics it does not produce itself.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type * as PromClientModule from 'prom-client';
import type { CustomerRecord } from '../core/schema.ts';
import type { DeliveryStats } from '../sinks/record-sink.ts';
import type { DriftSchedule } from '../core/drift-schedule.ts';
import { componentStrength } from '../core/drift-schedule.ts';

/**
 * The metric names, also used by deploy/grafana and the docs. Base units (seconds, records per
 * second), `_ratio` for 0..1 gauges; rates of what happened are left to Prometheus (`rate()` of
 * the counters), so every scraper sees the same numbers from the first scrape on.
 */
export const metricNames = {
  buildInfo: 'churn_datagen_build_info',
  generated: 'churn_datagen_records_generated_total',
  delivered: 'churn_datagen_records_delivered_total',
  failed: 'churn_datagen_records_failed_total',
  driftFactor: 'churn_datagen_drift_factor_ratio',
  driftProgress: 'churn_datagen_drift_progress_ratio',
  driftStrength: 'churn_datagen_drift_strength_ratio',
  askedRate: 'churn_datagen_rate_asked_per_second',
  sendLatency: 'churn_datagen_send_latency_seconds',
  queueDepth: 'churn_datagen_queue_depth',
} as const;

export interface RunMetricsSource {
  /** Delivery accounting of the destination, read at each scrape. */
  stats(): DeliveryStats;
}

type PromClient = typeof PromClientModule;

export class RunMetrics {
  readonly #registry: InstanceType<PromClient['Registry']>;
  readonly #generated: InstanceType<PromClient['Counter']>;
  readonly #driftFactor: InstanceType<PromClient['Gauge']>;
  readonly #driftProgress: InstanceType<PromClient['Gauge']>;
  readonly #driftStrength: InstanceType<PromClient['Gauge']>;
  #schedule: DriftSchedule | undefined;
  readonly #askedRate: InstanceType<PromClient['Gauge']>;
  readonly #sendLatency: InstanceType<PromClient['Histogram']>;
  #source: RunMetricsSource | undefined;

  private constructor(client: PromClient) {
    const registry = new client.Registry();
    this.#registry = registry;
    client.collectDefaultMetrics({ register: registry });
    const self = (): RunMetrics => this;
    new client.Gauge({
      name: metricNames.buildInfo,
      help: 'Always 1; the labels name the churn-datagen version and the Node.js version running it.',
      labelNames: ['version', 'node'],
      registers: [registry],
    }).set({ version: packageVersion(), node: process.version }, 1);

    this.#generated = new client.Counter({
      name: metricNames.generated,
      help: 'Records generated, by true risk level.',
      labelNames: ['risk_level'],
      registers: [registry],
    });
    // Counters that follow a total the destination keeps: each scrape adds what is new since the last.
    const followStat = (name: string, help: string, field: 'acknowledged' | 'failed'): void => {
      let reported = 0;
      new client.Counter({
        name,
        help,
        registers: [registry],
        collect() {
          const total = self().#source?.stats()[field];
          if (total === undefined) return;
          this.inc(total - reported);
          reported = total;
        },
      });
    };
    followStat(
      metricNames.delivered,
      'Records the destination acknowledged (Kafka: acks=all delivery reports; files: written).',
      'acknowledged',
    );
    followStat(metricNames.failed, 'Records that will never be delivered.', 'failed');
    new client.Gauge({
      name: metricNames.queueDepth,
      help: 'Records sent and not yet acknowledged or failed (in flight).',
      registers: [registry],
      collect() {
        const stats = self().#source?.stats();
        if (stats !== undefined) this.set(stats.sent - stats.acknowledged - stats.failed);
      },
    });
    this.#driftFactor = new client.Gauge({
      name: metricNames.driftFactor,
      help: 'Current feature drift factor, 0..1.',
      registers: [registry],
    });
    this.#driftProgress = new client.Gauge({
      name: metricNames.driftProgress,
      help: 'Progress of the drift schedule, 0..1.',
      registers: [registry],
    });
    this.#driftStrength = new client.Gauge({
      name: metricNames.driftStrength,
      help: 'Current strength of each kind of drift in the schedule, 0..its magnitude.',
      labelNames: ['kind'],
      registers: [registry],
    });
    this.#askedRate = new client.Gauge({
      name: metricNames.askedRate,
      help: 'Records per second asked for (--rate, which is per minute, divided by 60). What is achieved: rate(churn_datagen_records_generated_total[1m]).',
      registers: [registry],
    });
    this.#sendLatency = new client.Histogram({
      name: metricNames.sendLatency,
      help: 'Time from handing a record to the destination to its acknowledgement.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
  }

  /** Loads prom-client and sets up the registry. */
  static async create(): Promise<RunMetrics> {
    return new RunMetrics(await import('prom-client'));
  }

  attach(source: RunMetricsSource): void {
    this.#source = source;
  }

  /** The asked rate, given per minute as the CLI takes it; exposed per second. */
  setAskedRate(perMinute: number): void {
    this.#askedRate.set(perMinute / 60);
  }

  /** Reports the strength of each kind of drift in `schedule` as records are counted. */
  followDrift(schedule: DriftSchedule): void {
    this.#schedule = schedule;
  }

  setDriftFactor(factor: number): void {
    this.#driftFactor.set(factor);
  }

  /** Counts released records by level and follows their drift progress. */
  countRecords(records: readonly CustomerRecord[]): void {
    let low = 0;
    let medium = 0;
    let high = 0;
    for (const record of records) {
      if (record.true_risk_level === 'low') low++;
      else if (record.true_risk_level === 'medium') medium++;
      else high++;
    }
    this.countLevels({ low, medium, high });
    const last = records[records.length - 1];
    const progress = last?.drift_progress;
    if (last === undefined || progress === undefined) return;
    this.#driftProgress.set(progress);
    const schedule = this.#schedule;
    if (schedule === undefined) {
      this.#driftFactor.set(progress); // the SPEC scenario: factor = progress
      return;
    }
    const eventMs = Date.parse(last.timestamp);
    let factor = 0; // the feature drift factor is the class-conditional strength
    for (const component of schedule.components) {
      const strength = componentStrength(component, progress, eventMs);
      this.#driftStrength.set({ kind: component.kind }, strength);
      if (component.kind === 'class-conditional') factor = strength;
    }
    this.#driftFactor.set(factor);
  }

  countLevels(levels: { low: number; medium: number; high: number }): void {
    for (const [level, count] of Object.entries(levels))
      if (count > 0) this.#generated.inc({ risk_level: level }, count);
  }

  observeSendLatency(milliseconds: number): void {
    this.#sendLatency.observe(milliseconds / 1000);
  }

  /** The exposition text (what /metrics serves). */
  text(): Promise<string> {
    return this.#registry.metrics();
  }

  get contentType(): string {
    return this.#registry.contentType;
  }
}

/** The package's version, from package.json (two levels above this file in src/ and in dist/). */
function packageVersion(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

export interface MetricsServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves /metrics and /healthz on host:port (port 0: any free port; see `url`). */
export async function startMetricsServer(metrics: RunMetrics, host: string, port: number): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    if (request.url === '/healthz') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    metrics.text().then(
      (text) => response.writeHead(200, { 'content-type': metrics.contentType }).end(text),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/metrics`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
