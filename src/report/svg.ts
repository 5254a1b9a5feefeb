/**
 * Static SVG charts for the drift report. The report must open offline as one file, so charts are
 * drawn here as inline SVG (no script, no CDN, nothing to load) rather than by a browser-side
 * charting library.
 */

export interface Series {
  readonly name: string;
  readonly color: string;
  /** [x, y] points; NaN y leaves a gap. */
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
}

export interface Band {
  readonly color: string;
  /** [x, low, high] */
  readonly points: readonly (readonly [number, number, number])[];
}

export interface ChartFrame {
  readonly title: string;
  readonly width: number;
  readonly height: number;
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
  /** Text of an x tick value (e.g. a time). */
  readonly xLabel?: (x: number) => string;
  readonly yLabel?: (y: number) => string;
  /** Where the y ticks go (default: five evenly spaced over `y`). */
  readonly yTicks?: readonly number[];
}

/** What a legend entry stands for that is not a series: a shaded band, a dot or a vertical rule. */
export interface LegendNote {
  readonly label: string;
  readonly color: string;
  readonly mark: 'band' | 'dot' | 'rule';
}

/** Constraints on a y axis: the values' possible range and whether they are whole numbers. */
export interface AxisDomain {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
}

export const palette = {
  low: '#2e9e5b',
  medium: '#e0a000',
  high: '#d1423b',
  accent: '#3366cc',
  muted: '#8a94a6',
  grid: '#e3e7ee',
} as const;

/**
 * A line chart with optional shaded bands, markers and vertical rules (each rule labelled where it
 * meets the top of the plot). A series that would be drawn exactly over an earlier one is dashed
 * and its legend entry says so, so neither hides the other.
 */
export function lineChart(
  frame: ChartFrame,
  series: readonly Series[],
  extras: {
    bands?: readonly Band[];
    markers?: readonly { x: number; y: number; color: string; label: string }[];
    rules?: readonly { x: number; color: string; label: string; tooltip?: string }[];
    notes?: readonly LegendNote[];
  } = {},
): string {
  const plot = plotArea(frame);
  const parts: string[] = [axes(frame, plot)];
  for (const band of extras.bands ?? []) {
    const points = band.points.filter((p) => p.every(Number.isFinite));
    if (points.length === 0) continue;
    const upper = points.map(([x, , high]) => `${plot.sx(x)},${plot.sy(high)}`);
    const lower = [...points].reverse().map(([x, low]) => `${plot.sx(x)},${plot.sy(low)}`);
    parts.push(
      `<polygon class="band" points="${[...upper, ...lower].join(' ')}" fill="${band.color}" fill-opacity="0.22"/>`,
    );
  }
  for (const rule of extras.rules ?? []) {
    if (!Number.isFinite(rule.x)) continue;
    const x = plot.sx(rule.x);
    parts.push(
      `<line class="rule" x1="${x}" x2="${x}" y1="${plot.top}" y2="${plot.bottom}" stroke="${rule.color}" stroke-dasharray="4 3"><title>${escapeXml(rule.tooltip ?? rule.label)}</title></line>`,
      `<text class="rule-label" x="${x - 3}" y="${plot.top + 2}" text-anchor="end" transform="rotate(-90 ${x - 3} ${plot.top + 2})" fill="${rule.color}">${escapeXml(rule.label)}</text>`,
    );
  }
  const drawn = withOverlapsMarked(series, plot);
  for (const line of drawn) parts.push(polyline(line, plot));
  for (const marker of extras.markers ?? []) {
    if (!Number.isFinite(marker.x) || !Number.isFinite(marker.y)) continue;
    parts.push(
      `<circle class="marker" cx="${plot.sx(marker.x)}" cy="${plot.sy(marker.y)}" r="3.5" fill="${marker.color}"><title>${escapeXml(marker.label)}</title></circle>`,
    );
  }
  parts.push(legend(drawn, extras.notes ?? [], plot));
  return svg(frame, parts);
}

