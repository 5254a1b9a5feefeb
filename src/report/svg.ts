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
}

export const palette = {
  low: '#2e9e5b',
  medium: '#e0a000',
  high: '#d1423b',
  accent: '#3366cc',
  muted: '#8a94a6',
  grid: '#e3e7ee',
} as const;

/** A line chart with optional shaded bands, markers and vertical rules. */
export function lineChart(
  frame: ChartFrame,
  series: readonly Series[],
  extras: {
    bands?: readonly Band[];
    markers?: readonly { x: number; y: number; color: string; label: string }[];
    rules?: readonly { x: number; color: string; label: string }[];
  } = {},
): string {
  const plot = plotArea(frame);
  const parts: string[] = [axes(frame, plot)];
  for (const band of extras.bands ?? []) {
    if (band.points.length === 0) continue;
    const upper = band.points.map(([x, , high]) => `${plot.sx(x)},${plot.sy(high)}`);
    const lower = [...band.points].reverse().map(([x, low]) => `${plot.sx(x)},${plot.sy(low)}`);
    parts.push(
      `<polygon class="band" points="${[...upper, ...lower].join(' ')}" fill="${band.color}" fill-opacity="0.22"/>`,
    );
  }
  for (const rule of extras.rules ?? []) {
    const x = plot.sx(rule.x);
    parts.push(
      `<line class="rule" x1="${x}" x2="${x}" y1="${plot.top}" y2="${plot.bottom}" stroke="${rule.color}" stroke-dasharray="4 3"><title>${escapeXml(rule.label)}</title></line>`,
    );
  }
  for (const line of series) parts.push(polyline(line, plot));
  for (const marker of extras.markers ?? []) {
    parts.push(
      `<circle class="marker" cx="${plot.sx(marker.x)}" cy="${plot.sy(marker.y)}" r="3.5" fill="${marker.color}"><title>${escapeXml(marker.label)}</title></circle>`,
    );
  }
  parts.push(legend(series, plot));
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
  for (const line of overlay) parts.push(polyline(line, plot));
  parts.push(legend([...layers, ...overlay], plot));
  return svg(frame, parts);
}

/** A grid of cells (rows × columns) coloured by value 0..1, with a tooltip each and outlined flags. */
export function heatmap(
  title: string,
  rows: readonly string[],
  columns: readonly string[],
  cell: (row: number, column: number) => { value: number; flagged: boolean; tooltip: string },
): string {
  const labelWidth = 170;
  const cellWidth = Math.max(18, Math.min(48, Math.floor(720 / Math.max(1, columns.length))));
  const cellHeight = 18;
  const width = labelWidth + cellWidth * columns.length + 20;
  const height = 40 + cellHeight * rows.length + 24;
  const parts: string[] = [`<text class="title" x="8" y="18">${escapeXml(title)}</text>`];
  rows.forEach((row, r) => {
    const y = 30 + r * cellHeight;
    parts.push(`<text class="tick" x="${labelWidth - 6}" y="${y + 13}" text-anchor="end">${escapeXml(row)}</text>`);
    columns.forEach((_, c) => {
      const { value, flagged, tooltip } = cell(r, c);
      const x = labelWidth + c * cellWidth;
      const shade = Math.round(255 - 200 * Math.min(1, Math.max(0, value)));
      const stroke = flagged ? ` stroke="${palette.high}" stroke-width="2"` : ` stroke="#fff"`;
      parts.push(
        `<rect class="cell" x="${x}" y="${y}" width="${cellWidth - 1}" height="${cellHeight - 1}" fill="rgb(${shade},${shade},255)"${stroke}><title>${escapeXml(tooltip)}</title></rect>`,
      );
    });
  });
  columns.forEach((column, c) => {
    const x = labelWidth + c * cellWidth + cellWidth / 2;
    parts.push(`<text class="tick" x="${x}" y="${height - 8}" text-anchor="middle">${escapeXml(column)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">${parts.join('')}</svg>`;
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
  const top = 28;
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
  for (let i = 0; i <= 4; i++) {
    const y = frame.y[0] + ((frame.y[1] - frame.y[0]) * i) / 4;
    const py = plot.sy(y);
    parts.push(
      `<line x1="${plot.left}" x2="${plot.right}" y1="${py}" y2="${py}" stroke="${palette.grid}"/>`,
      `<text class="tick" x="${plot.left - 6}" y="${py + 4}" text-anchor="end">${escapeXml(yLabel(y))}</text>`,
    );
  }
  for (let i = 0; i <= 2; i++) {
    const x = frame.x[0] + ((frame.x[1] - frame.x[0]) * i) / 2;
    const anchor = i === 0 ? 'start' : i === 2 ? 'end' : 'middle';
    parts.push(
      `<text class="tick" x="${plot.sx(x)}" y="${plot.bottom + 16}" text-anchor="${anchor}">${escapeXml(xLabel(x))}</text>`,
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
    if (Number.isNaN(y)) runs.push([]);
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

function legend(series: readonly Series[], plot: Plot): string {
  let x = plot.right;
  const parts: string[] = [];
  for (const item of [...series].reverse()) {
    const width = 14 + item.name.length * 6.2;
    x -= width + 10;
    parts.push(
      `<rect x="${x}" y="6" width="10" height="10" fill="${item.color}"/><text class="tick" x="${x + 14}" y="15">${escapeXml(item.name)}</text>`,
    );
  }
  return parts.join('');
}

function svg(frame: ChartFrame, parts: readonly string[]): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${frame.width}" height="${frame.height}" viewBox="0 0 ${frame.width} ${frame.height}" role="img" aria-label="${escapeXml(frame.title)}">${parts.join('')}</svg>`;
}

function formatTick(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return Math.round(value).toLocaleString('en-US');
  if (magnitude >= 10) return value.toFixed(0);
  if (magnitude >= 1) return value.toFixed(1);
  return value.toFixed(2);
}
