/**
 * The drift report's findings: each window against the first (the reference) per numeric feature
 * (KS and PSI), the risk mix (chi-square), a reference-trained classifier's accuracy (which
 * concept drift lowers while the features stay put), and detected vs scheduled drift when a
 * manifest gives the ground truth. The result is the report's JSON summary; html.ts draws it.
 */
import type { DriftManifest } from '../core/manifest.ts';
import type { RiskLevel } from '../core/profiles.ts';
import { keyFeatureProfiles, riskLevels } from '../core/profiles.ts';
import { formatIsoTimestamp } from '../core/time.ts';
import type { RecordWindow, WindowedRecords } from './read-windows.ts';
import { sortedColumn } from './read-windows.ts';
import { chiSquareHomogeneity, ksTwoSample, mean, populationStabilityIndex, quantile } from '../core/statistics.ts';

export const reportFormat = 'churn-datagen/drift-report@1';
/** Default significance bar of every test (per feature and window). */
export const defaultAlpha = 1e-4;

export type Verdict = 'detected' | 'missed' | 'false alarm' | 'stable';

export interface FeatureWindowStats {
  readonly ks: number;
  readonly p: number;
  readonly psi: number;
  readonly mean: number;
  readonly p10: number;
  readonly p50: number;
  readonly p90: number;
}

export interface FeatureFinding {
  readonly name: string;
  /** Whether the manifest says this feature drifts, and by which kinds of drift. */
  readonly scheduled: boolean;
  readonly scheduled_by: readonly string[];
  readonly detected: boolean;
  /**
   * First window whose test falls under alpha, and its end: the moment the window's records were all
   * in, so the earliest a detector reading them could have known (never before the drift began).
   */
  readonly first_detected_window: number | null;
  readonly first_detected_at: string | null;
  readonly max_ks: number;
  readonly min_p: number;
  readonly max_psi: number;
  /** Only with a manifest: the detection judged against the ground truth. */
  readonly verdict: Verdict | null;
  readonly windows: readonly FeatureWindowStats[];
}

export interface WindowSummary {
  readonly index: number;
  readonly start: string;
  readonly end: string;
  readonly records: number;
  readonly sampled: number;
  readonly mix: Record<RiskLevel, number>;
  readonly phases: Readonly<Record<string, number>>;
  readonly progress: readonly [number, number] | null;
  /** Accuracy of a nearest-centroid classifier trained on the reference window. */
  readonly classifier_accuracy: number;
}

export interface ReportSummary {
  readonly format: typeof reportFormat;
  readonly input: string;
  readonly records: number;
  readonly first: string;
  readonly last: string;
  readonly alpha: number;
  readonly windows: readonly WindowSummary[];
  readonly features: readonly FeatureFinding[];
  readonly label: {
    readonly scheduled: boolean | null;
    readonly detected: boolean;
    readonly first_detected_window: number | null;
    readonly verdict: Verdict | null;
    readonly windows: readonly { readonly chi2: number; readonly p: number }[];
  };
  readonly classifier: {
    readonly features: readonly string[];
    readonly reference_accuracy: number;
    readonly last_accuracy: number;
  };
  /** Counts of verdicts over the features (null without a manifest). */
  readonly score: Readonly<Record<Verdict, number>> | null;
  readonly manifest: DriftManifest | null;
}

export interface AnalyseOptions {
  readonly input: string;
  readonly alpha?: number | undefined;
  readonly manifest?: DriftManifest | undefined;
}

export function analyseWindows(data: WindowedRecords, options: AnalyseOptions): ReportSummary {
  const alpha = options.alpha ?? defaultAlpha;
  const manifest = options.manifest;
  const { windows, features } = data;
  const reference = windows[0];
  if (reference === undefined) throw new RangeError('no windows');

  const findings = features.map((name, f): FeatureFinding => {
    const referenceColumn = sortedColumn(reference, f, features.length);
    const stats = windows.map((window): FeatureWindowStats => {
      const column = window === reference ? referenceColumn : sortedColumn(window, f, features.length);
      const ks = window === reference ? { statistic: 0, pValue: 1 } : ksTwoSample(referenceColumn, column);
      return {
        ks: ks.statistic,
        p: ks.pValue,
        psi: window === reference ? 0 : populationStabilityIndex(referenceColumn, column),
        mean: mean(column),
        p10: quantile(column, 0.1),
        p50: quantile(column, 0.5),
        p90: quantile(column, 0.9),
      };
    });
    const first = firstFlagged(
      stats.map((s) => s.p),
      alpha,
    );
    const scheduledBy = manifest?.components.filter((c) => c.features.includes(name)).map((c) => c.kind) ?? [];
    const scheduled = scheduledBy.length > 0;
    // Moved, but by less than the manifest's detection rule calls detectable: either verdict is right.
    const weak = !scheduled && (manifest?.components.some((c) => c.weak_features.includes(name)) ?? false);
    return {
      name,
      scheduled,
      scheduled_by: scheduledBy,
      detected: first !== null,
      first_detected_window: first,
      first_detected_at: first === null ? null : formatIsoTimestamp(Math.round(windows[first]?.endMs ?? 0)),
      max_ks: Math.max(...stats.map((s) => s.ks)),
      min_p: Math.min(...stats.map((s) => s.p)),
      max_psi: Math.max(...stats.map((s) => s.psi)),
      verdict:
        manifest === undefined
          ? null
          : weak
            ? first !== null
              ? 'detected'
              : 'stable'
            : verdictOf(scheduled, first !== null),
      windows: stats,
    };
  });

  const levelCounts = (window: RecordWindow): number[] => riskLevels.map((level) => window.levels[level]);
  const labelTests = windows.map((window) =>
    window === reference ? { chi2: 0, p: 1 } : toChi(chiSquareHomogeneity(levelCounts(reference), levelCounts(window))),
  );
  const labelFirst = firstFlagged(
    labelTests.map((t) => t.p),
    alpha,
  );
  const classify = nearestCentroid(reference, features);
  const accuracies = windows.map((window) => classify(window));

  return {
    format: reportFormat,
    input: options.input,
    records: data.records,
    first: formatIsoTimestamp(data.firstMs),
    last: formatIsoTimestamp(data.lastMs),
    alpha,
    windows: windows.map((window, i) => ({
      index: window.index,
      start: formatIsoTimestamp(Math.round(window.startMs)),
      end: formatIsoTimestamp(Math.round(window.endMs)),
      records: window.records,
      sampled: window.sampled,
      mix: shares(window),
      phases: window.phases,
      progress: Number.isFinite(window.progressMin) ? [window.progressMin, window.progressMax] : null,
      classifier_accuracy: accuracies[i] ?? Number.NaN,
    })),
    features: findings,
    label: {
      scheduled: manifest === undefined ? null : manifest.label_drift,
      detected: labelFirst !== null,
      first_detected_window: labelFirst,
      verdict: manifest === undefined ? null : verdictOf(manifest.label_drift, labelFirst !== null),
      windows: labelTests,
    },
    classifier: {
      features: classifierFeatures,
      reference_accuracy: accuracies[0] ?? Number.NaN,
      last_accuracy: accuracies[accuracies.length - 1] ?? Number.NaN,
    },
    score: manifest === undefined ? null : tally(findings),
    manifest: manifest ?? null,
  };
}

