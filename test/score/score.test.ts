/**
 * The detector scorer on hand-made schedules and alarm lists, each expected number worked out by
 * hand beside the test; the two baselines; the recurring cycles against the drift shape itself;
 * alarm files; bad inputs as errors naming the value.
 */
import { describe, expect, it } from 'vitest';
import { shapeValue } from '../../src/core/drift-schedule.ts';
import type { DriftManifest, ManifestComponent } from '../../src/core/manifest.ts';
import { manifestFormat } from '../../src/core/manifest.ts';
import { DatagenError } from '../../src/errors.ts';
import { alarmFileFormat, parseAlarms } from '../../src/score/alarms.ts';
import type { DetectorScore } from '../../src/score/score.ts';
import { scoreDetector } from '../../src/score/score.ts';
import * as library from '../../src/index.ts';

const start = '2026-01-01T00:00:00.000Z';
const at = (clock: string): string => `2026-01-01T${clock}Z`;

/** A manifest with what the scorer reads: the run and its components. */
function manifest(
  components: readonly Partial<ManifestComponent>[],
  run: { start?: string; end?: string; rate?: number } = {},
): DriftManifest {
  const from = run.start ?? start;
  const to = run.end ?? '2026-01-01T01:00:00.000Z';
  return {
    format: manifestFormat,
    seed: 1,
    shard: '0/1',
    rate_per_minute: run.rate ?? 600,
    start: from,
    end: to,
    duration_minutes: (Date.parse(to) - Date.parse(from)) / 60_000,
    components: components.map((component) => ({ kind: 'concept', magnitude: 1, direction: 1, ...component })),
  } as unknown as DriftManifest;
}

/** Concept drift switched on at half of an hour's run (00:30), 600 records a minute (10 a second). */
const suddenAtHalf = manifest([
  { kind: 'concept', shape: { type: 'sudden', at: 0.5 }, onset: { progress: 0.5, time: at('00:30:00.000') } },
]);

