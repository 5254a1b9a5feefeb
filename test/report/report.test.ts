/**
 * `churn-datagen report`: the JSON summary scores detections against the manifest, the HTML opens
 * offline in headless Chromium (Debian's chromium, driven by playwright-core) with its charts
 * drawn, and bad input is one line and exit 2.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ReportSummary } from '../../src/report/analysis.ts';
import { numericFeatures, recordFields } from '../../src/core/schema.ts';
import { SyntheticDataGenerator } from '../../src/generator.ts';
import { runInProcess, tempDir } from '../support/cli.ts';
import { fixedStart } from '../support/records.ts';

interface ChartSeen {
  title: string | null;
  width: number;
  height: number;
  /** Drawn marks (lines, areas, cells, dots) with a non-empty bounding box. */
  marks: number;
}

interface ChartRead {
  title: string | null;
  yTicks: (string | null)[];
  legend: (string | null)[];
  scaleTicks: (string | null)[];
  rules: number;
  ruleLabels: (string | null)[];
  dashedLines: (string | null)[];
  coordinates: string[];
}

interface Run {
  dir: string;
  summary: ReportSummary;
}

function launchChromium(): ReturnType<typeof chromium.launch> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
}

async function driftThenReport(kindFlags: string[], seed: number, reportFlags: string[] = []): Promise<Run> {
  const dir = tempDir();
  const drift = await runInProcess([
    'drift',
    ...kindFlags,
    ...['--duration', '60', '--rate', '500', '--fast', '--seed', String(seed), '--start', fixedStart],
    ...['--output', join(dir, 'drifted.jsonl'), '--manifest', join(dir, 'manifest.json'), '--quiet'],
  ]);
  expect(drift.code).toBe(0);
  const report = await runInProcess([
    'report',
    join(dir, 'drifted.jsonl'),
    ...['--manifest', join(dir, 'manifest.json'), '--out', join(dir, 'report.html')],
    ...reportFlags,
  ]);
  expect(report.stderr).toMatch(/^churn-datagen: report of 30000 records in 10 windows: /);
  expect(report.code).toBe(0);
  return { dir, summary: JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as ReportSummary };
}

