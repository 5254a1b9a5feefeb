/**
 * The drift manifest: the ground truth of a drift run as plain JSON (which kinds, which features,
 * when, how much), so a drift detector can be scored without reverse-engineering the generator.
 * Pure: the CLI writes it to a file.
 */
import type { OutcomeRules } from './outcome.ts';
import type { DriftComponent, DriftKind, DriftSchedule, RecurringPeriod } from './drift-schedule.ts';
import {
  changesLabels,
  componentStrength,
  covariateDrivers,
  covariateFeatures,
  driftEffectsAt,
  shapeValue,
} from './drift-schedule.ts';
import type { CustomerFields, GenerationParams } from './customer.ts';
import { modelVersion, paramsUnderDrift } from './customer.ts';
import { RecordSource } from './source.ts';
import type { RiskMix } from './profiles.ts';
import { rngAlgorithm } from './random.ts';
import type { DriftPhase } from './schema.ts';
import { numericFeatures } from './schema.ts';
import { ksTwoSample } from './statistics.ts';
import { formatIsoTimestamp } from './time.ts';

export const manifestFormat = 'churn-datagen/drift-manifest@1';

export interface ManifestRun {
  readonly seed: number;
  readonly ratePerMinute: number;
  /** Records of the whole run (rate × duration); sets the sample a detector sees. Default: from the rate. */
  readonly records?: number | undefined;
  /** `k/n` of a sharded run. */
  readonly shard: string;
  /** The delayed outcome stream's rules, when the run has one. */
  readonly outcomes?: Omit<OutcomeRules, 'seed'> | undefined;
}

/** A moment of the schedule. */
export interface ManifestMoment {
  readonly progress: number;
  readonly time: string;
}

export interface ManifestComponent {
  readonly kind: DriftKind;
  readonly description: string;
  readonly shape: DriftComponent['shape'];
  readonly magnitude: number;
  readonly direction: 1 | -1;
  readonly target_mix?: RiskMix;
  /** Numeric features this component moves by a detectable amount at the run's size (see `detection`). */
  readonly features: readonly string[];
  /** Features it moves, but by less than the detection rule calls detectable at this size. */
  readonly weak_features: readonly string[];
  /** Which distributions change (the standard taxonomy): P(y), P(x|y), P(y|x). */
  readonly changes: { readonly 'P(y)': boolean; readonly 'P(x|y)': boolean; readonly 'P(y|x)': boolean };
  /** Whether the label's share or its relation to the features moves. */
  readonly label_changes: boolean;
  /** First moment the component acts, reaches half and full strength (absent for recurring drift). */
  readonly onset?: ManifestMoment;
  readonly half?: ManifestMoment;
  readonly full?: ManifestMoment;
  /** Recurring drift: the cycle and when it peaks. */
  readonly period?: RecurringPeriod;
  readonly peaks?: string;
}

export interface ManifestPoint {
  readonly progress: number;
  readonly time: string;
  readonly phase: DriftPhase;
  /** Strength of each component, 0 … its magnitude. */
  readonly strength: Partial<Record<DriftKind, number>>;
  readonly mix: RiskMix;
}

export interface DriftManifest {
  readonly format: typeof manifestFormat;
  readonly algorithm: string;
  readonly seed: number;
  readonly shard: string;
  readonly rate_per_minute: number;
  readonly start: string;
  readonly end: string;
  readonly duration_minutes: number;
  readonly progress_formula: string;
  readonly base_mix: RiskMix;
  readonly components: readonly ManifestComponent[];
  /**
   * Features the whole schedule moves detectably at the run's size; `stable_features` are those it
   * does not move at all, `weakly_drifted_features` the rest (see `detection`).
   */
  readonly drifted_features: readonly string[];
  readonly weakly_drifted_features: readonly string[];
  readonly stable_features: readonly string[];
  /** How drifted features are decided. */
  readonly detection: DetectionRule;
  readonly label_drift: boolean;
  readonly timeline: readonly ManifestPoint[];
  /**
   * The delayed outcomes: churn is no order within horizon_days of a record; a share
   * label_missing of the outcomes (chosen by the seed) never arrives.
   */
  readonly outcomes?: { readonly horizon_days: number; readonly label_missing: number } | undefined;
}

