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
  return parsed as DriftManifest;
}

export { defaultAlpha, reportFormat } from './analysis.ts';
export type { ReportSummary, FeatureFinding, WindowSummary, Verdict } from './analysis.ts';
export { defaultWindowCount, defaultMaxPerWindow } from './read-windows.ts';
