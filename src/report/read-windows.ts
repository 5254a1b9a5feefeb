/**
 * Reads a JSON Lines file of customer records into equal time windows, in two streaming passes
 * (first the time range, then the windows), keeping at most `maxPerWindow` records per window by
 * seeded reservoir sampling, so memory stays bounded whatever the file's size.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { CounterRng, streamDomains } from '../core/random.ts';
import type { RiskLevel } from '../core/profiles.ts';
import { riskLevels } from '../core/profiles.ts';
import { numericFeatures } from '../core/schema.ts';
import { DatagenError } from '../errors.ts';

export interface ReadWindowsOptions {
  /** Number of equal time windows. Default 10. */
  windows?: number | undefined;
  /** Records kept per window (reservoir sample). Default 20,000. */
  maxPerWindow?: number | undefined;
}

export interface RecordWindow {
  readonly index: number;
  readonly startMs: number;
  readonly endMs: number;
  /** Records in the window (all of them, sampled or not). */
  records: number;
  readonly levels: Record<RiskLevel, number>;
  readonly phases: Record<string, number>;
  progressMin: number;
  progressMax: number;
  /** Sampled rows: `features.length` values per row, and each row's label as a riskLevels index. */
  rows: Float64Array;
  labels: Uint8Array;
  sampled: number;
}

export interface WindowedRecords {
  readonly records: number;
  readonly firstMs: number;
  readonly lastMs: number;
  readonly features: readonly string[];
  readonly windows: readonly RecordWindow[];
}

export const defaultWindowCount = 10;
export const defaultMaxPerWindow = 20_000;

export async function readWindows(path: string, options: ReadWindowsOptions = {}): Promise<WindowedRecords> {
  const windowCount = options.windows ?? defaultWindowCount;
  const cap = options.maxPerWindow ?? defaultMaxPerWindow;
  const features = numericFeatures;

  // Pass 1: the time range, from the timestamp field alone (no full parse).
  let firstMs = Infinity;
  let lastMs = -Infinity;
  let records = 0;
  await eachLine(path, (line, lineNumber) => {
    const at = line.indexOf(TIMESTAMP_FIELD);
    const ms =
      at < 0
        ? Number.NaN
        : Date.parse(line.slice(at + TIMESTAMP_FIELD.length, line.indexOf('"', at + TIMESTAMP_FIELD.length)));
    if (!Number.isFinite(ms)) throw badLine(path, lineNumber, 'no ISO timestamp field');
    if (ms < firstMs) firstMs = ms;
    if (ms > lastMs) lastMs = ms;
    records++;
  });
  if (records === 0) throw new DatagenError('INVALID_ARGUMENT', `${path} holds no records`);

  // Equal windows over [first, last]; the last record falls into the last window.
  const span = Math.max(1, lastMs - firstMs + 1);
  const windows: RecordWindow[] = Array.from({ length: windowCount }, (_, index) => ({
    index,
    startMs: firstMs + (span * index) / windowCount,
    endMs: firstMs + (span * (index + 1)) / windowCount,
    records: 0,
    levels: { low: 0, medium: 0, high: 0 },
    phases: {},
    progressMin: Infinity,
    progressMax: -Infinity,
    rows: new Float64Array(Math.min(cap, records) * features.length),
    labels: new Uint8Array(Math.min(cap, records)),
    sampled: 0,
  }));

  // Pass 2: parse, count and sample.
  const rng = new CounterRng();
  rng.reset(0, streamDomains.report, 0);
  await eachLine(path, (line, lineNumber) => {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw badLine(path, lineNumber, 'not JSON');
    }
    const ms = Date.parse(String(record.timestamp));
    const window = windows[Math.min(windowCount - 1, Math.floor(((ms - firstMs) / span) * windowCount))];
    if (window === undefined) throw badLine(path, lineNumber, 'timestamp changed between passes');
    const level = riskLevels.indexOf(record.true_risk_level as RiskLevel);
    if (level < 0) throw badLine(path, lineNumber, `unknown true_risk_level ${JSON.stringify(record.true_risk_level)}`);
    window.records++;
    window.levels[riskLevels[level] ?? 'low']++;
    if (typeof record.drift_phase === 'string')
      window.phases[record.drift_phase] = (window.phases[record.drift_phase] ?? 0) + 1;
    if (typeof record.drift_progress === 'number') {
      window.progressMin = Math.min(window.progressMin, record.drift_progress);
      window.progressMax = Math.max(window.progressMax, record.drift_progress);
    }
    // Reservoir sampling (Algorithm R): every record of the window is kept with equal chance.
    let slot: number;
    if (window.sampled < cap) slot = window.sampled++;
    else {
      slot = Math.floor(rng.next() * window.records);
      if (slot >= cap) return;
    }
    const base = slot * features.length;
    for (let f = 0; f < features.length; f++) {
      const value = record[features[f] ?? ''];
      if (typeof value !== 'number') throw badLine(path, lineNumber, `${features[f]} is not a number`);
      window.rows[base + f] = value;
    }
    window.labels[slot] = level;
  });
  return { records, firstMs, lastMs, features, windows };
}

/** One feature's sampled values in a window, ascending. */
export function sortedColumn(window: RecordWindow, featureIndex: number, featureCount: number): Float64Array {
  const column = new Float64Array(window.sampled);
  for (let r = 0; r < window.sampled; r++) column[r] = window.rows[r * featureCount + featureIndex] ?? 0;
  return column.sort();
}

// --- internal ---

const TIMESTAMP_FIELD = '"timestamp":"';

async function eachLine(path: string, visit: (line: string, lineNumber: number) => void): Promise<void> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    visit(line, lineNumber);
  }
}

function badLine(path: string, lineNumber: number, problem: string): DatagenError {
  return new DatagenError(
    'INVALID_ARGUMENT',
    `${path} line ${lineNumber}: ${problem} (expected JSON Lines of customer records)`,
  );
}