/** Shares stacked to 1 over x (e.g. the risk mix per window), bottom series first. */
export function stackedAreaChart(
  frame: ChartFrame,
  layers: readonly Series[],
  overlay: readonly Series[] = [],
): string {
  const plot = plotArea(frame);
  const parts: string[] = [axes(frame, plot)];
  const count = layers[0]?.points.length ?? 0;
  const base = new Array<number>(count).fill(0);
  for (const layer of layers) {
    const top = layer.points.map(([, y], i) => (base[i] ?? 0) + y);
    const upper = layer.points.map(([x], i) => `${plot.sx(x)},${plot.sy(top[i] ?? 0)}`);
    const lower = [...layer.points].reverse().map(([x], j) => `${plot.sx(x)},${plot.sy(base[count - 1 - j] ?? 0)}`);
    parts.push(
      `<polygon class="area" points="${[...upper, ...lower].join(' ')}" fill="${layer.color}" fill-opacity="0.75"><title>${escapeXml(layer.name)}</title></polygon>`,
    );
    top.forEach((value, i) => (base[i] = value));
  }
  const drawn = withOverlapsMarked(overlay, plot);
  for (const line of drawn) parts.push(polyline(line, plot));
  parts.push(legend([...layers, ...drawn], [], plot));
  return svg(frame, parts);
}

/** The heat map's colour of a value 0..1 (white to blue). */
export function heatColour(value: number): string {
  const shade = Math.round(255 - 200 * Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0)));
  return `rgb(${shade},${shade},255)`;
}

/**
 * A grid of cells (rows × columns) coloured by value 0..1, with a tooltip each, outlined flags and,
 * under it, the colour scale (what each shade means) and what an outline means.
 */
