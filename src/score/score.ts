/**
 * Scores a drift detector's alarms against the ground truth of a drift run (its manifest), beside
 * two baselines on the same schedule: a detector that fires at a fixed interval and one that never
 * fires. Pure: the CLI reads the files. Definitions, with formulas, in docs/scoring.md.
 *
 * Every drift component of the manifest gives one or more drift events: a progress-driven one
 * (linear, sigmoid, sudden) one event at its onset; a recurring one an event per peak inside the
 * run, whose onset is the trough before the peak (or the run's start, if later). An alarm detects
 * an event when it falls in the event's window [onset, onset + tolerance] (without a tolerance: up
 * to the run's end), cut short where the component's next event begins. Alarms in no window of
 * any component are false alarms.
 */
import type { DriftKind, DriftShapeType } from '../core/drift-schedule.ts';
import { driftKinds, driftShapeTypes, recurringPeriods } from '../core/drift-schedule.ts';
import type { DriftManifest } from '../core/manifest.ts';
import { manifestFormat } from '../core/manifest.ts';
import { formatIsoTimestamp } from '../core/time.ts';
import { DatagenError } from '../errors.ts';

export const scoreFormat = 'churn-datagen/detector-score@1';

/** An alarm: a record index of the run (0-based; record k is at start + k·60/rate s) or an ISO-8601 event time. */
export type DetectorAlarm = number | string;

/** How long after an onset an alarm still detects it: a duration or a number of records. */
export type Tolerance = { readonly seconds: number } | { readonly records: number };

export interface ScoreOptions {
  /** Width of each event's detection window. Default: up to the run's end (recurring: the next cycle). */
  readonly tolerance?: Tolerance | undefined;
  /** Alarms of the same detector on the control stream (drift off): every one is false. */
  readonly controlAlarms?: readonly DetectorAlarm[] | undefined;
}

/** One drift event and whether (and when) the alarms caught it. */
export interface EventScore {
  readonly onset: string;
  /** Recurring drift: the peak this event is. */
  readonly peak?: string;
  /** Last moment an alarm still detects this event. */
  readonly window_end: string;
  readonly first_alarm: string | null;
  /** First alarm in the window minus the onset; null when missed. */
  readonly delay_seconds: number | null;
  readonly delay_records: number | null;
  readonly alarms_in_window: number;
  readonly detected: boolean;
}

export interface ComponentScore {
  readonly kind: DriftKind;
  readonly shape: DriftShapeType;
  readonly events: readonly EventScore[];
  readonly detected: number;
  readonly missed: number;
  /** Delay of its first event (null when that was missed or there is none). */
  readonly delay_seconds: number | null;
  readonly delay_records: number | null;
  /** False alarms (in no component's window) before this component's first onset. */
  readonly false_alarms_before_onset: number;
  /** Alarms in this component's windows. */
  readonly true_alarms: number;
  /** true_alarms / (true_alarms + false alarms); alarms that only detect other components are left out. */
  readonly precision: number | null;
  /** detected / events. */
  readonly recall: number | null;
  readonly f1: number | null;
  /** Mean delay of its detected events. */
  readonly mtd_seconds: number | null;
  readonly mtd_records: number | null;
  /** missed / events. */
  readonly mdr: number | null;
}

export interface OverallScore {
  readonly events: number;
  readonly detected: number;
  readonly missed: number;
  readonly alarms: number;
  readonly true_alarms: number;
  readonly false_alarms: number;
  readonly false_alarms_before_onset: number;
  readonly precision: number | null;
  readonly recall: number | null;
  readonly f1: number | null;
  readonly mtd_seconds: number | null;
  readonly mtd_records: number | null;
  readonly mdr: number | null;
  /** Time of the run in no detection window: where an alarm can only be false. */
  readonly false_alarm_exposure_seconds: number;
  /** Mean time between false alarms: exposure / false alarms; null without a false alarm. */
  readonly mtfa_seconds: number | null;
  readonly mtfa_records: number | null;
}

/** The control stream (same run, drift off): every alarm is false; MTFA = duration / alarms. */
export interface ControlScore {
  readonly alarms: number;
  readonly false_alarms: number;
  readonly mtfa_seconds: number | null;
  readonly mtfa_records: number | null;
}

/** One detector's alarms scored. */
export interface AlarmsScore {
  readonly alarms: number;
  readonly components: readonly ComponentScore[];
  readonly overall: OverallScore;
  /** Null without control alarms. */
  readonly control: ControlScore | null;
}