describe('score: one sudden drift', () => {
  // Onset 00:30 (record 18000); window [00:30, 00:35]. Alarms: record 6000 (00:10, false, before
  // onset), record 18300 (00:30:30, detects: 30 s = 300 records late), 00:31:00 (in the window),
  // record 25000 (00:41:40, after the window: false).
  const alarms = [6000, 18300, at('00:31:00'), 25000];
  const score = scoreDetector(suddenAtHalf, alarms, { tolerance: { seconds: 300 } });

  it('the detector: delay, false alarms before onset, precision, recall, F1, MTD, MDR, MTFA', () => {
    const [concept] = score.detector.components;
    expect(concept).toMatchObject({
      kind: 'concept',
      shape: 'sudden',
      detected: 1,
      missed: 0,
      delay_seconds: 30,
      delay_records: 300,
      false_alarms_before_onset: 1,
      true_alarms: 2,
      precision: 0.5, // 2 of 4 alarms in the window
      recall: 1,
      f1: 0.666667, // 2 · 0.5 · 1 / 1.5
      mtd_seconds: 30,
      mdr: 0,
    });
    expect(concept?.events).toEqual([
      {
        onset: at('00:30:00.000'),
        window_end: at('00:35:00.000'),
        first_alarm: at('00:30:30.000'),
        delay_seconds: 30,
        delay_records: 300,
        alarms_in_window: 2,
        detected: true,
      },
    ]);
    // Outside the window: 3600 − 300 = 3300 s, 2 false alarms → MTFA 1650 s = 16500 records.
    expect(score.detector.overall).toMatchObject({
      events: 1,
      alarms: 4,
      true_alarms: 2,
      false_alarms: 2,
      false_alarms_before_onset: 1,
      false_alarm_exposure_seconds: 3300,
      mtfa_seconds: 1650,
      mtfa_records: 16500,
      mtd_records: 300,
    });
    expect(score.tolerance).toEqual({ seconds: 300, records: 3000 });
    expect(score.run).toMatchObject({ records: 36000, duration_seconds: 3600 });
  });

  it('the fixed-interval baseline fires every tolerance; the never baseline finds nothing', () => {
    // Every 300 s from 00:05 to 01:00: 12 alarms; 00:30 and 00:35 are in the closed window (delay 0),
    // 10 are false (5 of them before 00:30). Precision 2/12; F1 = 2 · (1/6) · 1 / (7/6) = 2/7.
    const fixed = score.baselines.fixed_interval;
    expect(fixed).toMatchObject({ interval_seconds: 300, interval_records: 3000, alarms: 12 });
    expect(fixed.components[0]).toMatchObject({
      delay_seconds: 0,
      false_alarms_before_onset: 5,
      true_alarms: 2,
      precision: 0.166667,
      recall: 1,
      f1: 0.285714,
    });
    expect(fixed.overall).toMatchObject({ false_alarms: 10, mtfa_seconds: 330, mdr: 0 });
    const never = score.baselines.never;
    expect(never.components[0]).toMatchObject({
      detected: 0,
      missed: 1,
      delay_seconds: null,
      precision: null,
      recall: 0,
      f1: 0,
      mdr: 1,
    });
    expect(never.overall).toMatchObject({ alarms: 0, false_alarms: 0, mtfa_seconds: null, mtd_seconds: null });
    expect(score.detector.control).toBeNull();
  });

  it('order, and record index versus time, do not matter', () => {
    const same = scoreDetector(suddenAtHalf, [at('00:41:40'), '2026-01-01T00:30:30Z', 6000, 18600], {
      tolerance: { records: 3000 },
    });
    expect(same.detector).toEqual(score.detector);
    expect(same.baselines).toEqual(score.baselines);
  });

  it('an alarm after the tolerance misses; without a tolerance it detects, late', () => {
    const late = [at('00:40:00')];
    expect(scoreDetector(suddenAtHalf, late, { tolerance: { seconds: 300 } }).detector.components[0]).toMatchObject({
      detected: 0,
      missed: 1,
      delay_seconds: null,
      false_alarms_before_onset: 0,
      precision: 0,
      recall: 0,
      f1: 0,
      mdr: 1,
    });
    const untimed = scoreDetector(suddenAtHalf, late);
    expect(untimed.tolerance).toBeNull();
    expect(untimed.detector.components[0]).toMatchObject({ detected: 1, delay_seconds: 600, delay_records: 6000 });
    expect(untimed.detector.components[0]?.events[0]?.window_end).toBe('2026-01-01T01:00:00.000Z');
    // Without a tolerance the fixed baseline fires every tenth of the run.
    expect(untimed.baselines.fixed_interval).toMatchObject({ interval_seconds: 360, alarms: 10 });
    // An alarm exactly at the onset is on time.
    expect(scoreDetector(suddenAtHalf, [18000]).detector.components[0]?.delay_seconds).toBe(0);
  });

  it('control alarms are all false: MTFA is the run over their count', () => {
    const scored = scoreDetector(suddenAtHalf, alarms, {
      tolerance: { seconds: 300 },
      controlAlarms: [100, at('00:20:00'), 35999],
    });
    expect(scored.detector.control).toEqual({ alarms: 3, false_alarms: 3, mtfa_seconds: 1200, mtfa_records: 12000 });
    // The baselines fire on the control as they do on the drifted stream.
    expect(scored.baselines.fixed_interval.control).toEqual({
      alarms: 12,
      false_alarms: 12,
      mtfa_seconds: 300,
      mtfa_records: 3000,
    });
    expect(scored.baselines.never.control).toEqual({
      alarms: 0,
      false_alarms: 0,
      mtfa_seconds: null,
      mtfa_records: null,
    });
    expect(scoreDetector(suddenAtHalf, alarms, { controlAlarms: [] }).detector.control?.mtfa_seconds).toBeNull();
  });
});