export function heatmap(
  title: string,
  rows: readonly string[],
  columns: readonly string[],
  cell: (row: number, column: number) => { value: number; flagged: boolean; tooltip: string },
  scale: { readonly label: string; readonly ticks: readonly { at: number; text: string }[]; readonly flagged: string },
): string {
  const labelWidth = 170;
  const cellWidth = Math.max(18, Math.min(48, Math.floor(720 / Math.max(1, columns.length))));
  const cellHeight = 18;
  const gridBottom = 30 + cellHeight * rows.length;
  const scaleTop = gridBottom + 34;
  const width = Math.max(labelWidth + cellWidth * columns.length + 20, 620);
  const height = scaleTop + 40;
  const parts: string[] = [`<text class="title" x="8" y="18">${escapeXml(title)}</text>`];
  rows.forEach((row, r) => {
    const y = 30 + r * cellHeight;
    parts.push(`<text class="tick" x="${labelWidth - 6}" y="${y + 13}" text-anchor="end">${escapeXml(row)}</text>`);
    columns.forEach((_, c) => {
      const { value, flagged, tooltip } = cell(r, c);
      const x = labelWidth + c * cellWidth;
      const stroke = flagged ? ` stroke="${palette.high}" stroke-width="2"` : ` stroke="#fff"`;
      parts.push(
        `<rect class="cell" x="${x}" y="${y}" width="${cellWidth - 1}" height="${cellHeight - 1}" fill="${heatColour(value)}"${stroke}><title>${escapeXml(tooltip)}</title></rect>`,
      );
    });
  });
  columns.forEach((column, c) => {
    const x = labelWidth + c * cellWidth + cellWidth / 2;
    parts.push(`<text class="tick" x="${x}" y="${gridBottom + 14}" text-anchor="middle">${escapeXml(column)}</text>`);
  });
  // The colour scale: a strip of shades from 0 to 1 with the value each tick stands for.
  const strip = { left: labelWidth, width: 300, steps: 30 };
  const scaleParts: string[] = [
    `<text class="tick" x="${strip.left - 6}" y="${scaleTop + 11}" text-anchor="end">${escapeXml(scale.label)}</text>`,
  ];
  for (let i = 0; i < strip.steps; i++) {
    const x = strip.left + (i * strip.width) / strip.steps;
    scaleParts.push(
      `<rect class="swatch" x="${x}" y="${scaleTop}" width="${strip.width / strip.steps + 0.5}" height="14" fill="${heatColour((i + 0.5) / strip.steps)}"/>`,
    );
  }
  for (const tick of scale.ticks) {
    const x = strip.left + tick.at * strip.width;
    scaleParts.push(
      `<line x1="${x}" x2="${x}" y1="${scaleTop + 14}" y2="${scaleTop + 18}" stroke="${palette.muted}"/>`,
      `<text class="tick scale-tick" x="${x}" y="${scaleTop + 30}" text-anchor="middle">${escapeXml(tick.text)}</text>`,
    );
  }
  const flagX = strip.left + strip.width + 24;
  scaleParts.push(
    `<rect x="${flagX}" y="${scaleTop}" width="14" height="14" fill="${heatColour(0.5)}" stroke="${palette.high}" stroke-width="2"/>`,
    `<text class="tick" x="${flagX + 20}" y="${scaleTop + 11}">${escapeXml(scale.flagged)}</text>`,
  );
  parts.push(`<g class="colour-scale">${scaleParts.join('')}</g>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">${parts.join('')}</svg>`;
}

/**
 * Ticks for a y axis over [low, high]: round steps (1, 2, 2.5 or 5 times a power of ten, whole for
 * integer data), the axis extended to the outer ticks but never past what the data can take (no
 * negative tick for a count, no rate above 1).
 */
export function niceTicks(low: number, high: number, domain: AxisDomain = {}, count = 5): number[] {
  const min = domain.min ?? -Infinity;
  const max = domain.max ?? Infinity;
  let from = Number.isFinite(low) ? Math.max(min, low) : Number.isFinite(min) ? min : 0;
  let to = Number.isFinite(high) ? Math.min(max, high) : from + 1;
  if (to <= from) {
    // A constant: a unit (or the whole domain, if narrower) around it.
    const half = Number.isFinite(max - min) ? Math.min(0.5, (max - min) / 2) : 0.5;
    from = Math.max(min, from - half);
    to = Math.min(max, to + half);
    if (to <= from) to = from + 1;
  }
  const raw = (to - from) / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  let step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  if (domain.integer === true) step = Math.max(1, Math.ceil(step));
  const first = Math.max(min, Math.floor(from / step + 1e-9) * step);
  const last = Math.min(max, Math.ceil(to / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let i = 0; first + i * step <= last + step * 1e-9; i++) ticks.push(roundTick(first + i * step, step));
  if (ticks.length < 2) ticks.push(roundTick(first + step, step));
  return ticks;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// --- internal ---

interface Plot {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  sx(x: number): number;
  sy(y: number): number;
}

function plotArea(frame: ChartFrame): Plot {
  const left = 52;
  const right = frame.width - 12;
  const top = 44; // under the title and the legend's row
  const bottom = frame.height - 34;
  const [x0, x1] = frame.x;
  const [y0, y1] = frame.y;
  const spanX = x1 - x0 || 1;
  const spanY = y1 - y0 || 1;
  const round = (v: number): number => Math.round(v * 10) / 10;
  return {
    left,
    right,
    top,
    bottom,
    sx: (x) => round(left + ((x - x0) / spanX) * (right - left)),
    sy: (y) => round(bottom - ((Math.min(y1, Math.max(y0, y)) - y0) / spanY) * (bottom - top)),
  };
}

function axes(frame: ChartFrame, plot: Plot): string {
  const parts = [`<text class="title" x="8" y="16">${escapeXml(frame.title)}</text>`];
  const xLabel = frame.xLabel ?? ((x: number) => formatTick(x));
  const yLabel = frame.yLabel ?? ((y: number) => formatTick(y));
  const yTicks = frame.yTicks ?? [0, 1, 2, 3, 4].map((i) => frame.y[0] + ((frame.y[1] - frame.y[0]) * i) / 4);
  for (const y of yTicks) {
    const py = plot.sy(y);
    parts.push(
      `<line x1="${plot.left}" x2="${plot.right}" y1="${py}" y2="${py}" stroke="${palette.grid}"/>`,
      `<text class="tick y-tick" x="${plot.left - 6}" y="${py + 4}" text-anchor="end">${escapeXml(yLabel(y))}</text>`,
    );
  }
  for (let i = 0; i <= 2; i++) {
    const x = frame.x[0] + ((frame.x[1] - frame.x[0]) * i) / 2;
    const anchor = i === 0 ? 'start' : i === 2 ? 'end' : 'middle';
    parts.push(
      `<text class="tick x-tick" x="${plot.sx(x)}" y="${plot.bottom + 16}" text-anchor="${anchor}">${escapeXml(xLabel(x))}</text>`,
    );
  }
  parts.push(
    `<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="${palette.muted}"/>`,
  );
  return parts.join('');
}

function polyline(line: Series, plot: Plot): string {
  const runs: string[][] = [[]];
  for (const [x, y] of line.points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) runs.push([]);
    else runs[runs.length - 1]?.push(`${plot.sx(x)},${plot.sy(y)}`);
  }
  const dash = line.dashed === true ? ' stroke-dasharray="6 4"' : '';
  return runs
    .filter((run) => run.length > 0)
    .map(
      (run) =>
        `<polyline class="line" points="${run.join(' ')}" fill="none" stroke="${line.color}" stroke-width="2"${dash}><title>${escapeXml(line.name)}</title></polyline>`,
    )
    .join('');
}

/** A series drawn exactly where an earlier one is gets dashed, and its name says which it covers. */
function withOverlapsMarked(series: readonly Series[], plot: Plot): Series[] {
  const drawnAt = (line: Series): string =>
    line.points
      .map(([x, y]) => (Number.isFinite(x) && Number.isFinite(y) ? `${plot.sx(x)},${plot.sy(y)}` : ''))
      .join(' ');
  const seen = new Map<string, string>();
  return series.map((line) => {
    const key = drawnAt(line);
    const under = seen.get(key);
    if (under === undefined) {
      seen.set(key, line.name);
      return line;
    }
    return { ...line, name: `${line.name} (same as ${under})`, dashed: true };
  });
}

/** One row of entries under the title, left to right. */
function legend(series: readonly Series[], notes: readonly LegendNote[], plot: Plot): string {
  let x = plot.left;
  const y = 24;
  const parts: string[] = [];
  const entry = (label: string, mark: string): void => {
    parts.push(
      `<g class="legend-item">${mark}<text class="tick" x="${x + 18}" y="${y + 9}">${escapeXml(label)}</text></g>`,
    );
    x += 18 + label.length * 6.2 + 14;
  };
  for (const item of series) {
    const dash = item.dashed === true ? ' stroke-dasharray="4 3"' : '';
    entry(
      item.name,
      `<line x1="${x}" x2="${x + 14}" y1="${y + 5}" y2="${y + 5}" stroke="${item.color}" stroke-width="${item.dashed === true ? 2 : 6}"${dash}/>`,
    );
  }
  for (const note of notes) {
    const mark =
      note.mark === 'band'
        ? `<rect x="${x}" y="${y}" width="14" height="10" fill="${note.color}" fill-opacity="0.22"/>`
        : note.mark === 'dot'
          ? `<circle cx="${x + 7}" cy="${y + 5}" r="3.5" fill="${note.color}"/>`
          : `<line x1="${x + 7}" x2="${x + 7}" y1="${y - 1}" y2="${y + 11}" stroke="${note.color}" stroke-width="2" stroke-dasharray="3 2"/>`;
    entry(note.label, mark);
  }
  return `<g class="legend">${parts.join('')}</g>`;
}

function svg(frame: ChartFrame, parts: readonly string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${frame.width}" height="${frame.height}" viewBox="0 0 ${frame.width} ${frame.height}" role="img" aria-label="${escapeXml(frame.title)}">${parts.join('')}</svg>`;
}

function roundTick(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  return Number(value.toFixed(Math.min(12, decimals)));
}

function formatTick(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 6 });
}