/**
 * How the manifest decides which features drift: the detector's view of the run, simulated. A
 * sample of customers as they are in the run's first tenth is compared with the same customers
 * (same seeds and indices, so unmoved features are identical) as they are in its last tenth (for
 * recurring drift: off against fully on), feature by feature, with the two-sample KS statistic.
 * A feature is drifted when that statistic is at least `margin` × the critical value of a KS test
 * at level `alpha` between two windows of a tenth of the run each, stable when it is 0 (nothing
 * moves it), weak otherwise.
 */
export interface DetectionRule {
  readonly test: 'two-sample Kolmogorov-Smirnov, first vs last tenth of the run';
  readonly alpha: number;
  readonly margin: number;
  readonly window_records: number;
  readonly critical_statistic: number;
  readonly simulated_customers: number;
  /** Per feature, the simulated KS statistic of the whole schedule. */
  readonly statistic: Readonly<Record<string, number>>;
}

/** The manifest of a schedule for a run. */
export function driftManifest(schedule: DriftSchedule, run: ManifestRun): DriftManifest {
  const { startMs, durationMs } = schedule;
  const records = run.records ?? Math.max(1, Math.ceil((run.ratePerMinute * durationMs) / 60_000));
  const detector = new DriftDetector(schedule, run.seed, records);
  const components = schedule.components.map((component) => describeComponent(component, schedule, detector));
  const all = detector.classify(schedule.components);
  return {
    format: manifestFormat,
    algorithm: `${rngAlgorithm}/${modelVersion}`,
    seed: run.seed,
    shard: run.shard,
    rate_per_minute: run.ratePerMinute,
    start: formatIsoTimestamp(startMs),
    end: formatIsoTimestamp(startMs + durationMs),
    duration_minutes: durationMs / 60_000,
    progress_formula:
      'drift_progress = (event time - start) / duration; record k is due at start + k * 60 / rate_per_minute seconds',
    base_mix: schedule.baseMix,
    components,
    drifted_features: all.drifted,
    weakly_drifted_features: all.weak,
    stable_features: all.stable,
    detection: detector.rule(all.statistic),
    label_drift: schedule.components.some((component) => changesLabels(component.kind)),
    timeline: timeline(schedule, detector),
    outcomes:
      run.outcomes === undefined
        ? undefined
        : { horizon_days: run.outcomes.horizonDays, label_missing: run.outcomes.labelMissing },
  };
}

// --- internal ---

/** Which of P(y), P(x|y), P(y|x) each kind changes in this model. */
function changesOf(kind: DriftKind): ManifestComponent['changes'] {
  switch (kind) {
    case 'prior': // the mix moves; each level's behaviour and the behaviour → label link stay
      return { 'P(y)': true, 'P(x|y)': false, 'P(y|x)': true };
    case 'covariate': // label-independent drivers move; the label given all features stays
      return { 'P(y)': false, 'P(x|y)': true, 'P(y|x)': false };
    case 'concept': // the churn process after the observation changes; the features stay
      return { 'P(y)': true, 'P(x|y)': true, 'P(y|x)': true };
    case 'class-conditional': // behaviour at a fixed label moves; the labels stay
      return { 'P(y)': false, 'P(x|y)': true, 'P(y|x)': true };
  }
}

function describe(component: DriftComponent): string {
  const riskier = component.direction === 1;
  switch (component.kind) {
    case 'prior':
      return 'The risk mix moves from base_mix toward target_mix; what each risk level looks like stays.';
    case 'class-conditional':
      return `Customers of every level behave ${riskier ? 'riskier' : 'healthier'} (purchase rate, email and browsing habits, friction; strength up to ${component.magnitude}); labels stay.`;
    case 'concept':
      return `The churn process changes (strength up to ${component.magnitude}): the same history now carries a ${riskier ? 'higher' : 'lower'} churn probability, so labels move; the features stay.`;
    case 'covariate':
      return `Label-independent drivers move (${(component.features ?? covariateFeatures)
        .map((feature) => {
          const { driver, fullScale } = covariateDrivers[feature];
          return `${driver} ${riskier ? '×' : '÷'}${Number((fullScale ** component.magnitude).toFixed(3))}`;
        })
        .join(', ')} at full strength); P(label | features) stays.`;
  }
}

