/**
 * Drift as a schedule: which kinds of drift act, with which shape over time, how strongly. A
 * record's drift is a pure function of its event time, so shards, replays and the paired control
 * stream all agree, and the manifest (manifest.ts) can state the ground truth exactly.
 *
 * The kinds, in terms of the generative model (label → health band → features, profiles.ts):
 * - prior: the risk mix moves toward a target mix; what each level looks like stays.
 * - covariate: label-independent drivers of chosen features move (prices, product views per visit,
 *   the gap between sign-up and first order). Each such feature depends on the label only through
 *   other features (order value through premium_product_rate, views through website_visits_30d,
 *   account age through customer_age_days), so P(label | features) stays exactly as it was.
 * - concept: the label boundaries on the health scale move; every feature is drawn exactly as
 *   without drift, so the features' distribution stays and the same behaviour carries another label.
 * - class-conditional: the SPEC §2 "feature drift": every level's behaviour moves along the health
 *   scale while the labels stay (P(features | label) moves).
 *
 * Shapes turn the run's progress p = elapsed / duration (or, for recurring drift, the event time
 * of day or of week, UTC) into a strength in [0, 1], scaled by the component's magnitude.
 */
import { DatagenError } from '../errors.ts';
import type { Drift, DriftDirection } from './drift.ts';
import type { RiskMix } from './profiles.ts';
import { normaliseRiskMix } from './profiles.ts';
import type { DriftPhase } from './schema.ts';

export const driftKinds = ['prior', 'covariate', 'concept', 'class-conditional'] as const;
export type DriftKind = (typeof driftKinds)[number];

export const driftShapeTypes = ['linear', 'sigmoid', 'sudden', 'recurring'] as const;
export type DriftShapeType = (typeof driftShapeTypes)[number];

export const recurringPeriods = { daily: 86_400_000, weekly: 604_800_000 } as const;
export type RecurringPeriod = keyof typeof recurringPeriods;

export type DriftShape =
  /** Strength rises evenly from the start to the end of the run. */
  | { readonly type: 'linear' }
  /** A logistic rise centred at progress `center` with width `width`, rescaled to 0 at the start and 1 at the end. */
  | { readonly type: 'sigmoid'; readonly center: number; readonly width: number }
  /** Off before progress `at`, fully on from it. */
  | { readonly type: 'sudden'; readonly at: number }
  /** (1 − cos 2πφ)/2 of the phase φ in the UTC day (0 at midnight, 1 at noon) or week (0 at Monday 00:00). */
  | { readonly type: 'recurring'; readonly period: RecurringPeriod };

/**
 * Features whose label-independent driver covariate drift moves, the fields that follow, and the
 * driver's factor at full strength (direction -1 divides by it). The sign-up gap moves more
 * because it is a small part of account age.
 */
export const covariateDrivers = {
  /** Prices: order values scale, and revenue with them. */
  avg_order_value: { driver: 'order value', fields: ['avg_order_value', 'total_revenue'], fullScale: 1.5 },
  /** Site design: product views per visit scale. */
  product_views_30d: { driver: 'product views per visit', fields: ['product_views_30d'], fullScale: 1.5 },
  /** Sign-up habits: the gap between account creation and first order scales. */
  account_age_days: { driver: 'gap between sign-up and first order', fields: ['account_age_days'], fullScale: 4 },
} as const;
export type CovariateFeature = keyof typeof covariateDrivers;
export const covariateFeatures = Object.keys(covariateDrivers) as CovariateFeature[];

/** A driver's multiplier at signed strength s·direction: fullScale^(s·direction), 1 at no drift. */
export function covariateScale(feature: CovariateFeature, signedStrength: number): number {
  return covariateDrivers[feature].fullScale ** signedStrength;
}

export interface DriftComponent {
  readonly kind: DriftKind;
  readonly shape: DriftShape;
  /** Strength when the shape is fully on, in (0, 1]. */
  readonly magnitude: number;
  /** 1: riskier labels or behaviour, larger covariate drivers; -1 the opposite. Prior ignores it. */
  readonly direction: DriftDirection;
  /** Prior only: the mix at full strength (normalised). */
  readonly targetMix?: RiskMix | undefined;
  /** Covariate only: whose drivers move. */
  readonly features?: readonly CovariateFeature[] | undefined;
}

export interface DriftSchedule {
  /** Event time at progress 0, epoch ms. */
  readonly startMs: number;
  readonly durationMs: number;
  /** The mix without drift (normalised). */
  readonly baseMix: RiskMix;
  readonly components: readonly DriftComponent[];
}