export interface DetectorScore {
  readonly format: typeof scoreFormat;
  readonly run: {
    readonly seed: number;
    readonly start: string;
    readonly end: string;
    readonly duration_seconds: number;
    readonly rate_per_minute: number;
    readonly records: number;
  };
  /** Null: each window runs to the run's end (recurring drift: to the next cycle). */
  readonly tolerance: { readonly seconds: number; readonly records: number } | null;
  readonly detector: AlarmsScore;
  readonly baselines: {
    /** Fires every interval (the tolerance, else a tenth of the run), from start + interval on. */
    readonly fixed_interval: AlarmsScore & { readonly interval_seconds: number; readonly interval_records: number };
    readonly never: AlarmsScore;
  };
}

/**
 * Scores `alarms` (of the drifted stream) against `manifest`.
 * @example scoreDetector(manifest, [18000, '2026-01-01T00:31:00Z'], { tolerance: { seconds: 600 } })
 * @throws {DatagenError} INVALID_ARGUMENT when the manifest is not a drift manifest, an alarm is
 *   not a record index or time, or lies outside the run; the message names the value.
 */
export function scoreDetector(
  manifest: DriftManifest,
  alarms: readonly DetectorAlarm[],
  options: ScoreOptions = {},
): DetectorScore {
  const run = runOf(manifest);
  const toleranceMs = options.tolerance === undefined ? Infinity : toleranceMsOf(run, options.tolerance);
  const schedule = eventsOf(manifest, run, toleranceMs);
  const detected = alarmTimes(run, alarms, 'alarm');
  const control =
    options.controlAlarms === undefined ? undefined : alarmTimes(run, options.controlAlarms, 'control alarm');
  const intervalMs = Number.isFinite(toleranceMs) ? toleranceMs : run.durationMs / 10;
  const fixed = fixedIntervalAlarms(run, intervalMs);
  return {
    format: scoreFormat,
    run: {
      seed: manifest.seed,
      start: manifest.start,
      end: manifest.end,
      duration_seconds: run.durationMs / 1000,
      rate_per_minute: run.ratePerMinute,
      records: run.records,
    },
    tolerance: Number.isFinite(toleranceMs)
      ? { seconds: seconds(toleranceMs), records: recordsOf(run, toleranceMs) }
      : null,
    detector: scoreAlarms(run, schedule, detected, control),
    baselines: {
      fixed_interval: {
        interval_seconds: seconds(intervalMs),
        interval_records: recordsOf(run, intervalMs),
        ...scoreAlarms(run, schedule, fixed, control === undefined ? undefined : fixed),
      },
      never: scoreAlarms(run, schedule, [], control === undefined ? undefined : []),
    },
  };
}

/** What of a run the scoring needs, checked. */
export interface ScoredRun {
  readonly startMs: number;
  readonly endMs: number;
  readonly durationMs: number;
  readonly ratePerMinute: number;
  readonly records: number;
}

/**
 * The run a manifest describes.
 * @throws {DatagenError} INVALID_ARGUMENT when it is not a drift manifest (or is damaged).
 */
export function runOf(manifest: DriftManifest): ScoredRun {
  const value = manifest as unknown as Record<string, unknown> | null;
  if (typeof value !== 'object' || value === null || value.format !== manifestFormat)
    throw notManifest(`format is not ${manifestFormat}`);
  const startMs = typeof value.start === 'string' ? Date.parse(value.start) : Number.NaN;
  const endMs = typeof value.end === 'string' ? Date.parse(value.end) : Number.NaN;
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || !(endMs > startMs))
    throw notManifest('start and end must be times, end after start');
  const rate = value.rate_per_minute;
  if (typeof rate !== 'number' || !(rate > 0) || !Number.isFinite(rate))
    throw notManifest('rate_per_minute must be a positive number');
  if (!Array.isArray(value.components) || value.components.length === 0)
    throw notManifest('components must be a non-empty list');
  const durationMs = endMs - startMs;
  // As the stream counts them (modes/stream.ts): rate × duration, rounded up, at least one.
  const records = Math.max(1, Math.ceil((rate * durationMs) / 60_000 - 1e-9));
  return { startMs, endMs, durationMs, ratePerMinute: rate, records };
}

/**
 * Alarms as epoch milliseconds, sorted (a detector watching several features may write them out
 * of order; the order carries no meaning for the score).
 * @throws {DatagenError} INVALID_ARGUMENT naming the first value that is not a record index or a
 *   time, or that lies outside the run.
 */