describe('report: detected vs scheduled', () => {
  it('covariate drift on prices: exactly the scheduled features detected, the label mix stable', async () => {
    const { summary } = await driftThenReport(['--kind', 'covariate', '--features', 'avg_order_value'], 3);
    expect(summary.score).toEqual({ detected: 2, missed: 0, 'false alarm': 0, stable: numericFeatures.length - 2 });
    expect(summary.features.filter((f) => f.detected).map((f) => f.name)).toEqual(['total_revenue', 'avg_order_value']);
    expect(summary.label).toMatchObject({ scheduled: false, detected: false, verdict: 'stable' });
    // P(label | features) stays: the reference-trained classifier keeps its accuracy.
    expect(Math.abs(summary.classifier.last_accuracy - summary.classifier.reference_accuracy)).toBeLessThan(0.03);
  });

  it('concept drift: no feature moves, the label mix does, and the classifier loses accuracy late', async () => {
    const { summary } = await driftThenReport(['--kind', 'concept', '--shape', 'sudden', '--at', '0.5'], 4);
    expect(summary.features.some((f) => f.detected)).toBe(false);
    expect(summary.label).toMatchObject({
      scheduled: true,
      detected: true,
      first_detected_window: 5,
      verdict: 'detected',
    });
    expect(summary.classifier.reference_accuracy).toBeGreaterThan(0.75);
    expect(summary.classifier.last_accuracy).toBeLessThan(summary.classifier.reference_accuracy - 0.15);
    // Windows before the drift are labelled baseline, after it drifted; their progress is the time's share.
    expect(summary.windows[2]!.phases).toEqual({ baseline: summary.windows[2]!.records });
    expect(summary.windows[7]!.phases).toEqual({ drifted: summary.windows[7]!.records });
    expect(summary.windows[0]!.progress![0]).toBe(0);
  });

  it('a first detection is dated when its window is complete: never before the drift begins', async () => {
    // A sudden change at a quarter of the hour (00:15) falls inside window 2 (00:12-00:18).
    const { dir, summary } = await driftThenReport(
      ['--kind', 'covariate', '--features', 'avg_order_value', '--shape', 'sudden', '--at', '0.25'],
      7,
    );
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      components: { onset: { time: string } }[];
    };
    const onset = Date.parse(manifest.components[0]!.onset.time);
    const detected = summary.features.filter((f) => f.detected);
    expect(detected.map((f) => f.name)).toEqual(['total_revenue', 'avg_order_value']);
    for (const finding of detected) {
      const at = Date.parse(finding.first_detected_at!);
      expect(at, finding.name).toBeGreaterThanOrEqual(onset);
      expect(finding.first_detected_at).toBe(summary.windows[finding.first_detected_window!]!.end);
    }
  });

  it('a window without records leaves a gap in the charts, never NaN coordinates', async () => {
    const dir = tempDir();
    const generator = new SyntheticDataGenerator({ seed: 3, start: fixedStart });
    const records = [generator.generateCustomer(), generator.generateCustomer(), generator.generateCustomer()];
    records[2] = { ...records[2]!, timestamp: '2026-01-01T03:00:00.000Z' }; // the middle hour is empty
    writeFileSync(join(dir, 'gap.jsonl'), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const result = await runInProcess([
      'report',
      join(dir, 'gap.jsonl'),
      '--windows',
      '3',
      '--out',
      join(dir, 'r.html'),
    ]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as ReportSummary;
    expect(summary.windows.map((w) => w.records)).toEqual([2, 0, 1]);
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).not.toMatch(/NaN|Infinity/);
  });

  it('without a manifest it reports detections alone; --windows and --alpha are honoured', async () => {
    const dir = tempDir();
    await runInProcess([
      'drift',
      ...['--duration', '20', '--rate', '600', '--fast', '--seed', '9', '--start', fixedStart],
      ...['--output', join(dir, 'd.jsonl'), '--quiet'],
    ]);
    const out = join(dir, 'r.html');
    const result = await runInProcess([
      'report',
      join(dir, 'd.jsonl'),
      '--out',
      out,
      '--windows',
      '4',
      '--alpha',
      '0.01',
      '--quiet',
    ]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const summary = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as ReportSummary;
    expect(summary.windows).toHaveLength(4);
    expect(summary.alpha).toBe(0.01);
    expect(summary.score).toBeNull();
    expect(summary.features.every((f) => f.verdict === null)).toBe(true);
    expect(summary.label.detected).toBe(true); // the SPEC scenario moves the mix
  });
});

describe('report: any JSON Lines writer, CSV and Parquet', () => {
  it('the same records re-written by Python json.dumps (spaces, shuffled keys, extra fields), as CSV and as Parquet give the same report', async () => {
    const dir = tempDir();
    const drift = (output: string): Promise<unknown> =>
      runInProcess([
        'drift',
        ...['--kind', 'covariate', '--features', 'avg_order_value', '--duration', '20', '--rate', '600', '--fast'],
        ...['--seed', '6', '--start', fixedStart, '--output', join(dir, output), '--quiet'],
      ]);
    await drift('d.jsonl');
    await drift('d.csv');
    await drift('d.parquet');
    execFileSync(
      'python3',
      [
        '-c',
        `import json, random, sys
random.seed(1)
with open(sys.argv[1]) as source, open(sys.argv[2], 'w') as target:
    for line in source:
        items = list(json.loads(line).items())
        random.shuffle(items)
        record = dict(items)
        record['source'] = {'timestamp': 'not this one', 'tags': [1, 2]}
        target.write(json.dumps(record) + '\\n')`,
        join(dir, 'd.jsonl'),
        join(dir, 'python.jsonl'),
      ],
      { stdio: 'inherit' },
    );
    expect(readFileSync(join(dir, 'python.jsonl'), 'utf8')).toMatch(/^\{"[a-z_]+": /);
    const summaries = [];
    for (const input of ['d.jsonl', 'python.jsonl', 'd.csv', 'd.parquet']) {
      const result = await runInProcess(['report', join(dir, input), '--out', join(dir, `${input}.html`), '--quiet']);
      expect(result, input).toMatchObject({ code: 0, stderr: '' });
      const summary = JSON.parse(readFileSync(join(dir, `${input}.json`), 'utf8')) as ReportSummary;
      expect(summary.records, input).toBe(12_000);
      summaries.push({ ...summary, input: 'same' });
    }
    for (const summary of summaries.slice(1)) expect(summary).toEqual(summaries[0]);
  }, 60_000);
});

describe('report HTML in headless Chromium', () => {
  let run: Run;
  beforeAll(async () => {
    run = await driftThenReport(['--kind', 'prior,covariate', '--shape', 'sigmoid'], 5);
  });

  it('opens offline from one file and draws every chart', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      const requests: string[] = [];
      page.on('request', (request) => requests.push(request.url()));
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      const url = pathToFileURL(join(run.dir, 'report.html')).href;
      await page.goto(url);
      expect(requests).toEqual([url]); // nothing fetched: no CDN, no fonts, no scripts
      expect(errors).toEqual([]);

      // Page-side code as text: the tests compile without the DOM library.
      const charts = await page.evaluate<ChartSeen[]>(`
        [...document.querySelectorAll('svg.chart')].map((svg) => {
          const box = svg.getBoundingClientRect();
          const marks = [...svg.querySelectorAll('polyline, polygon, rect.cell, circle')].filter((mark) => {
            const b = mark.getBBox();
            return b.width > 0 || b.height > 0;
          });
          return { title: svg.getAttribute('aria-label'), width: box.width, height: box.height, marks: marks.length };
        })`);
      // Mix, schedule, heatmap, classifier, and one small chart per numeric feature.
      expect(charts).toHaveLength(4 + numericFeatures.length);
      for (const chart of charts) {
        expect(chart.width, chart.title ?? '').toBeGreaterThan(200);
        expect(chart.height, chart.title ?? '').toBeGreaterThan(100);
        expect(chart.marks, chart.title ?? '').toBeGreaterThan(0);
      }
      const heatmapCells = charts.find((c) => c.title?.startsWith('KS D per feature'))?.marks;
      expect(heatmapCells).toBe(numericFeatures.length * 10);

      // The verdict table shows the manifest's ground truth.
      const verdicts = await page.evaluate<[string, string][]>(`
        [...document.querySelectorAll('#verdicts tbody tr')].map((row) =>
          [row.children[0].textContent, row.querySelector('.verdict').textContent])`);
      expect(verdicts).toHaveLength(numericFeatures.length + 1);
      // prior drift moves every feature; the ones it moves less than detectably may show either way
      expect(verdicts.filter(([, verdict]) => verdict === 'missed' || verdict === 'false alarm')).toEqual([]);
      expect(verdicts.filter(([, verdict]) => verdict === 'detected').length).toBeGreaterThan(
        numericFeatures.length / 2,
      );

      // The embedded summary is the JSON file's content.
      const embedded = JSON.parse(
        await page.evaluate<string>(`document.getElementById('summary').textContent`),
      ) as unknown;
      expect(embedded).toEqual(run.summary);

      // Painted, not blank: the screenshot holds many distinct colours.
      const png = await page.screenshot({ fullPage: true });
      expect(png.length).toBeGreaterThan(100_000);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('charts read true: ticks within what each value can take, a legend or colour scale on each, rules labelled, no line hidden', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      await page.goto(pathToFileURL(join(run.dir, 'report.html')).href);
      const charts = await page.evaluate<ChartRead[]>(`
        [...document.querySelectorAll('svg.chart')].map((svg) => ({
          title: svg.getAttribute('aria-label'),
          yTicks: [...svg.querySelectorAll('text.y-tick')].map((t) => t.textContent),
          legend: [...svg.querySelectorAll('.legend .legend-item')].map((item) => item.textContent),
          scaleTicks: [...svg.querySelectorAll('.colour-scale .scale-tick')].map((t) => t.textContent),
          rules: svg.querySelectorAll('line.rule').length,
          ruleLabels: [...svg.querySelectorAll('text.rule-label')].map((t) => t.textContent),
          dashedLines: [...svg.querySelectorAll('polyline[stroke-dasharray]')].map((l) => l.textContent),
          coordinates: [...svg.querySelectorAll('*')].flatMap((e) =>
            ['x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'points'].map((a) => e.getAttribute(a) ?? '')),
        }))`);
      expect(charts).toHaveLength(4 + numericFeatures.length);
      for (const chart of charts) {
        const name = chart.title ?? '';
        // Every chart says what its colours mean.
        expect(chart.legend.length + chart.scaleTicks.length, name).toBeGreaterThan(0);
        expect(chart.coordinates.join(' '), name).not.toMatch(/NaN|Infinity/);
      }
      const heatmap = charts.find((c) => c.title?.startsWith('KS D per feature'))!;
      expect(heatmap.scaleTicks.map(Number)).toEqual([0, 0.1, 0.2, 0.3]);
      expect(heatmap.legend).toEqual([]);

      // Shares and accuracies: 0% to 100%.
      for (const title of ['share of records per level, by window', 'accuracy per window']) {
        const ticks = charts.find((c) => c.title === title)!.yTicks.map((t) => Number(t?.replace('%', '')));
        expect(ticks.length, title).toBeGreaterThan(2);
        for (const tick of ticks) expect(tick >= 0 && tick <= 100, `${title}: ${tick}`).toBe(true);
      }
      // Each feature's axis: no negative tick (every feature is non-negative), rates within 0..1,
      // counts in whole numbers.
      for (const field of recordFields.filter((f) => (numericFeatures as readonly string[]).includes(f.name))) {
        const chart = charts.find((c) => c.title === field.name)!;
        const ticks = chart.yTicks.map((t) => Number(t?.replace(/,/g, '')));
        expect(ticks.length, field.name).toBeGreaterThanOrEqual(2);
        expect(ticks.every(Number.isFinite), `${field.name}: ${chart.yTicks.join(' ')}`).toBe(true);
        expect(Math.min(...ticks), field.name).toBeGreaterThanOrEqual(0);
        if (field.kind === 'rate') expect(Math.max(...ticks), field.name).toBeLessThanOrEqual(1);
        if (field.kind === 'integer')
          expect(ticks.every(Number.isInteger), `${field.name}: ${ticks.join(' ')}`).toBe(true);
        expect(chart.legend, field.name).toEqual(['median', '10–90%', 'p < α']);
      }

      // The schedule: every first-detection rule carries a label, and the legend says what rules are.
      const schedule = charts.find((c) => c.title?.startsWith('strength of each kind of drift'))!;
      expect(schedule.rules).toBeGreaterThan(0);
      expect(schedule.ruleLabels).toHaveLength(schedule.rules);
      for (const label of schedule.ruleLabels) expect(label).toMatch(/^w\d+: \S+/);
      expect(schedule.legend.some((l) => l?.startsWith('first detected'))).toBe(true);
      // prior and covariate follow the same sigmoid: the second is dashed over the first, and says so.
      expect(schedule.legend).toContain('covariate (same as prior)');
      expect(schedule.dashedLines).toContain('covariate (same as prior)');
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe('report: bad input is one line, exit 2, no report', () => {
  it.each([
    [
      'missing input',
      (dir: string) => ['report', join(dir, 'nope.jsonl'), '--out', join(dir, 'r.html')],
      /input: cannot read '.*nope\.jsonl'/,
    ],
    [
      'not JSON Lines',
      (dir: string) => ['report', join(dir, 'bad.jsonl'), '--out', join(dir, 'r.html')],
      /bad\.jsonl line 2: not JSON/,
    ],
    [
      'not a manifest',
      (dir: string) => [
        'report',
        join(dir, 'good.jsonl'),
        '--manifest',
        join(dir, 'good.jsonl'),
        '--out',
        join(dir, 'r.html'),
      ],
      /--manifest: '.*good\.jsonl' is not a churn-datagen drift manifest/,
    ],
    [
      'one window',
      (dir: string) => ['report', join(dir, 'good.jsonl'), '--windows', '1', '--out', join(dir, 'r.html')],
      /--windows: expected 2 to 100 .*, got '1'/,
    ],
    [
      'missing directory',
      (dir: string) => ['report', join(dir, 'good.jsonl'), '--out', join(dir, 'no', 'r.html')],
      /--out: /,
    ],
    [
      'a directory as input',
      (dir: string) => ['report', dir, '--out', join(dir, 'r.html')],
      /input: '.*' is not a regular file \(a directory\?\)/,
    ],
    [
      'a file with no newline in 3 MiB',
      (dir: string) => ['report', join(dir, 'one-line.jsonl'), '--out', join(dir, 'r.html')],
      /one-line\.jsonl line 1: longer than 1 Mi characters, the most a record may take/,
    ],
    [
      'a JSON array (batch --format json)',
      (dir: string) => ['report', join(dir, 'array.json'), '--out', join(dir, 'r.html')],
      /array\.json line 1: a JSON array, not JSON Lines \(write it with --format jsonl, csv or parquet\)/,
    ],
    [
      'CSV with a broken quote',
      (dir: string) => ['report', join(dir, 'bad.csv'), '--out', join(dir, 'r.html')],
      /bad\.csv line 2: not CSV/,
    ],
    [
      'a .parquet file that is not Parquet',
      (dir: string) => ['report', join(dir, 'bad.parquet'), '--out', join(dir, 'r.html')],
      /bad\.parquet footer: not readable as Parquet/,
    ],
    [
      'a single record',
      (dir: string) => ['report', join(dir, 'good.jsonl'), '--out', join(dir, 'r.html')],
      /input: '.*good\.jsonl' holds 1 record\(s\); a report needs at least 2/,
    ],
    [
      'more windows than records',
      (dir: string) => ['report', join(dir, 'five.jsonl'), '--windows', '6', '--out', join(dir, 'r.html')],
      /--windows: expected at most the 5 records of '.*five\.jsonl' .*, got '6'/,
    ],
    [
      'a billion windows',
      (dir: string) => ['report', join(dir, 'five.jsonl'), '--windows', '1e9', '--out', join(dir, 'r.html')],
      /--windows: expected 2 to 100 .*, got '1e9'/,
    ],
    [
      'a billion records per window',
      (dir: string) => ['report', join(dir, 'five.jsonl'), '--max-per-window', '1e9', '--out', join(dir, 'r.html')],
      /--max-per-window: expected at most 1000000, got '1e9'/,
    ],
    [
      '--json is the input',
      (dir: string) => [
        'report',
        join(dir, 'five.jsonl'),
        '--out',
        join(dir, 'r.html'),
        '--json',
        join(dir, 'five.jsonl'),
      ],
      /--json: '.*five\.jsonl' is the input too/,
    ],
    [
      '--out is the input (through another spelling of the path)',
      (dir: string) => ['report', join(dir, 'five.jsonl'), '--out', join(dir, '.', 'sub', '..', 'five.jsonl')],
      /--out: '.*five\.jsonl' is the input too/,
    ],
    [
      '--out is the manifest',
      (dir: string) => [
        'report',
        join(dir, 'five.jsonl'),
        '--manifest',
        join(dir, 'm.json'),
        '--out',
        join(dir, 'm.json'),
      ],
      /--out: '.*m\.json' is --manifest too/,
    ],
    [
      '--json is --out',
      (dir: string) => ['report', join(dir, 'five.jsonl'), '--out', join(dir, 'r.html'), '--json', join(dir, 'r.html')],
      /--json: '.*r\.html' is --out too/,
    ],
  ])('%s', async (_name, args, message) => {
    const dir = tempDir();
    const generator = new SyntheticDataGenerator({ seed: 1, start: fixedStart });
    const line = JSON.stringify(generator.generateCustomer());
    const five = Array.from({ length: 5 }, () => JSON.stringify(generator.generateCustomer()));
    const inputs: Record<string, string> = {
      'good.jsonl': `${line}\n`,
      'bad.jsonl': `${line}\n{"timestamp":"${fixedStart}", oops\n`,
      'five.jsonl': `${five.join('\n')}\n`,
      'm.json': '{}',
      'array.json': `[\n${line},\n${line}\n]\n`,
      'bad.csv': 'customer_id,timestamp\n"C1,2026-01-01T00:00:00Z\n',
      'bad.parquet': 'PAR1 this is not a parquet file PAR1',
      'one-line.jsonl': '['.repeat(3 * 1024 * 1024),
    };
    for (const [name, content] of Object.entries(inputs)) writeFileSync(join(dir, name), content);
    mkdirSync(join(dir, 'sub'));
    const result = await runInProcess(args(dir));
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    // Nothing written, nothing left behind (no report, no temporary file), the inputs untouched.
    expect(readdirSync(dir).sort()).toEqual([...Object.keys(inputs), 'sub'].sort());
    for (const [name, content] of Object.entries(inputs)) expect(readFileSync(join(dir, name), 'utf8')).toBe(content);
  });
});

describe('report: values from the inputs cannot run in the page', () => {
  it('a crafted manifest yields no live script, and the page forbids scripts by policy', async () => {
    const dir = tempDir();
    await runInProcess([
      'drift',
      ...['--kind', 'prior,covariate', '--duration', '10', '--rate', '600', '--fast', '--seed', '2'],
      ...['--start', fixedStart, '--output', join(dir, 'd.jsonl'), '--manifest', join(dir, 'm.json'), '--quiet'],
    ]);
    const attack = (where: string): string =>
      `<script>document.title='pwned ${where}'</script><img src=x onerror=alert(1)>`;
    const manifest = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8')) as {
      components: { kind: string; description: string; shape: { type: string }; features: string[] }[];
      timeline: { strength: Record<string, number> }[];
    };
    manifest.components.forEach((component, i) => {
      const kind = attack(`kind ${i}`);
      for (const point of manifest.timeline) {
        point.strength[kind] = point.strength[component.kind] ?? 0;
      }
      component.kind = kind;
      component.description = attack(`description ${i}`);
      component.shape.type = attack(`shape ${i}`);
      component.features.push(attack(`feature ${i}`));
    });
    writeFileSync(join(dir, 'm.json'), JSON.stringify(manifest));
    const out = join(dir, `${'<script>x</script>'.replace(/[<>/]/g, '_')}.html`);
    const result = await runInProcess([
      'report',
      join(dir, 'd.jsonl'),
      '--manifest',
      join(dir, 'm.json'),
      '--out',
      out,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toMatch(/<script>|<img/i);
    expect(html).toContain('&#60;script&#62;document.title=');

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto(pathToFileURL(out).href);
      const seen = await page.evaluate<{ title: string; scripts: string[]; images: number; csp: string | null }>(`({
        title: document.title,
        scripts: [...document.querySelectorAll('script')].map((s) => s.type),
        images: document.querySelectorAll('img').length,
        csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null,
      })`);
      expect(seen.title).not.toContain('pwned');
      expect(seen.scripts).toEqual(['application/json']); // the embedded summary, a data block
      expect(seen.images).toBe(0);
      expect(seen.csp).toContain("default-src 'none'");
      expect(seen.csp).not.toMatch(/script-src/);
      expect(dialogs).toEqual([]);
      // The crafted kind is shown as text.
      expect(await page.evaluate<string>(`document.querySelector('#schedule p').textContent`)).toContain(
        "<script>document.title='pwned kind 0'</script>",
      );
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('a manifest whose fields have the wrong types is refused: one line, exit 2', async () => {
    const dir = tempDir();
    await runInProcess([
      'drift',
      ...['--duration', '5', '--rate', '600', '--fast', '--seed', '2', '--start', fixedStart],
      ...['--output', join(dir, 'd.jsonl'), '--manifest', join(dir, 'm.json'), '--quiet'],
    ]);
    const manifest = JSON.parse(readFileSync(join(dir, 'm.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'm.json'), JSON.stringify({ ...manifest, seed: '<script>alert(1)</script>' }));
    const result = await runInProcess([
      'report',
      join(dir, 'd.jsonl'),
      '--manifest',
      join(dir, 'm.json'),
      '--out',
      join(dir, 'r.html'),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/--manifest: manifest '.*m\.json': seed is not a number/);
    expect(existsSync(join(dir, 'r.html'))).toBe(false);
  });
});