/** Multipliers of the covariate drivers (1 = no drift). */
export interface CovariateScales {
  readonly orderValue: number;
  readonly viewsPerVisit: number;
  readonly signupGap: number;
}

export const noCovariateShift = { orderValue: 1, viewsPerVisit: 1, signupGap: 1 } as const satisfies CovariateScales;

/** What the schedule does to one record. */
export interface DriftEffects {
  /** Progress of the run, 0..1, rounded to 6 places (as written in drift_progress). */
  readonly progress: number;
  readonly phase: DriftPhase;
  readonly mix: RiskMix;
  /** Class-conditional drift. */
  readonly drift: Drift;
  /** Bands the label boundaries move, signed (positive: the same behaviour is labelled riskier). */
  readonly conceptShift: number;
  readonly covariate: CovariateScales;
}

/** The SPEC §2 scenario's end mix: 10/30/60. */
export const driftScenarioEndMix = { low: 0.1, medium: 0.3, high: 0.6 } as const satisfies RiskMix;

/** The SPEC §2 scenario (the `drift` mode's default): prior and class-conditional, both linear and full. */
export function specDriftComponents(): DriftComponent[] {
  return [
    { kind: 'prior', shape: { type: 'linear' }, magnitude: 1, direction: 1, targetMix: driftScenarioEndMix },
    { kind: 'class-conditional', shape: { type: 'linear' }, magnitude: 1, direction: 1 },
  ];
}

/**
 * A valid schedule: each kind at most once, magnitudes in (0, 1], shape parameters in range,
 * mixes normalised, covariate features known.
 * @throws {DatagenError} INVALID_ARGUMENT naming what is wrong.
 */
export function makeDriftSchedule(schedule: DriftSchedule): DriftSchedule {
  if (!(schedule.durationMs > 0) || !Number.isFinite(schedule.durationMs))
    throw invalid(`duration must be a positive number of ms, got ${String(schedule.durationMs)}`);
  if (!Number.isFinite(schedule.startMs)) throw invalid(`start must be a time, got ${String(schedule.startMs)}`);
  if (schedule.components.length === 0) throw invalid('a drift schedule needs at least one component');
  const seen = new Set<DriftKind>();
  const components = schedule.components.map((component) => {
    if (!driftKinds.includes(component.kind)) throw invalid(`unknown drift kind ${shown(component.kind)}`);
    if (seen.has(component.kind)) throw invalid(`drift kind '${component.kind}' is given twice`);
    seen.add(component.kind);
    return validComponent(component);
  });
  return { ...schedule, baseMix: normaliseRiskMix(schedule.baseMix), components };
}

/** Strength of one component (0 … magnitude) at run progress `progress`, for an event at `eventMs`. */
export function componentStrength(component: DriftComponent, progress: number, eventMs: number): number {
  return component.magnitude * shapeValue(component.shape, progress, eventMs);
}

/** Progress 0..1 of a run at `elapsedMs`. */
export function progressAt(schedule: DriftSchedule, elapsedMs: number): number {
  return Math.min(1, Math.max(0, elapsedMs / schedule.durationMs));
}

/** The schedule's effects on a record `elapsedMs` into the run, with event time `eventMs`. */
export function driftEffectsAt(schedule: DriftSchedule, elapsedMs: number, eventMs: number): DriftEffects {
  const p = progressAt(schedule, elapsedMs);
  let mix = schedule.baseMix;
  let drift: Drift = { factor: 0, direction: 1 };
  let conceptShift = 0;
  let covariate: CovariateScales = noCovariateShift;
  const phases: DriftPhase[] = [];
  for (const component of schedule.components) {
    const value = shapeValue(component.shape, p, eventMs);
    const s = component.magnitude * value;
    phases.push(phaseOf(component.shape, value, eventMs));
    switch (component.kind) {
      case 'prior': {
        const to = component.targetMix ?? driftScenarioEndMix;
        mix = {
          low: mix.low + (to.low - mix.low) * s,
          medium: mix.medium + (to.medium - mix.medium) * s,
          high: mix.high + (to.high - mix.high) * s,
        };
        break;
      }
      case 'class-conditional':
        drift = { factor: s, direction: component.direction };
        break;
      case 'concept':
        conceptShift = s * component.direction;
        break;
      case 'covariate': {
        const features = component.features ?? covariateFeatures;
        const scale = (feature: CovariateFeature): number =>
          features.includes(feature) ? covariateScale(feature, s * component.direction) : 1;
        covariate = {
          orderValue: scale('avg_order_value'),
          viewsPerVisit: scale('product_views_30d'),
          signupGap: scale('account_age_days'),
        };
        break;
      }
    }
  }
  return { progress: Math.round(p * 1e6) / 1e6, phase: combinedPhase(phases), mix, drift, conceptShift, covariate };
}