// --- internal ---

/** The classifier looks at the four key features (SPEC §1's risk profiles). */
const classifierFeatures: readonly string[] = Object.keys(keyFeatureProfiles);

function firstFlagged(pValues: readonly number[], alpha: number): number | null {
  const index = pValues.findIndex((p, i) => i > 0 && p < alpha);
  return index < 0 ? null : index;
}

function verdictOf(scheduled: boolean, detected: boolean): Verdict {
  if (scheduled) return detected ? 'detected' : 'missed';
  return detected ? 'false alarm' : 'stable';
}

function tally(findings: readonly FeatureFinding[]): Record<Verdict, number> {
  const score: Record<Verdict, number> = { detected: 0, missed: 0, 'false alarm': 0, stable: 0 };
  for (const finding of findings) if (finding.verdict !== null) score[finding.verdict]++;
  return score;
}

function toChi(result: { statistic: number; pValue: number }): { chi2: number; p: number } {
  return { chi2: result.statistic, p: result.pValue };
}

function shares(window: RecordWindow): Record<RiskLevel, number> {
  const total = Math.max(1, window.records);
  return { low: window.levels.low / total, medium: window.levels.medium / total, high: window.levels.high / total };
}

/**
 * A nearest-centroid classifier on the standardised key features, trained on the reference
 * window; returns a function giving its accuracy on any window's sample.
 */
function nearestCentroid(reference: RecordWindow, features: readonly string[]): (window: RecordWindow) => number {
  const columns = classifierFeatures.map((name) => features.indexOf(name));
  const width = features.length;
  const k = columns.length;
  const centre = new Float64Array(k);
  const scale = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let sum = 0;
    let squares = 0;
    for (let r = 0; r < reference.sampled; r++) {
      const value = reference.rows[r * width + (columns[c] ?? 0)] ?? 0;
      sum += value;
      squares += value * value;
    }
    const m = sum / Math.max(1, reference.sampled);
    centre[c] = m;
    scale[c] = Math.sqrt(Math.max(1e-12, squares / Math.max(1, reference.sampled) - m * m));
  }
  const standardised = (window: RecordWindow, r: number, c: number): number =>
    ((window.rows[r * width + (columns[c] ?? 0)] ?? 0) - (centre[c] ?? 0)) / (scale[c] ?? 1);
  const centroids = riskLevels.map(() => new Float64Array(k));
  const counts = riskLevels.map(() => 0);
  for (let r = 0; r < reference.sampled; r++) {
    const label = reference.labels[r] ?? 0;
    counts[label] = (counts[label] ?? 0) + 1;
    const centroid = centroids[label];
    if (centroid !== undefined)
      for (let c = 0; c < k; c++) centroid[c] = (centroid[c] ?? 0) + standardised(reference, r, c);
  }
  centroids.forEach((centroid, label) => {
    for (let c = 0; c < k; c++) centroid[c] = (centroid[c] ?? 0) / Math.max(1, counts[label] ?? 0);
  });
  return (window) => {
    let correct = 0;
    for (let r = 0; r < window.sampled; r++) {
      let best = 0;
      let bestDistance = Infinity;
      centroids.forEach((centroid, label) => {
        if ((counts[label] ?? 0) === 0) return;
        let distance = 0;
        for (let c = 0; c < k; c++) distance += (standardised(window, r, c) - (centroid[c] ?? 0)) ** 2;
        if (distance < bestDistance) {
          bestDistance = distance;
          best = label;
        }
      });
      if (best === window.labels[r]) correct++;
    }
    return window.sampled === 0 ? Number.NaN : correct / window.sampled;
  };
}
