/** --metrics-port / --metrics-host: serve a run's Prometheus metrics while it runs. */
import { isIP } from 'node:net';
import type { RecordObserver } from '../sinks/encoded-output.ts';
import { UsageError } from '../errors.ts';
import type { MetricsServer } from '../metrics/metrics.ts';
import { RunMetrics, startMetricsServer } from '../metrics/metrics.ts';
import type { DeliveryStats } from '../sinks/record-sink.ts';
import type { Logger } from './log.ts';

export interface MetricsFlags {
  metricsPort?: string;
  metricsHost: string;
}

export interface ActiveMetrics {
  readonly metrics: RunMetrics;
  /** Counts records one by one, in batches (cheap: no array per record). */
  readonly observe: RecordObserver;
  readonly flush: () => void;
  readonly stop: () => Promise<void>;
}

/** Validates --metrics-port before anything starts. */
export function parseMetricsPort(flags: MetricsFlags): number | undefined {
  if (flags.metricsPort === undefined) return undefined;
  const port = /^\d+$/.test(flags.metricsPort) ? Number(flags.metricsPort) : Number.NaN;
  if (!(port >= 0 && port <= 65535))
    throw new UsageError(`--metrics-port: expected a port number from 0 to 65535, got '${flags.metricsPort}'`);
  return port;
}

/** Validates the form of --metrics-host (an IP address or a host name) before anything starts. */
export function parseMetricsHost(flags: MetricsFlags): string {
  const host = flags.metricsHost;
  const hostName = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
  if (isIP(host) === 0 && !hostName.test(host)) {
    throw new UsageError(`--metrics-host: expected an IP address or a host name, got '${host}'`);
  }
  return host;
}

/** Starts the metrics server if --metrics-port was given; undefined otherwise. */
export async function startRunMetrics(
  flags: MetricsFlags,
  logger: Logger,
  stats: () => DeliveryStats,
): Promise<ActiveMetrics | undefined> {
  const port = parseMetricsPort(flags);
  if (port === undefined) return undefined;
  const metrics = await RunMetrics.create();
  metrics.attach({ stats });
  let server: MetricsServer;
  try {
    server = await startMetricsServer(metrics, flags.metricsHost, port);
  } catch (error) {
    throw new UsageError(
      `--metrics-port: cannot listen on ${flags.metricsHost}:${port} (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  logger.info(`metrics on ${server.url}`, { metricsUrl: server.url });
  const levels = { low: 0, medium: 0, high: 0 };
  const flush = (): void => {
    metrics.countLevels(levels);
    levels.low = levels.medium = levels.high = 0;
  };
  return {
    metrics,
    observe: (record) => {
      levels[record.true_risk_level]++;
    },
    flush,
    stop: async () => {
      flush();
      await server.close();
    },
  };
}
