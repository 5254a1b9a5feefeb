import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricNames, RunMetrics, startMetricsServer } from '../../src/metrics/metrics.ts';
import { streamSource } from '../../src/modes/stream.ts';
import { runTimed } from '../../src/modes/timed.ts';
import { SimulatedClock } from '../../src/schedule/clock.ts';
import { KafkaRecordSink } from '../../src/sinks/kafka.ts';
import type { TestBroker } from '../support/broker.ts';
import { consume, startBroker } from '../support/broker.ts';
import { runChild } from '../support/cli.ts';
import { spawn } from 'node:child_process';
import { binPath } from '../support/cli.ts';
import { sampleValue as value, scrape } from '../support/metrics.ts';
import { waitFor } from '../support/wait.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

let broker: TestBroker;
beforeAll(async () => {
  broker = await startBroker(['metered', 'metered-cli']);
});
afterAll(async () => {
  await broker.stop();
});

describe('Prometheus metrics', () => {
  it('after a run through the broker, the counters equal what was generated and delivered', async () => {
    const metrics = await RunMetrics.create();
    const server = await startMetricsServer(metrics, '127.0.0.1', 0);
    const sink = await KafkaRecordSink.connect({ bootstrapServers: broker.bootstrap, topic: 'metered' });
    metrics.attach({ stats: () => sink.stats });
    sink.onAcknowledged = (ms) => metrics.observeSendLatency(ms);
    metrics.setAskedRate(600);
    const source = streamSource({
      seed: 4,
      ratePerMinute: 600,
      durationMinutes: 1,
      driftProgression: true,
      startMs: 0,
    });
    metrics.followDrift(source.schedule!);
    const run = await runTimed(source, sink, {
      clock: new SimulatedClock(),
      onProgress: (p) => metrics.countRecords(p.released),
    });
    const text = await (await fetch(server.url)).text();
    const health = await fetch(server.url.replace('/metrics', '/healthz'));
    await server.close();

    const delivered = (await consume(broker.bootstrap, 'metered')).length;
    expect(delivered).toBe(600);
    expect(run.stats.acknowledged).toBe(600);
    const byLevel = ['low', 'medium', 'high'].map((l) => value(text, metricNames.generated, `{risk_level="${l}"}`));
    expect(byLevel.reduce((a, b) => a + b, 0)).toBe(600);
    expect(byLevel.every((n) => n > 0)).toBe(true);
    expect(value(text, metricNames.delivered)).toBe(delivered);
    expect(value(text, metricNames.failed)).toBe(0);
    expect(value(text, metricNames.queueDepth)).toBe(0);
    expect(value(text, `${metricNames.sendLatency}_count`)).toBe(600);
    expect(value(text, metricNames.askedRate)).toBe(10);
    expect(value(text, metricNames.driftProgress)).toBeCloseTo(599 / 600, 5);
    expect(value(text, metricNames.driftFactor)).toBeCloseTo(599 / 600, 5);
    expect(value(text, metricNames.driftStrength, '{kind="prior"}')).toBeCloseTo(599 / 600, 5);
    expect(value(text, metricNames.driftStrength, '{kind="class-conditional"}')).toBeCloseTo(599 / 600, 5);
    expect(health.status).toBe(200);
  });

  it('the CLI serves them while it runs (--metrics-port 0 picks a free port)', async () => {
    const child = spawn(
      process.execPath,
      [
        binPath,
        'stream',
        '--rate',
        '1200',
        '--duration',
        '0.1',
        '--kafka-servers',
        broker.bootstrap,
        '--topic',
        'metered-cli',
        '--metrics-port',
        '0',
        '--log-format',
        'json',
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const url = await new Promise<string>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /"metricsUrl":"([^"]+)"/.exec(stderr);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
    });
    const generatedIn = (text: string): number =>
      ['low', 'medium', 'high']
        .map((l) => value(text, metricNames.generated, `{risk_level="${l}"}`))
        .reduce((a, b) => a + b, 0);
    // Mid-run: more than a second's worth of the 120 records (20/s) generated.
    let last = '';
    const text = await waitFor(
      async () => {
        last = await scrape(url);
        return generatedIn(last) > 20 && last;
      },
      {
        what: 'a scrape counting more than 20 records generated',
        state: () => `${generatedIn(last)} generated`,
        abandonedBy: exited.then(() => stderr),
      },
    );
    expect((await fetch(url.replace('/metrics', '/healthz'))).status).toBe(200);
    for (const name of Object.values(metricNames)) expect(text, name).toContain(name);
    expect(value(text, metricNames.askedRate)).toBe(20);
    const midRun = generatedIn(text);
    expect(midRun).toBeGreaterThan(20);
    expect(midRun).toBeLessThan(120);
    const code = await exited;
    expect(code).toBe(0);
    expect(stderr).toContain('"generated":120,"sent":120,"acknowledged":120,"failed":0');
  }, 30_000);

  it('the Grafana dashboard uses exactly the served metric names', () => {
    const dashboard = JSON.parse(readFileSync(join(root, 'deploy/grafana/churn-datagen-dashboard.json'), 'utf8')) as {
      panels: { targets: { expr: string }[] }[];
    };
    const used = new Set(
      dashboard.panels
        .flatMap((p) => p.targets.flatMap((t) => t.expr.match(/churn_datagen_[a-z_]+/g) ?? []))
        .map((n) => n.replace(/_bucket$/, '')),
    );
    expect([...used].sort()).toEqual(Object.values(metricNames).sort());
    expect(readFileSync(join(root, 'deploy/prometheus/prometheus.yml'), 'utf8')).toContain('job_name: churn-datagen');
  });

  it('rejects a bad --metrics-port with exit 2', async () => {
    const result = await runChild(['batch', '--metrics-port', '70000', '--output', '-']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--metrics-port: expected a port number from 0 to 65535, got '70000'");
  });
});