describe('score: several components', () => {
  // Prior drift from 00:15, concept drift from 00:30, tolerance 5 minutes. Alarms 00:16 (prior,
  // 60 s), 00:32 (concept, 120 s), 00:50 (false). Each component's precision leaves out the alarm
  // that detects the other: 1 / (1 + 1).
  const twoKinds = manifest([
    { kind: 'prior', shape: { type: 'sudden', at: 0.25 }, onset: { progress: 0.25, time: at('00:15:00.000') } },
    { kind: 'concept', shape: { type: 'sudden', at: 0.5 }, onset: { progress: 0.5, time: at('00:30:00.000') } },
  ]);
  const score = scoreDetector(twoKinds, [at('00:16:00'), at('00:32:00'), at('00:50:00')], {
    tolerance: { seconds: 300 },
  });

  it('each alarm is credited to the component whose window it falls in', () => {
    const [prior, concept] = score.detector.components;
    expect(prior).toMatchObject({ kind: 'prior', delay_seconds: 60, true_alarms: 1, precision: 0.5, recall: 1 });
    expect(concept).toMatchObject({ kind: 'concept', delay_seconds: 120, true_alarms: 1, precision: 0.5, recall: 1 });
    // The 00:16 alarm is before the concept onset but detects the prior drift: not a false alarm.
    expect(concept?.false_alarms_before_onset).toBe(0);
    // Overall: 2 of 3 alarms true, both events found: F1 = 2 · (2/3) · 1 / (5/3) = 0.8; MTD (60 + 120) / 2.
    expect(score.detector.overall).toMatchObject({
      events: 2,
      detected: 2,
      precision: 0.666667,
      recall: 1,
      f1: 0.8,
      mtd_seconds: 90,
      mtd_records: 900,
      mdr: 0,
      false_alarm_exposure_seconds: 3000,
      mtfa_seconds: 3000,
    });
  });

  it('overlapping windows are counted once in the exposure', () => {
    const together = manifest([
      { kind: 'prior', shape: { type: 'sudden', at: 0.5 }, onset: { progress: 0.5, time: at('00:30:00.000') } },
      { kind: 'concept', shape: { type: 'sudden', at: 0.5 }, onset: { progress: 0.5, time: at('00:32:00.000') } },
    ]);
    // Windows [30, 35] and [32, 37] cover 7 minutes: 3600 − 420 = 3180 s without drift to detect.
    const scored = scoreDetector(together, [at('00:33:00'), at('00:05:00')], { tolerance: { seconds: 300 } });
    expect(scored.detector.overall).toMatchObject({
      false_alarm_exposure_seconds: 3180,
      mtfa_seconds: 3180,
      true_alarms: 1,
    });
    expect(scored.detector.components.map((component) => component.true_alarms)).toEqual([1, 1]);
  });

  it('a component that never acts in the run has no events and no recall', () => {
    const idle = manifest([{ kind: 'covariate', shape: { type: 'sudden', at: 1 } }]);
    const scored = scoreDetector(idle, [100]);
    expect(scored.detector.components[0]).toMatchObject({ events: [], recall: null, f1: null, mdr: null });
    expect(scored.detector.overall).toMatchObject({ events: 0, false_alarms: 1, mtfa_seconds: 3600 });
  });
});