export function alarmTimes(run: ScoredRun, alarms: readonly DetectorAlarm[], what = 'alarm'): Float64Array {
  const times = new Float64Array(alarms.length);
  alarms.forEach((alarm, i) => {
    times[i] = alarmTime(run, alarm, what);
  });
  return times.sort();
}

/** Tolerance in milliseconds. */
export function toleranceMsOf(run: ScoredRun, tolerance: Tolerance): number {
  const ms = 'seconds' in tolerance ? tolerance.seconds * 1000 : (tolerance.records * 60_000) / run.ratePerMinute;
  if (!(ms > 0) || !Number.isFinite(ms))
    throw new DatagenError('INVALID_ARGUMENT', `tolerance must be positive, got ${JSON.stringify(tolerance)}`);
  return ms;
}

// --- internal ---

interface DriftEvent {
  readonly onsetMs: number;
  readonly peakMs?: number;
  /** Last moment an alarm detects it (inclusive), unless the component's next event begins first. */
  readonly windowEndMs: number;
  /** Onset of the component's next event (exclusive end of this window), or Infinity. */
  readonly nextOnsetMs: number;
}

interface ComponentEvents {
  readonly kind: DriftKind;
  readonly shape: DriftShapeType;
  readonly events: readonly DriftEvent[];
}

/** Recurring cycles begin at a trough: daily at 00:00 UTC, weekly on Monday 00:00 UTC (epoch day 0 was a Thursday). */
const cycleOrigin = { daily: 0, weekly: 4 * 86_400_000 } as const;

function eventsOf(manifest: DriftManifest, run: ScoredRun, toleranceMs: number): ComponentEvents[] {
  return manifest.components.map((component, i) => {
    const where = `components[${i}]`;
    if (typeof component !== 'object' || (component as unknown) === null)
      throw notManifest(`${where} is not an object`);
    if (!driftKinds.includes(component.kind)) throw notManifest(`${where}.kind is not a drift kind`);
    const shape = (component.shape as { type?: unknown } | undefined)?.type as DriftShapeType;
    if (!driftShapeTypes.includes(shape)) throw notManifest(`${where}.shape.type is not a drift shape`);
    const onsets: { onsetMs: number; peakMs?: number }[] = [];
    if (component.shape.type === 'recurring') {
      const period = component.shape.period;
      if (!(period in recurringPeriods)) throw notManifest(`${where}.shape.period is not daily or weekly`);
      const length = recurringPeriods[period];
      const origin = cycleOrigin[period];
      // Troughs at origin + n·length; the peak half a cycle later. Events: peaks inside the run.
      let trough = origin + Math.floor((run.startMs - origin) / length) * length;
      for (; trough + length / 2 <= run.endMs; trough += length) {
        const peakMs = trough + length / 2;
        if (peakMs >= run.startMs) onsets.push({ onsetMs: Math.max(trough, run.startMs), peakMs });
      }
    } else if (component.onset !== undefined) {
      const onsetMs = Date.parse(component.onset.time);
      if (!Number.isFinite(onsetMs)) throw notManifest(`${where}.onset.time is not a time`);
      onsets.push({ onsetMs });
    }
    const events = onsets.map((event, j): DriftEvent => {
      const nextOnsetMs = onsets[j + 1]?.onsetMs ?? Infinity;
      const last = Math.min(event.onsetMs + toleranceMs, run.endMs);
      return { ...event, nextOnsetMs, windowEndMs: nextOnsetMs <= last ? nextOnsetMs : last };
    });
    return { kind: component.kind, shape, events };
  });
}

function alarmTime(run: ScoredRun, alarm: DetectorAlarm, what: string): number {
  const span = `${formatIsoTimestamp(run.startMs)} to ${formatIsoTimestamp(run.endMs)}`;
  if (typeof alarm === 'number') {
    if (!Number.isSafeInteger(alarm) || alarm < 0)
      throw new DatagenError('INVALID_ARGUMENT', `${what} record ${alarm} is not a record index (0, 1, 2, …)`);
    if (alarm >= run.records)
      throw new DatagenError(
        'INVALID_ARGUMENT',
        `${what} record ${alarm} is outside the run (records 0 to ${run.records - 1}, ${span})`,
      );
    return run.startMs + (alarm * 60_000) / run.ratePerMinute;
  }
  const ms = parseIsoTime(alarm);
  if (ms === undefined)
    throw new DatagenError(
      'INVALID_ARGUMENT',
      `${what} '${alarm}' is neither a record index nor an ISO-8601 time such as 2026-01-01T00:30:00Z`,
    );
  if (ms < run.startMs || ms > run.endMs)
    throw new DatagenError('INVALID_ARGUMENT', `${what} ${alarm} is outside the run (${span})`);
  return ms;
}

