/**
 * `report`: a JSON Lines file of customers (and optionally its drift manifest) → the drift report's
 * findings (analysis.ts) as JSON and as one self-contained HTML page (html.ts).
 */
import { readFile } from 'node:fs/promises';
import type { DriftManifest } from '../core/manifest.ts';
import { manifestFormat } from '../core/manifest.ts';
import { DatagenError } from '../errors.ts';
import type { ReportSummary } from './analysis.ts';
import { analyseWindows } from './analysis.ts';
import { renderReport } from './html.ts';
import { readWindows } from './read-windows.ts';

export interface DriftReportOptions {
  /** Ground truth written by `--manifest` of a drift run. */
  manifest?: DriftManifest | undefined;
  windows?: number | undefined;
  alpha?: number | undefined;
  maxPerWindow?: number | undefined;
}

export interface DriftReport {
  readonly summary: ReportSummary;
  readonly html: string;
}

export async function buildDriftReport(input: string, options: DriftReportOptions = {}): Promise<DriftReport> {
  const data = await readWindows(input, { windows: options.windows, maxPerWindow: options.maxPerWindow });
  const summary = analyseWindows(data, { input, alpha: options.alpha, manifest: options.manifest });
  return { summary, html: renderReport(summary) };
}

/** Reads and checks a drift manifest file. */
export async function readManifest(path: string): Promise<DriftManifest> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'not JSON' : ((error as NodeJS.ErrnoException).code ?? String(error));
    throw new DatagenError('INVALID_ARGUMENT', `cannot read manifest '${path}' (${reason})`);
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { format?: unknown }).format !== manifestFormat) {
    throw new DatagenError(
      'INVALID_ARGUMENT',
      `'${path}' is not a churn-datagen drift manifest (format ${manifestFormat})`,
    );
  }
  const problem = manifestProblem(parsed as Record<string, unknown>);
  if (problem !== null) throw new DatagenError('INVALID_ARGUMENT', `manifest '${path}': ${problem}`);
  return parsed as DriftManifest;
}

/** The first field of a manifest the report uses that does not have its documented type. */
function manifestProblem(manifest: Record<string, unknown>): string | null {
  const isString = (value: unknown): value is string => typeof value === 'string';
  const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
  const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
  if (!isNumber(manifest.seed)) return 'seed is not a number';
  if (typeof manifest.label_drift !== 'boolean') return 'label_drift is not true or false';
  const { components, timeline } = manifest;
  if (!Array.isArray(components)) return 'components is not a list';
  for (const [i, component] of components.entries()) {
    const ok =
      isRecord(component) &&
      isString(component.kind) &&
      isString(component.description) &&
      isRecord(component.shape) &&
      isString(component.shape.type) &&
      Array.isArray(component.features) &&
      component.features.every(isString);
    if (!ok) return `components[${i}] lacks a text kind, description, shape.type or a list of feature names`;
  }
  if (!Array.isArray(timeline)) return 'timeline is not a list';
  for (const [i, point] of timeline.entries()) {
    const ok =
      isRecord(point) &&
      isString(point.time) &&
      Number.isFinite(Date.parse(point.time)) &&
      isRecord(point.strength) &&
      Object.values(point.strength).every(isNumber) &&
      isRecord(point.mix) &&
      isNumber(point.mix.low) &&
      isNumber(point.mix.medium) &&
      isNumber(point.mix.high);
    if (!ok) return `timeline[${i}] lacks an ISO time, numeric strengths or a numeric mix`;
  }
  return null;
}

export { defaultAlpha, reportFormat } from './analysis.ts';
export type { ReportSummary, FeatureFinding, WindowSummary, Verdict } from './analysis.ts';
export {
  defaultWindowCount,
  defaultMaxPerWindow,
  maxWindowCount,
  maxSamplePerWindow,
  TooFewRecordsError,
} from './read-windows.ts';
export { maxLineLength, inputFormatOf } from './read-records.ts';