describe('score: recurring drift, each peak an event', () => {
  // Daily drift over three days from Monday 2026-01-05 00:00, one record a minute: peaks at noon on
  // the 5th, 6th and 7th, onsets at the midnights before them. Tolerance 6 h.
  const daily = manifest([{ kind: 'covariate', shape: { type: 'recurring', period: 'daily' } }], {
    start: '2026-01-05T00:00:00.000Z',
    end: '2026-01-08T00:00:00.000Z',
    rate: 1,
  });
  const alarms = [
    '2026-01-05T08:00:00Z', // 8 h after onset: too late, false
    '2026-01-06T03:00:00Z', // detects the 6th, 3 h
    '2026-01-07T05:00:00Z', // detects the 7th, 5 h
    '2026-01-07T20:00:00Z', // false
  ];

  it('within a tolerance: two of three peaks found', () => {
    const score = scoreDetector(daily, alarms, { tolerance: { seconds: 6 * 3600 } });
    const [cycle] = score.detector.components;
    expect(cycle?.events.map((event) => [event.onset, event.peak, event.delay_seconds])).toEqual([
      ['2026-01-05T00:00:00.000Z', '2026-01-05T12:00:00.000Z', null],
      ['2026-01-06T00:00:00.000Z', '2026-01-06T12:00:00.000Z', 3 * 3600],
      ['2026-01-07T00:00:00.000Z', '2026-01-07T12:00:00.000Z', 5 * 3600],
    ]);
    // Recall 2/3, precision 2/4, F1 = 2 · 0.5 · (2/3) / (7/6) = 4/7; MTD 4 h = 240 records;
    // exposure 72 h − 3 · 6 h = 54 h over 2 false alarms.
    expect(cycle).toMatchObject({
      detected: 2,
      missed: 1,
      recall: 0.666667,
      precision: 0.5,
      f1: 0.571429,
      mtd_seconds: 4 * 3600,
      mtd_records: 240,
      mdr: 0.333333,
      delay_seconds: null,
    });
    expect(score.detector.overall).toMatchObject({ mtfa_seconds: 27 * 3600, false_alarm_exposure_seconds: 54 * 3600 });
    // The fixed baseline fires every 6 h, 12 alarms: 06:00 of each day is true (the window's end),
    // and so are the midnights of the 6th and 7th (onsets); the 8th's midnight is past the last
    // window. Delays 6 h, 0, 0.
    expect(score.baselines.fixed_interval.overall).toMatchObject({ alarms: 12, true_alarms: 5, recall: 1 });
    expect(score.baselines.fixed_interval.overall.mtd_seconds).toBe(2 * 3600);
  });

  it('without a tolerance each window runs to the next cycle', () => {
    const score = scoreDetector(daily, alarms);
    const [cycle] = score.detector.components;
    expect(cycle?.events.map((event) => event.window_end)).toEqual([
      '2026-01-06T00:00:00.000Z',
      '2026-01-07T00:00:00.000Z',
      '2026-01-08T00:00:00.000Z',
    ]);
    // Delays 8 h, 3 h, 5 h (the 20:00 alarm only adds to the 7th's count): MTD 16 h / 3.
    expect(cycle).toMatchObject({ detected: 3, true_alarms: 4, precision: 1, delay_seconds: 8 * 3600 });
    expect(cycle?.mtd_seconds).toBe(19_200);
    expect(cycle?.events[2]?.alarms_in_window).toBe(2);
  });

  it('a run that opens after a peak: that cycle is not an event, its alarms are false', () => {
    const fromEvening = manifest([{ kind: 'covariate', shape: { type: 'recurring', period: 'daily' } }], {
      start: '2026-01-05T18:00:00.000Z',
      end: '2026-01-06T18:00:00.000Z',
      rate: 1,
    });
    const score = scoreDetector(fromEvening, ['2026-01-05T20:00:00Z', '2026-01-06T01:00:00Z']);
    expect(score.detector.components[0]).toMatchObject({
      false_alarms_before_onset: 1,
      detected: 1,
      delay_seconds: 3600,
    });
    expect(score.detector.components[0]?.events.map((event) => event.onset)).toEqual(['2026-01-06T00:00:00.000Z']);
  });

  it.each(['daily', 'weekly'] as const)(
    '%s cycles: onsets are troughs and peaks are peaks of the drift shape',
    (period) => {
      const week = manifest([{ kind: 'covariate', shape: { type: 'recurring', period } }], {
        start: '2026-01-01T00:00:00.000Z',
        end: '2026-01-29T00:00:00.000Z',
        rate: 1,
      });
      const events = scoreDetector(week, []).detector.components[0]?.events ?? [];
      expect(events.length).toBe(period === 'daily' ? 28 : 4);
      const shape = { type: 'recurring', period } as const;
      for (const event of events.slice(1)) expect(shapeValue(shape, 0, Date.parse(event.onset))).toBeCloseTo(0, 9);
      for (const event of events) expect(shapeValue(shape, 0, Date.parse(event.peak ?? ''))).toBeCloseTo(1, 9);
      // The first weekly cycle began on Monday 2025-12-29, before the run: its onset is the run's start.
      if (period === 'weekly') expect(events[0]?.onset).toBe('2026-01-01T00:00:00.000Z');
    },
  );
});

