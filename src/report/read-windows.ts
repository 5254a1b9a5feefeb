/**
 * Reads a file of customer records (JSON Lines, CSV or Parquet) into equal time windows, in two streaming passes
 * (first the time range, then the windows), keeping at most `maxPerWindow` records per window by
 * seeded reservoir sampling, so memory stays bounded whatever the file's size.
 */
import { CounterRng, streamDomains } from '../core/random.ts';
import type { RiskLevel } from '../core/profiles.ts';
import { riskLevels } from '../core/profiles.ts';
import { numericFeatures } from '../core/schema.ts';
import { DatagenError } from '../errors.ts';
import { badInput, eachRecord, timeOf } from './read-records.ts';

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
/** More windows than this make cells and ticks too small to read (and each costs a sample buffer). */
export const maxWindowCount = 100;
/** Records sampled per window at most (each takes ~170 bytes while the report is built). */
export const maxSamplePerWindow = 1_000_000;
/** Sample buffers start this small and double as a window fills, so small files stay small. */
const initialSampleRows = 1024;

/** Each window needs a record at least (a 1-record file has nothing to compare). */
export class TooFewRecordsError extends DatagenError {
  readonly records: number;
  readonly windows: number;

  constructor(path: string, records: number, windows: number) {
    super('INVALID_ARGUMENT', `${path} holds ${records} record(s), fewer than the ${windows} windows asked for`);
    this.name = 'TooFewRecordsError';
    this.records = records;
    this.windows = windows;
  }
}
export const defaultMaxPerWindow = 20_000;

export async function readWindows(path: string, options: ReadWindowsOptions = {}): Promise<WindowedRecords> {
  const windowCount = options.windows ?? defaultWindowCount;
  const cap = options.maxPerWindow ?? defaultMaxPerWindow;
  const features = numericFeatures;
  if (!Number.isInteger(windowCount) || windowCount < 2 || windowCount > maxWindowCount)
    throw new DatagenError(
      'INVALID_ARGUMENT',
      `windows: expected an integer from 2 to ${maxWindowCount}, got ${windowCount}`,
    );
  if (!Number.isInteger(cap) || cap < 1 || cap > maxSamplePerWindow)
    throw new DatagenError(
      'INVALID_ARGUMENT',
      `maxPerWindow: expected an integer from 1 to ${maxSamplePerWindow}, got ${cap}`,
    );

  // Pass 1: the time range.
  let firstMs = Infinity;
  let lastMs = -Infinity;
  let records = 0;
  await eachRecord(
    path,
    (record, where) => {
      const ms = timeOf(record.timestamp);
      if (!Number.isFinite(ms)) throw badInput(path, where, 'no ISO timestamp field');
      if (ms < firstMs) firstMs = ms;
      if (ms > lastMs) lastMs = ms;
      records++;
    },
    ['timestamp'],
  );
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
    rows: new Float64Array(Math.min(cap, initialSampleRows) * features.length),
    labels: new Uint8Array(Math.min(cap, initialSampleRows)),
    sampled: 0,
  }));

  // Pass 2: parse, count and sample.
  const rng = new CounterRng();
  rng.reset(0, streamDomains.report, 0);
  await eachRecord(path, (record, where) => {
    const ms = timeOf(record.timestamp);
    const window = windows[Math.min(windowCount - 1, Math.floor(((ms - firstMs) / span) * windowCount))];
    if (window === undefined) throw badInput(path, where, 'timestamp changed between passes');
    const level = riskLevels.indexOf(record.true_risk_level as RiskLevel);
    if (level < 0) throw badInput(path, where, `unknown true_risk_level ${JSON.stringify(record.true_risk_level)}`);
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
    if (window.sampled < cap) {
      if (window.sampled === window.labels.length)
        grow(window, Math.min(cap, 2 * window.labels.length), features.length);
      slot = window.sampled++;
    } else {
      slot = Math.floor(rng.next() * window.records);
      if (slot >= cap) return;
    }
    const base = slot * features.length;
    for (let f = 0; f < features.length; f++) {
      const value = record[features[f] ?? ''];
      if (typeof value !== 'number' || !Number.isFinite(value))
        throw badInput(path, where, `${features[f]} is not a number`);
      window.rows[base + f] = value;
    }
    window.labels[slot] = level;
  });
  // Checked after the second pass, so that a malformed line is what gets reported, if there is one.
  if (windowCount > records) throw new TooFewRecordsError(path, records, windowCount);
  return { records, firstMs, lastMs, features, windows };
}

/** One feature's sampled values in a window, ascending. */
export function sortedColumn(window: RecordWindow, featureIndex: number, featureCount: number): Float64Array {
  const column = new Float64Array(window.sampled);
  for (let r = 0; r < window.sampled; r++) column[r] = window.rows[r * featureCount + featureIndex] ?? 0;
  return column.sort();
}

// --- internal ---

function grow(window: RecordWindow, rows: number, featureCount: number): void {
  const values = new Float64Array(rows * featureCount);
  values.set(window.rows);
  const labels = new Uint8Array(rows);
  labels.set(window.labels);
  window.rows = values;
  window.labels = labels;
}