/**
 * Where one component stands: `baseline` (off), `rising`, `drifted` (fully on) or `falling`
 * (recurring drift on its way back).
 */
export function componentPhase(component: DriftComponent, progress: number, eventMs: number): DriftPhase {
  return phaseOf(component.shape, shapeValue(component.shape, progress, eventMs), eventMs);
}

/** Shape value 0..1 before the magnitude. */
export function shapeValue(shape: DriftShape, progress: number, eventMs: number): number {
  switch (shape.type) {
    case 'linear':
      return progress;
    case 'sudden':
      return progress >= shape.at ? 1 : 0;
    case 'sigmoid': {
      const logistic = (x: number): number => 1 / (1 + Math.exp(-(x - shape.center) / shape.width));
      const low = logistic(0);
      return Math.min(1, Math.max(0, (logistic(progress) - low) / (logistic(1) - low)));
    }
    case 'recurring':
      return (1 - Math.cos(2 * Math.PI * cyclePosition(shape.period, eventMs))) / 2;
  }
}

/** Which kinds change the label's relation to the features or its share. */
export function changesLabels(kind: DriftKind): boolean {
  return kind === 'prior' || kind === 'concept';
}

// --- internal ---

/** Epoch 0 was a Thursday; weekly cycles start on Monday 00:00 UTC. */
const MONDAY_OFFSET_MS = 4 * 86_400_000;

/** 0..1 position of an event time in its day or week. */
function cyclePosition(period: RecurringPeriod, eventMs: number): number {
  const length = recurringPeriods[period];
  const offset = period === 'weekly' ? MONDAY_OFFSET_MS : 0;
  const within = (((eventMs - offset) % length) + length) % length;
  return within / length;
}

/** The phase of a shape whose value at `eventMs` is `value`. */
function phaseOf(shape: DriftShape, value: number, eventMs: number): DriftPhase {
  if (value <= 0) return 'baseline';
  if (value >= 1) return 'drifted';
  if (shape.type === 'recurring') return cyclePosition(shape.period, eventMs) < 0.5 ? 'rising' : 'falling';
  return 'rising';
}

function combinedPhase(phases: readonly DriftPhase[]): DriftPhase {
  if (phases.every((phase) => phase === 'baseline')) return 'baseline';
  if (phases.includes('rising')) return 'rising';
  if (phases.includes('falling')) return 'falling';
  return 'drifted';
}

function validComponent(component: DriftComponent): DriftComponent {
  const { kind, shape, magnitude, direction } = component;
  if (!(magnitude > 0 && magnitude <= 1))
    throw invalid(`${kind}: magnitude must be in (0, 1], got ${String(magnitude)}`);
  if (!isDirection(direction)) throw invalid(`${kind}: direction must be 1 or -1, got ${String(direction)}`);
  switch (shape.type) {
    case 'linear':
      break;
    case 'sudden':
      if (!(shape.at >= 0 && shape.at <= 1))
        throw invalid(`sudden drift: 'at' must be in [0, 1], got ${String(shape.at)}`);
      break;
    case 'sigmoid':
      if (!(shape.center >= 0 && shape.center <= 1))
        throw invalid(`sigmoid drift: 'center' must be in [0, 1], got ${String(shape.center)}`);
      if (!(shape.width > 0 && shape.width <= 1))
        throw invalid(`sigmoid drift: 'width' must be in (0, 1], got ${String(shape.width)}`);
      break;
    case 'recurring':
      if (!(shape.period in recurringPeriods))
        throw invalid(`recurring drift: period must be daily or weekly, got ${shown(shape.period)}`);
      break;
    default:
      throw invalid(`unknown drift shape '${String((shape as { type: unknown }).type)}'`);
  }
  if (kind === 'prior') {
    return { ...component, targetMix: normaliseRiskMix(component.targetMix ?? driftScenarioEndMix) };
  }
  if (kind === 'covariate') {
    const features = component.features ?? covariateFeatures;
    for (const feature of features) {
      if (!(feature in covariateDrivers))
        throw invalid(`covariate drift: ${shown(feature)} is not one of ${covariateFeatures.join(', ')}`);
    }
    if (features.length === 0) throw invalid('covariate drift needs at least one feature');
    return { ...component, features: [...new Set(features)] };
  }
  return component;
}

/** A value from a caller that may not follow the types (plain JavaScript), as text. */
function shown(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

function isDirection(value: unknown): boolean {
  return value === 1 || value === -1;
}

function invalid(message: string): DatagenError {
  return new DatagenError('INVALID_ARGUMENT', `Drift schedule: ${message}.`);
}