function describeComponent(
  component: DriftComponent,
  schedule: DriftSchedule,
  detector: DriftDetector,
): ManifestComponent {
  const found = detector.classify([component]);
  const base = {
    kind: component.kind,
    description: describe(component),
    shape: component.shape,
    magnitude: component.magnitude,
    direction: component.direction,
    ...(component.kind === 'prior' && component.targetMix !== undefined ? { target_mix: component.targetMix } : {}),
    features: found.drifted,
    weak_features: found.weak,
    changes: changesOf(component.kind),
    label_changes: changesLabels(component.kind),
  };
  if (component.shape.type === 'recurring') {
    const peaks = component.shape.period === 'daily' ? 'daily at 12:00 UTC' : 'weekly on Thursday at 12:00 UTC';
    return { ...base, period: component.shape.period, peaks };
  }
  const moment = (fraction: number): ManifestMoment | undefined => {
    // Progress-driven shapes are monotone: scan a fine grid for the first point at or past the level.
    const steps = 100_000;
    for (let i = 0; i <= steps; i++) {
      const p = i / steps;
      const s = shapeValue(component.shape, p, schedule.startMs + p * schedule.durationMs);
      if (fraction === 0 ? s > 0 : s >= fraction - 1e-12) {
        return { progress: p, time: formatIsoTimestamp(Math.round(schedule.startMs + p * schedule.durationMs)) };
      }
    }
    return undefined;
  };
  const onset = moment(0);
  const half = moment(0.5);
  const full = moment(1);
  return {
    ...base,
    ...(onset === undefined ? {} : { onset }),
    ...(half === undefined ? {} : { half }),
    ...(full === undefined ? {} : { full }),
  };
}

