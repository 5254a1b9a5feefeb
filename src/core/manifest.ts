/**
 * The drift manifest: the ground truth of a drift run as plain JSON (which kinds, which features,
 * when, how much), so a drift detector can be scored without reverse-engineering the generator.
 * Pure: the CLI writes it to a file.
 */
import type { DriftComponent, DriftKind, DriftSchedule, RecurringPeriod } from './drift-schedule.ts';
import {
  changesLabels,
  componentStrength,
  covariateDrivers,
  covariateFeatures,
  driftEffectsAt,
  shapeValue,
} from './drift-schedule.ts';
import type { RiskMix } from './profiles.ts';
import { rngAlgorithm } from './random.ts';
import type { DriftPhase } from './schema.ts';
import { numericFeatures } from './schema.ts';
import { formatIsoTimestamp } from './time.ts';

export const manifestFormat = 'churn-datagen/drift-manifest@1';

export interface ManifestRun {
  readonly seed: number;
  readonly ratePerMinute: number;
  /** `k/n` of a sharded run. */
  readonly shard: string;
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
  /** Fields whose distribution this component moves. */
  readonly features: readonly string[];
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
  /** Union of the components' features; `stable_features` are the numeric features no component moves. */
  readonly drifted_features: readonly string[];
  readonly stable_features: readonly string[];
  readonly label_drift: boolean;
  readonly timeline: readonly ManifestPoint[];
}

/** The manifest of a schedule for a run. */
export function driftManifest(schedule: DriftSchedule, run: ManifestRun): DriftManifest {
  const { startMs, durationMs } = schedule;
  const components = schedule.components.map((component) => describeComponent(component, schedule));
  const drifted = new Set(components.flatMap((component) => component.features));
  return {
    format: manifestFormat,
    algorithm: rngAlgorithm,
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
    drifted_features: numericFeatures.filter((feature) => drifted.has(feature)),
    stable_features: numericFeatures.filter((feature) => !drifted.has(feature)),
    label_drift: schedule.components.some((component) => changesLabels(component.kind)),
    timeline: timeline(schedule),
  };
}

// --- internal ---

/** Fields each kind moves. */
function featuresOf(component: DriftComponent): readonly string[] {
  switch (component.kind) {
    case 'prior':
    case 'class-conditional':
      return numericFeatures; // every numeric feature follows the customer's health
    case 'concept':
      return [];
    case 'covariate':
      return (component.features ?? covariateFeatures).flatMap((feature) => covariateDrivers[feature].fields);
  }
}

function describe(component: DriftComponent): string {
  const riskier = component.direction === 1;
  switch (component.kind) {
    case 'prior':
      return 'The risk mix moves from base_mix toward target_mix; what each risk level looks like stays.';
    case 'class-conditional':
      return `Every level's behaviour moves ${riskier ? 'riskier' : 'healthier'} by up to ${component.magnitude} health band(s); labels stay.`;
    case 'concept':
      return `Label boundaries move by up to ${component.magnitude} health band(s): the same behaviour is labelled ${riskier ? 'riskier' : 'healthier'}; feature distributions stay.`;
    case 'covariate':
      return `Label-independent drivers move (${(component.features ?? covariateFeatures)
        .map((feature) => {
          const { driver, fullScale } = covariateDrivers[feature];
          return `${driver} ${riskier ? '×' : '÷'}${Number((fullScale ** component.magnitude).toFixed(3))}`;
        })
        .join(', ')} at full strength); P(label | features) stays.`;
  }
}

function describeComponent(component: DriftComponent, schedule: DriftSchedule): ManifestComponent {
  const base = {
    kind: component.kind,
    description: describe(component),
    shape: component.shape,
    magnitude: component.magnitude,
    direction: component.direction,
    ...(component.kind === 'prior' && component.targetMix !== undefined ? { target_mix: component.targetMix } : {}),
    features: featuresOf(component),
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
function timeline(schedule: DriftSchedule): ManifestPoint[] {
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
      mix: { low: round6(effects.mix.low), medium: round6(effects.mix.medium), high: round6(effects.mix.high) },
    };
  });
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