describe('score: bad input', () => {
  const fails = (run: () => DetectorScore, message: string): void => {
    expect(run).toThrow(new DatagenError('INVALID_ARGUMENT', message));
  };

  it('alarms outside the run, or neither a record nor a time, name the value and the run', () => {
    fails(
      () => scoreDetector(suddenAtHalf, [36000]),
      'alarm record 36000 is outside the run (records 0 to 35999, 2026-01-01T00:00:00.000Z to 2026-01-01T01:00:00.000Z)',
    );
    fails(
      () => scoreDetector(suddenAtHalf, ['2025-12-31T23:59:59Z']),
      'alarm 2025-12-31T23:59:59Z is outside the run (2026-01-01T00:00:00.000Z to 2026-01-01T01:00:00.000Z)',
    );
    fails(() => scoreDetector(suddenAtHalf, [1.5]), 'alarm record 1.5 is not a record index (0, 1, 2, …)');
    fails(
      () => scoreDetector(suddenAtHalf, ['soon']),
      "alarm 'soon' is neither a record index nor an ISO-8601 time such as 2026-01-01T00:30:00Z",
    );
    fails(
      () => scoreDetector(suddenAtHalf, [], { controlAlarms: [-1] }),
      'control alarm record -1 is not a record index (0, 1, 2, …)',
    );
  });

  it('a manifest that is not a drift manifest', () => {
    fails(
      () => scoreDetector({ format: 'churn-datagen/report@1' } as unknown as DriftManifest, []),
      `not a churn-datagen drift manifest: format is not ${manifestFormat}`,
    );
    fails(
      () => scoreDetector({ ...suddenAtHalf, components: [] }, []),
      'not a churn-datagen drift manifest: components must be a non-empty list',
    );
  });
});

it('the library exports the scorer', () => {
  expect(library.scoreDetector).toBe(scoreDetector);
});

describe('alarm files', () => {
  it('CSV: a header naming the column; quotes, a BOM and CRLF are fine; header only or empty is no alarm', () => {
    expect(parseAlarms('\uFEFFtimestamp\r\n"2026-01-01T00:30:00Z"\r\n\r\n2026-01-01T00:31:00Z\r\n', 'csv')).toEqual([
      '2026-01-01T00:30:00Z',
      '2026-01-01T00:31:00Z',
    ]);
    expect(parseAlarms('record\n18000\n 300 \n18600.0\n', 'csv')).toEqual([18000, 300, 18600]);
    expect(parseAlarms('record\n', 'csv')).toEqual([]);
    expect(parseAlarms('', 'csv')).toEqual([]);
    expect(parseAlarms('', 'jsonl')).toEqual([]);
  });

  it('JSON Lines: one field per line, record or timestamp, mixed', () => {
    expect(parseAlarms('{"record": 5}\n\n{"timestamp": "2026-01-01T00:30:00Z"}\n', 'jsonl')).toEqual([
      5,
      '2026-01-01T00:30:00Z',
    ]);
  });

  it.each([
    [
      'index\n5\n',
      'csv',
      "unknown column 'index' (an alarm file has one column, timestamp or record, named in a header line)",
    ],
    [
      'record,feature\n5,age\n',
      'csv',
      "unknown column 'feature' (an alarm file has one column, timestamp or record, named in a header line)",
    ],
    [
      'record,timestamp\n5,2026-01-01T00:00:00Z\n',
      'csv',
      'columns record, timestamp: expected one column, timestamp or record',
    ],
    ['record\nfive\n', 'csv', "line 2: record 'five' is not a record index (0, 1, 2, …)"],
    ['record\n1\n18000.5\n', 'csv', "line 3: record '18000.5' is not a record index (0, 1, 2, …)"],
    [
      '{"record": 5, "detector": "adwin"}\n',
      'jsonl',
      "line 1: unknown field 'detector' (expected timestamp or record)",
    ],
    ['{"record": 5}\n{"record": \n', 'jsonl', 'line 2: not JSON'],
    ['[5]\n', 'jsonl', 'line 1: expected an object such as {"record": 1200} or {"timestamp": "2026-01-01T00:30:00Z"}'],
    ['{"record": "5"}\n', 'jsonl', 'line 1: record "5" is not a record index'],
  ] as const)('refuses %j (%s)', (text, format, message) => {
    expect(() => parseAlarms(text, format)).toThrow(new DatagenError('INVALID_ARGUMENT', message));
  });

  it('the format comes from the extension, else from the first character', () => {
    expect(alarmFileFormat('a.CSV', '{')).toBe('csv');
    expect(alarmFileFormat('a.ndjson', 'record')).toBe('jsonl');
    expect(alarmFileFormat('alarms', '  {"record": 1}')).toBe('jsonl');
    expect(alarmFileFormat('alarms', 'record\n1\n')).toBe('csv');
  });
});
