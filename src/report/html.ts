/**
 * The drift report as one self-contained HTML page: inline CSS and SVG, no script and nothing
 * fetched, so it opens offline and can be mailed around. The JSON summary is embedded too.
 */
import type { ReportSummary } from './analysis.ts';
import type { Series } from './svg.ts';
import type { AxisDomain } from './svg.ts';
import { escapeXml, heatmap, lineChart, niceTicks, palette, stackedAreaChart } from './svg.ts';
import { recordFields } from '../core/schema.ts';

export function renderReport(summary: ReportSummary): string {
  const { windows, features, manifest } = summary;
  const times = windows.map((w) => Date.parse(w.start));
  const mid = (i: number): number => (Date.parse(windows[i]?.start ?? '') + Date.parse(windows[i]?.end ?? '')) / 2;
  const x: [number, number] = [times[0] ?? 0, Date.parse(windows[windows.length - 1]?.end ?? '')];
  const xLabel = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  const percent = (y: number): string => `${Math.round(y * 100)}%`;
  const sections: string[] = [];

  // Detected vs scheduled.
  const rows = features
    .map((f) => {
      const verdict = f.verdict ?? (f.detected ? 'drift' : 'no drift');
      return `<tr class="${verdict.replace(' ', '-')}"><td>${escapeXml(f.name)}</td><td>${escapeXml(f.scheduled_by.join(', ') || '–')}</td><td>${f.first_detected_window === null ? '–' : `window ${f.first_detected_window} (by ${escapeXml(f.first_detected_at ?? '')})`}</td><td>${f.max_ks.toFixed(3)}</td><td>${formatP(f.min_p)}</td><td>${f.max_psi.toFixed(3)}</td><td class="verdict">${escapeXml(verdict)}</td></tr>`;
    })
    .join('');
  const labelVerdict = summary.label.verdict ?? (summary.label.detected ? 'drift' : 'no drift');
  const score =
    summary.score === null
      ? '<p>No manifest given: detections are listed without ground truth.</p>'
      : `<p class="score">Against the manifest: <b>${summary.score.detected}</b> detected, <b>${summary.score.missed}</b> missed, <b>${summary.score['false alarm']}</b> false alarms, <b>${summary.score.stable}</b> correctly stable (KS p &lt; ${summary.alpha}).</p>`;
  sections.push(`<section id="verdicts"><h2>Detected vs scheduled drift</h2>${score}
<table><thead><tr><th>feature</th><th>scheduled by</th><th>first detected (window end)</th><th>max KS</th><th>min p</th><th>max PSI</th><th>verdict</th></tr></thead><tbody>${rows}
<tr class="${labelVerdict.replace(' ', '-')}"><td>true_risk_level (mix, χ²)</td><td>${summary.label.scheduled === true ? 'label drift' : '–'}</td><td>${summary.label.first_detected_window === null ? '–' : `window ${summary.label.first_detected_window}`}</td><td></td><td>${formatP(Math.min(...summary.label.windows.map((w) => w.p)))}</td><td></td><td class="verdict">${escapeXml(labelVerdict)}</td></tr></tbody></table></section>`);

  // Risk mix over time, with the scheduled mix dashed.
  const layer = (level: 'high' | 'medium' | 'low'): Series => ({
    name: level,
    color: palette[level],
    points: windows.map((w, i) => [mid(i), w.mix[level]] as const),
  });
  const scheduledMix: Series[] =
    manifest === null
      ? []
      : [
          {
            name: 'scheduled high',
            color: '#222',
            dashed: true,
            points: manifest.timeline.map((p) => [Date.parse(p.time), p.mix.high] as const),
          },
          {
            name: 'scheduled high+medium',
            color: '#555',
            dashed: true,
            points: manifest.timeline.map((p) => [Date.parse(p.time), p.mix.high + p.mix.medium] as const),
          },
        ];
  sections.push(
    `<section id="mix"><h2>Risk mix over time</h2><figure>${stackedAreaChart(
      {
        title: 'share of records per level, by window',
        width: 900,
        height: 260,
        x,
        y: [0, 1],
        yTicks: shareTicks,
        xLabel,
        yLabel: percent,
      },
      [layer('high'), layer('medium'), layer('low')],
      scheduledMix,
    )}</figure></section>`,
  );

  // The schedule and what was detected when.
  if (manifest !== null) {
    const colours = [palette.accent, palette.high, palette.medium, palette.low];
    const strengths: Series[] = manifest.components.map((component, i) => ({
      name: component.kind,
      color: colours[i % colours.length] ?? palette.accent,
      points: manifest.timeline.map((p) => [Date.parse(p.time), p.strength[component.kind] ?? 0] as const),
    }));
    // One rule per window with first detections, at the window's end: when the detection was known.
    const byWindow = new Map<number, { names: string[]; scheduled: boolean }>();
    for (const f of features) {
      if (f.first_detected_window === null) continue;
      const entry = byWindow.get(f.first_detected_window) ?? { names: [], scheduled: true };
      entry.names.push(f.name);
      entry.scheduled &&= f.scheduled;
      byWindow.set(f.first_detected_window, entry);
    }
    const rules = [...byWindow].map(([index, { names, scheduled }]) => ({
      x: Date.parse(windows[index]?.end ?? ''),
      color: scheduled ? palette.low : palette.high,
      label: `w${index}: ${names.length === 1 ? names[0] : `${names.length} features`}`,
      tooltip: `first detected in window ${index} (by ${windows[index]?.end ?? ''}): ${names.join(', ')}`,
    }));
    const strongest = Math.max(1, ...strengths.flatMap((line) => line.points.map(([, y]) => y)));
    const strengthTicks = niceTicks(0, strongest, { min: 0 });
    sections.push(
      `<section id="schedule"><h2>Scheduled drift (manifest) and first detections</h2><p>${manifest.components.map((c) => `<b>${escapeXml(c.kind)}</b> (${escapeXml(c.shape.type)}): ${escapeXml(c.description)}`).join('<br>')}</p><figure>${lineChart(
        {
          title: 'strength of each kind of drift, and the first detections',
          width: 900,
          height: 260,
          x,
          y: [0, strengthTicks[strengthTicks.length - 1] ?? 1],
          yTicks: strengthTicks,
          xLabel,
        },
        strengths,
        {
          rules,
          notes: [
            { label: 'first detected, scheduled (window end)', color: palette.low, mark: 'rule' },
            { label: 'first detected, not scheduled', color: palette.high, mark: 'rule' },
          ],
        },
      )}</figure></section>`,
    );
  }

  // KS heatmap.
  sections.push(
    `<section id="heatmap"><h2>KS statistic of each window against the reference window</h2><figure>${heatmap(
      `KS D per feature and window (darkest: D ≥ ${heatScaleTop.toFixed(2)})`,
      features.map((f) => f.name),
      windows.map((w) => String(w.index)),
      (r, c) => {
        const stats = features[r]?.windows[c];
        return {
          value: (stats?.ks ?? 0) / heatScaleTop,
          flagged: (stats?.p ?? 1) < summary.alpha,
          tooltip: `${features[r]?.name ?? ''}, window ${c}: D = ${(stats?.ks ?? 0).toFixed(4)}, p = ${formatP(stats?.p ?? 1)}, PSI = ${(stats?.psi ?? 0).toFixed(4)}`,
        };
      },
      {
        label: 'KS D',
        ticks: [0, 0.1, 0.2, 0.3].map((d) => ({ at: d / heatScaleTop, text: d === 0 ? '0' : d.toFixed(1) })),
        flagged: `outlined: p < ${summary.alpha}`,
      },
    )}</figure></section>`,
  );

  // Classifier accuracy (concept drift shows here while features stay put).
  sections.push(
    `<section id="classifier"><h2>Accuracy of a classifier trained on the reference window</h2><p>Nearest centroid on ${summary.classifier.features.map(escapeXml).join(', ')}. Concept drift lowers it while the feature distributions stay; covariate drift leaves it about level.</p><figure>${lineChart(
      {
        title: 'accuracy per window',
        width: 900,
        height: 230,
        x,
        y: [0, 1],
        yTicks: shareTicks,
        xLabel,
        yLabel: percent,
      },
      [
        {
          name: 'accuracy',
          color: palette.accent,
          points: windows.map((w, i) => [mid(i), w.classifier_accuracy] as const),
        },
      ],
    )}</figure></section>`,
  );

  // Per-feature distributions over time.
  const small = features
    .map((f) => {
      const all = f.windows.flatMap((w) => [w.p10, w.p90]);
      const ticks = niceTicks(finiteMin(all), finiteMax(all), axisDomainOf(f.name), 4);
      return `<figure class="small">${lineChart(
        {
          title: f.name,
          width: 290,
          height: 190,
          x,
          y: [ticks[0] ?? 0, ticks[ticks.length - 1] ?? 1],
          yTicks: ticks,
          xLabel: (ms) => xLabel(ms).slice(11),
        },
        [{ name: 'median', color: palette.accent, points: f.windows.map((w, i) => [mid(i), w.p50] as const) }],
        {
          bands: [{ color: palette.accent, points: f.windows.map((w, i) => [mid(i), w.p10, w.p90] as const) }],
          markers: f.windows.flatMap((w, i) =>
            w.p < summary.alpha ? [{ x: mid(i), y: w.p50, color: palette.high, label: `p = ${formatP(w.p)}` }] : [],
          ),
          notes: [
            { label: '10–90%', color: palette.accent, mark: 'band' },
            { label: 'p < α', color: palette.high, mark: 'dot' },
          ],
        },
      )}</figure>`;
    })
    .join('');
  sections.push(
    `<section id="features"><h2>Feature distributions per window</h2><p>Median and 10th–90th percentile band; red dots mark windows whose KS test against the reference has p &lt; ${summary.alpha}.</p><div class="grid">${small}</div></section>`,
  );

  const json = JSON.stringify(summary).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>churn-datagen drift report: ${escapeXml(summary.input)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">
<style>${css}</style></head>
<body><header><h1>Drift report</h1><p><b>${escapeXml(summary.input)}</b>: ${summary.records.toLocaleString('en-US')} records from ${escapeXml(summary.first)} to ${escapeXml(summary.last)}, ${windows.length} windows (window 0 is the reference), significance bar p &lt; ${summary.alpha}.${manifest === null ? '' : ` Manifest: seed ${escapeXml(String(manifest.seed))}, ${escapeXml(manifest.components.map((c) => c.kind).join(' + '))} drift.`}</p></header>
<main>${sections.join('\n')}</main>
<script type="application/json" id="summary">${json}</script>
</body></html>
`;
}

// --- internal ---

const shareTicks = [0, 0.25, 0.5, 0.75, 1];
/** KS D at which the heat map's colour is darkest (larger D look the same). */
const heatScaleTop = 1 / 3;

/** What values a feature can take, from its kind in the record's schema. */
function axisDomainOf(name: string): AxisDomain {
  const kind = recordFields.find((field) => field.name === name)?.kind;
  switch (kind) {
    case 'integer':
      return { min: 0, integer: true };
    case 'rate':
    case 'progress':
    case 'boolean':
      return { min: 0, max: 1 };
    case 'money':
    case 'frequency':
      return { min: 0 };
    case 'string':
    case 'timestamp':
    case undefined:
      return {};
  }
}

function finiteMin(values: readonly number[]): number {
  return Math.min(...values.filter(Number.isFinite));
}

function finiteMax(values: readonly number[]): number {
  return Math.max(...values.filter(Number.isFinite));
}

/**
 * The page runs no script and loads nothing: only its inline styles are allowed, so a value that
 * slipped through escaping still could not run (the embedded JSON summary is a data block, not run).
 */
const contentSecurityPolicy =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

function formatP(p: number): string {
  if (p === 0) return '< 1e-300';
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

const css = `
body { font: 14px/1.45 system-ui, sans-serif; color: #1d2433; margin: 0 auto; max-width: 960px; padding: 16px; }
h1 { margin: 0 0 4px; } h2 { margin: 28px 0 8px; font-size: 18px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #e3e7ee; }
tr.detected .verdict, tr.stable .verdict { color: #2e9e5b; font-weight: 600; }
tr.missed .verdict, tr.false-alarm .verdict { color: #d1423b; font-weight: 600; }
figure { margin: 0; } .grid { display: flex; flex-wrap: wrap; gap: 8px; }
svg.chart { background: #fff; } svg .title { font-size: 13px; font-weight: 600; fill: #1d2433; }
svg .tick { font-size: 11px; fill: #5b6475; } .score b { font-size: 15px; }
`;