/** The schedule sampled often enough to draw it: 101 points, more when a cycle is short. */
function timeline(schedule: DriftSchedule, detector: DriftDetector): ManifestPoint[] {
  const cycles = schedule.components.map((component) =>
    component.shape.type === 'recurring'
      ? schedule.durationMs / (component.shape.period === 'daily' ? 86_400_000 : 604_800_000)
      : 0,
  );
  const points = Math.min(2001, Math.max(101, Math.ceil(Math.max(0, ...cycles) * 48) + 1));
  return Array.from({ length: points }, (_, i) => {
    const elapsed = (i / (points - 1)) * schedule.durationMs;
    const eventMs = Math.round(schedule.startMs + elapsed);
    const effects = driftEffectsAt(schedule, elapsed, eventMs);
    const strength: Partial<Record<DriftKind, number>> = {};
    for (const component of schedule.components) {
      strength[component.kind] = round6(componentStrength(component, effects.progress, eventMs));
    }
    return {
      progress: effects.progress,
      time: formatIsoTimestamp(eventMs),
      phase: effects.phase,
      strength,
      mix: effects.conceptShift === 0 ? roundMix(effects.mix) : detector.emittedMix(elapsed, eventMs),
    };
  });
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function roundMix(mix: RiskMix): RiskMix {
  return { low: round6(mix.low), medium: round6(mix.medium), high: round6(mix.high) };
}

/** KS level and margin of the detection rule. */
const detectionAlpha = 1e-4;
const detectionMargin = 1.5;
/** Customers simulated per side. */
const simulatedCustomers = 8000;
/** Customers simulated per timeline point for the emitted mix under concept drift. */
const mixCustomers = 2000;

/** Simulates what a detector would see, with the generator itself (see DetectionRule). */
class DriftDetector {
  readonly #schedule: DriftSchedule;
  readonly #windowRecords: number;
  readonly #critical: number;
  readonly #source: RecordSource;

  constructor(schedule: DriftSchedule, seed: number, records: number) {
    this.#schedule = schedule;
    this.#source = new RecordSource(seed);
    this.#windowRecords = Math.max(1, Math.floor(records / 10));
    const n = this.#windowRecords;
    this.#critical = Math.sqrt(-Math.log(detectionAlpha / 2) / 2) * Math.sqrt((n + n) / (n * n));
  }

  rule(statistic: Readonly<Record<string, number>>): DetectionRule {
    return {
      test: 'two-sample Kolmogorov-Smirnov, first vs last tenth of the run',
      alpha: detectionAlpha,
      margin: detectionMargin,
      window_records: this.#windowRecords,
      critical_statistic: round6(this.#critical),
      simulated_customers: simulatedCustomers,
      statistic,
    };
  }

  /** Drifted, weak and stable features when only `components` act. */
  classify(components: readonly DriftComponent[]): {
    drifted: string[];
    weak: string[];
    stable: string[];
    statistic: Record<string, number>;
  } {
    const schedule = { ...this.#schedule, components };
    const recurring = components.some((component) => component.shape.type === 'recurring');
    const early = this.#sample(schedule, recurring ? undefined : 0.05);
    const late = this.#sample(schedule, recurring ? 'full' : 0.95);
    const drifted: string[] = [];
    const weak: string[] = [];
    const stable: string[] = [];
    const statistic: Record<string, number> = {};
    for (const feature of numericFeatures) {
      const d = ksTwoSample(early.get(feature) as Float64Array, late.get(feature) as Float64Array).statistic;
      statistic[feature] = round6(d);
      if (d >= detectionMargin * this.#critical) drifted.push(feature);
      else if (d > 0) weak.push(feature);
      else stable.push(feature);
    }
    return { drifted, weak, stable, statistic };
  }

  /** The label mix the run emits at a point of the schedule (concept drift moves labels). */
  emittedMix(elapsedMs: number, eventMs: number): RiskMix {
    const params = this.#paramsAt(this.#schedule, elapsedMs, eventMs);
    const counts = { low: 0, medium: 0, high: 0 };
    for (let i = 0; i < mixCustomers; i++) {
      counts[this.#source.fill(i, params).true_risk_level]++;
    }
    return roundMix({
      low: counts.low / mixCustomers,
      medium: counts.medium / mixCustomers,
      high: counts.high / mixCustomers,
    });
  }

  /**
   * Each numeric feature's sorted values over the simulated customers at progress `at` (undefined:
   * drift off; 'full': every component at its magnitude).
   */
  #sample(schedule: DriftSchedule, at: number | 'full' | undefined): Map<string, Float64Array> {
    const params: GenerationParams =
      at === undefined
        ? this.#paramsAt({ ...schedule, components: [] }, 0, schedule.startMs)
        : at === 'full'
          ? this.#fullParams(schedule)
          : this.#paramsAt(schedule, at * schedule.durationMs, schedule.startMs + at * schedule.durationMs);
    const columns = new Map(numericFeatures.map((feature) => [feature, new Float64Array(simulatedCustomers)]));
    for (let i = 0; i < simulatedCustomers; i++) {
      const fields = this.#source.fill(i, params);
      for (const [feature, column] of columns) column[i] = fields[feature as keyof CustomerFields] as number;
    }
    for (const column of columns.values()) column.sort();
    return columns;
  }

  #paramsAt(schedule: DriftSchedule, elapsedMs: number, eventMs: number): GenerationParams {
    if (schedule.components.length === 0)
      return { mix: schedule.baseMix, drift: { factor: 0, direction: 1 }, overlap: 0 };
    return paramsUnderDrift(driftEffectsAt(schedule, elapsedMs, eventMs), { overlap: 0 });
  }

  /** Every component at full strength (recurring drift at its peak). */
  #fullParams(schedule: DriftSchedule): GenerationParams {
    const linear = schedule.components.map((component) => ({ ...component, shape: { type: 'linear' } as const }));
    return this.#paramsAt(
      { ...schedule, components: linear },
      schedule.durationMs,
      schedule.startMs + schedule.durationMs,
    );
  }
}