/** An ISO-8601 time with a date and a time of day; without a zone it is UTC (as --start takes it). */
function parseIsoTime(text: string): number | undefined {
  const iso = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;
  if (!iso.test(text)) return undefined;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
  const ms = Date.parse(zoned.replace(' ', 'T'));
  return Number.isFinite(ms) ? ms : undefined;
}

function fixedIntervalAlarms(run: ScoredRun, intervalMs: number): Iterable<number> {
  return {
    *[Symbol.iterator]() {
      for (let i = 1; run.startMs + i * intervalMs <= run.endMs; i++) yield run.startMs + i * intervalMs;
    },
  };
}

interface EventTally {
  first: number | undefined;
  count: number;
}

/** What one pass over the alarms gathers for one component. */
interface ComponentTally {
  readonly component: ComponentEvents;
  readonly events: EventTally[];
  readonly firstOnsetMs: number;
  trueAlarms: number;
  falseBeforeOnset: number;
}

/** One pass over sorted alarms: which windows each falls in, which events it detects. */
function scoreAlarms(
  run: ScoredRun,
  schedule: readonly ComponentEvents[],
  alarms: Iterable<number>,
  control: Iterable<number> | undefined,
): AlarmsScore {
  const tallies = schedule.map((component): ComponentTally => ({
    component,
    events: component.events.map(() => ({ first: undefined, count: 0 })),
    firstOnsetMs: component.events[0]?.onsetMs ?? Infinity,
    trueAlarms: 0,
    falseBeforeOnset: 0,
  }));
  const earliestOnsetMs = Math.min(...tallies.map((tally) => tally.firstOnsetMs));
  let total = 0;
  let truePositives = 0;
  let falseBeforeOnset = 0;
  for (const alarm of alarms) {
    total++;
    let inAnyWindow = false;
    for (const tally of tallies) {
      const j = lastEventAtOrBefore(tally.component.events, alarm);
      const event = tally.component.events[j];
      const eventTally = tally.events[j];
      if (event === undefined || eventTally === undefined || alarm > event.windowEndMs || alarm >= event.nextOnsetMs)
        continue;
      eventTally.count++;
      eventTally.first ??= alarm;
      tally.trueAlarms++;
      inAnyWindow = true;
    }
    if (inAnyWindow) {
      truePositives++;
      continue;
    }
    for (const tally of tallies) if (alarm < tally.firstOnsetMs) tally.falseBeforeOnset++;
    if (alarm < earliestOnsetMs) falseBeforeOnset++;
  }
  const falseAlarms = total - truePositives;
  const components = tallies.map(({ component, events: eventTallies, trueAlarms, ...tally }): ComponentScore => {
    const events = component.events.map((event, j) =>
      eventScore(run, event, eventTallies[j] ?? { first: undefined, count: 0 }),
    );
    const detected = events.filter((event) => event.detected).length;
    const mtdMs = meanDelayMs(events);
    const { precision, recall, f1 } = rates(trueAlarms, trueAlarms + falseAlarms, detected, events.length);
    return {
      kind: component.kind,
      shape: component.shape,
      events,
      detected,
      missed: events.length - detected,
      delay_seconds: events[0]?.delay_seconds ?? null,
      delay_records: events[0]?.delay_records ?? null,
      false_alarms_before_onset: tally.falseBeforeOnset,
      true_alarms: trueAlarms,
      precision,
      recall,
      f1,
      mtd_seconds: mtdMs === undefined ? null : seconds(mtdMs),
      mtd_records: mtdMs === undefined ? null : recordsOf(run, mtdMs),
      mdr: ratio(events.length - detected, events.length),
    };
  });
  const allEvents = components.flatMap((component) => component.events);
  const events = allEvents.length;
  const detected = allEvents.filter((event) => event.detected).length;
  const mtdMs = meanDelayMs(allEvents);
  const { precision, recall, f1 } = rates(truePositives, total, detected, events);
  const exposureMs = run.durationMs - coveredMs(schedule);
  const mtfaMs = falseAlarms === 0 ? undefined : exposureMs / falseAlarms;
  return {
    alarms: total,
    components,
    overall: {
      events,
      detected,
      missed: events - detected,
      alarms: total,
      true_alarms: truePositives,
      false_alarms: falseAlarms,
      false_alarms_before_onset: falseBeforeOnset,
      precision,
      recall,
      f1,
      mtd_seconds: mtdMs === undefined ? null : seconds(mtdMs),
      mtd_records: mtdMs === undefined ? null : recordsOf(run, mtdMs),
      mdr: ratio(events - detected, events),
      false_alarm_exposure_seconds: seconds(exposureMs),
      mtfa_seconds: mtfaMs === undefined ? null : seconds(mtfaMs),
      mtfa_records: mtfaMs === undefined ? null : recordsOf(run, mtfaMs),
    },
    control: control === undefined ? null : controlScore(run, control),
  };
}

