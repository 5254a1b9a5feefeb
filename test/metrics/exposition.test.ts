/**
 * What a Prometheus server scraping a running stream gets from /metrics: base units, counters for
 * what happened (rates are Prometheus's to compute), `_ratio` gauges for 0..1 values, and a
 * build-info metric. Scraped from the real endpoint of the CLI writing to a file.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { binPath, tempDir } from '../support/cli.ts';
import { waitFor } from '../support/wait.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

interface Exposition {
  types: Map<string, string>;
  samples: Map<string, number>;
}

function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type !== null) types.set(type[1]!, type[2]!);
    else if (line !== '' && !line.startsWith('#')) {
      const at = line.lastIndexOf(' ');
      samples.set(line.slice(0, at), Number(line.slice(at + 1)));
    }
  }
  return { types, samples };
}

const scrape = async (url: string): Promise<Exposition> => parseExposition(await (await fetch(url)).text());
const generated = (e: Exposition): number =>
  ['low', 'medium', 'high']
    .map((level) => e.samples.get(`churn_datagen_records_generated_total{risk_level="${level}"}`) ?? 0)
    .reduce((a, b) => a + b, 0);

describe('/metrics of a running stream', () => {
  it('counters, per-second and _ratio gauges, build info; two scrapers see the same totals', async () => {
    const dir = tempDir();
    const child = spawn(
      process.execPath,
      [
        binPath,
        'stream',
        ...['--rate', '1200', '--duration', '0.1', '--drift', '--seed', '3'],
        ...['--output', join(dir, 'live.jsonl'), '--metrics-port', '0', '--log-format', 'json'],
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.on('exit', () => reject(new Error(`exited before serving metrics: ${stderr}`)));
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /"metricsUrl":"([^"]+)"/.exec(stderr);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
    });
    // Mid-run: the first records counted (the 120 records take 6 s).
    await waitFor(async () => generated(await scrape(url)) > 0, {
      what: 'a scrape counting generated records',
      abandonedBy: exited.then(() => stderr),
    });
    const [first, second] = await Promise.all([scrape(url), scrape(url)]);
    let last: Exposition | undefined;
    const later = await waitFor(
      async () => {
        last = await scrape(url);
        return (
          generated(last) > generated(first) &&
          (last.samples.get('churn_datagen_records_delivered_total') ?? 0) > 0 &&
          last
        );
      },
      {
        what: 'a later scrape counting more records generated, and some delivered',
        state: () =>
          `generated ${generated(first)} at the first scrape, ${last === undefined ? '?' : generated(last)} at the last`,
        abandonedBy: exited.then(() => stderr),
      },
    );
    const code = await exited;
    expect(code, stderr).toBe(0);

    const own = [...later.types].filter(([name]) => name.startsWith('churn_datagen_'));
    expect(Object.fromEntries(own)).toEqual({
      churn_datagen_build_info: 'gauge',
      churn_datagen_records_generated_total: 'counter',
      churn_datagen_records_delivered_total: 'counter',
      churn_datagen_records_failed_total: 'counter',
      churn_datagen_drift_factor_ratio: 'gauge',
      churn_datagen_drift_progress_ratio: 'gauge',
      churn_datagen_drift_strength_ratio: 'gauge',
      churn_datagen_rate_asked_per_second: 'gauge',
      churn_datagen_send_latency_seconds: 'histogram',
      churn_datagen_queue_depth: 'gauge',
    });
    expect(later.samples.get(`churn_datagen_build_info{version="${version}",node="${process.version}"}`)).toBe(1);
    expect(later.samples.get('churn_datagen_rate_asked_per_second')).toBe(20);
    // Every _ratio gauge holds a value within 0..1.
    for (const [sample, value] of later.samples)
      if (/^churn_datagen_\w+_ratio\b/.test(sample)) expect(value >= 0 && value <= 1, sample).toBe(true);

    // Totals, not "since the previous scrape": concurrent scrapers agree, and the count only grows.
    expect(generated(first)).toBeGreaterThan(0);
    expect(Math.abs(generated(second) - generated(first))).toBeLessThanOrEqual(2);
    expect(generated(later)).toBeGreaterThan(generated(first));
    expect(later.samples.get('churn_datagen_records_delivered_total')).toBeGreaterThan(0);
  }, 30_000);
});