/** Mean delay of the detected events, ms; undefined when none was detected. */
function meanDelayMs(events: readonly EventScore[]): number | undefined {
  const delays = events.flatMap((event) => (event.delay_seconds === null ? [] : [event.delay_seconds * 1000]));
  return delays.length === 0 ? undefined : delays.reduce((a, b) => a + b, 0) / delays.length;
}

function controlScore(run: ScoredRun, alarms: Iterable<number>): ControlScore {
  const count = Array.from(alarms).length;
  const mtfaMs = count === 0 ? undefined : run.durationMs / count;
  return {
    alarms: count,
    false_alarms: count,
    mtfa_seconds: mtfaMs === undefined ? null : seconds(mtfaMs),
    mtfa_records: mtfaMs === undefined ? null : recordsOf(run, mtfaMs),
  };
}

function eventScore(run: ScoredRun, event: DriftEvent, tally: EventTally): EventScore {
  const delayMs = tally.first === undefined ? undefined : tally.first - event.onsetMs;
  return {
    onset: formatIsoTimestamp(Math.round(event.onsetMs)),
    ...(event.peakMs === undefined ? {} : { peak: formatIsoTimestamp(event.peakMs) }),
    window_end: formatIsoTimestamp(Math.round(event.windowEndMs)),
    first_alarm: tally.first === undefined ? null : formatIsoTimestamp(Math.round(tally.first)),
    delay_seconds: delayMs === undefined ? null : seconds(delayMs),
    delay_records: delayMs === undefined ? null : recordsOf(run, delayMs),
    alarms_in_window: tally.count,
    detected: tally.first !== undefined,
  };
}

/** Index of the last event whose onset is at or before `ms` (-1 if none); events are in time order. */
function lastEventAtOrBefore(events: readonly DriftEvent[], ms: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((events[mid]?.onsetMs ?? Infinity) <= ms) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

/** Length of the union of every event's window. */
function coveredMs(schedule: readonly ComponentEvents[]): number {
  const windows = schedule
    .flatMap((component) => component.events.map((event) => [event.onsetMs, event.windowEndMs] as const))
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let reach = -Infinity;
  for (const [from, to] of windows) {
    const start = Math.max(from, reach);
    if (to > start) covered += to - start;
    reach = Math.max(reach, to);
  }
  return covered;
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : round6(part / whole);
}

/**
 * Precision over alarms, recall over events, and their harmonic mean F1. A detector that never
 * fires has no precision, but with events to find its recall is 0, and so is its F1; without
 * events there is nothing to recall.
 */
function rates(
  trueAlarms: number,
  alarms: number,
  detected: number,
  events: number,
): { precision: number | null; recall: number | null; f1: number | null } {
  const precision = alarms === 0 ? undefined : trueAlarms / alarms;
  const recall = events === 0 ? undefined : detected / events;
  let f1: number | null = null;
  if (recall !== undefined)
    f1 =
      precision === undefined || precision + recall === 0 ? 0 : round6((2 * precision * recall) / (precision + recall));
  return {
    precision: precision === undefined ? null : round6(precision),
    recall: recall === undefined ? null : round6(recall),
    f1,
  };
}

function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}

function recordsOf(run: ScoredRun, ms: number): number {
  return Math.round(((ms * run.ratePerMinute) / 60_000) * 1000) / 1000;
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function notManifest(reason: string): DatagenError {
  return new DatagenError('INVALID_ARGUMENT', `not a churn-datagen drift manifest: ${reason}`);
}
