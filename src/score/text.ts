/** A detector score as a plain-text table: the detector beside the two baselines, metric by metric. */
import type { AlarmsScore, ComponentScore, DetectorScore } from './score.ts';

export function formatScore(score: DetectorScore): string {
  const { run, tolerance, detector, baselines } = score;
  const columns: readonly AlarmsScore[] = [detector, baselines.fixed_interval, baselines.never];
  const header = ['', 'detector', `every ${duration(baselines.fixed_interval.interval_seconds)}`, 'never'];
  const rows: string[][] = [];
  const row = (label: string, cell: (scored: AlarmsScore) => string): void => {
    rows.push([label, ...columns.map(cell)]);
  };
  detector.components.forEach((component, c) => {
    const of = (scored: AlarmsScore): ComponentScore => scored.components[c] as ComponentScore;
    const events = component.events;
    const first = events[0];
    rows.push([
      `${component.kind} (${component.shape}), ${events.length === 0 ? 'no onset in the run' : events.length === 1 ? `onset ${first?.onset ?? ''}` : `${events.length} peaks from ${first?.peak ?? ''}`}`,
    ]);
    if (events.length === 0) return;
    row('  detected', (s) => `${of(s).detected} of ${events.length}`);
    row('  detection delay', (s) =>
      events.length === 1
        ? delay(of(s).delay_seconds, of(s).delay_records)
        : delay(of(s).mtd_seconds, of(s).mtd_records, 'mean '),
    );
    row('  false alarms before onset', (s) => String(of(s).false_alarms_before_onset));
    row('  precision / recall / F1', (s) => `${share(of(s).precision)} / ${share(of(s).recall)} / ${share(of(s).f1)}`);
  });
  rows.push(['all components']);
  row('  alarms (false)', (s) => `${s.overall.alarms} (${s.overall.false_alarms})`);
  row(
    '  precision / recall / F1',
    (s) => `${share(s.overall.precision)} / ${share(s.overall.recall)} / ${share(s.overall.f1)}`,
  );
  row('  MTD', (s) => delay(s.overall.mtd_seconds, s.overall.mtd_records));
  row('  MDR', (s) => share(s.overall.mdr));
  row('  MTFA', (s) => mtfa(s.overall.mtfa_seconds, s.overall.mtfa_records));
  if (detector.control !== null) {
    rows.push(['control stream']);
    row('  false alarms', (s) => String(s.control?.false_alarms ?? 0));
    row('  MTFA', (s) => mtfa(s.control?.mtfa_seconds ?? null, s.control?.mtfa_records ?? null));
  }
  const widths = header.map((_, i) =>
    Math.max(...[header, ...rows].map((cells) => (cells.length > 1 ? (cells[i] ?? '').length : 0))),
  );
  const line = (cells: readonly string[]): string =>
    cells.length === 1
      ? (cells[0] ?? '')
      : cells
          .map((cell, i) => cell.padEnd(widths[i] ?? 0))
          .join('  ')
          .trimEnd();
  const title = `Detector score: seed ${run.seed}, ${run.start} to ${run.end}, ${run.records} records at ${run.rate_per_minute}/min; tolerance ${
    tolerance === null
      ? 'none (each window runs to the end of the run or of its cycle)'
      : `${duration(tolerance.seconds)} (${count(tolerance.records)} records)`
  }`;
  return `${[title, '', line(header), ...rows.map(line)].join('\n')}\n`;
}

// --- internal ---

/** In the largest unit that keeps the number readable: 29.964 s, 10 min, 6 h, 2.5 d. */
function duration(seconds: number): string {
  if (seconds < 120) return `${count(seconds)} s`;
  if (seconds < 7200) return `${count(seconds / 60)} min`;
  if (seconds < 172_800) return `${count(seconds / 3600)} h`;
  return `${count(seconds / 86_400)} d`;
}

function count(value: number): string {
  return String(Number(value.toFixed(3)));
}

function delay(seconds: number | null, records: number | null, prefix = ''): string {
  return seconds === null || records === null ? 'missed' : `${prefix}${duration(seconds)} (${count(records)} records)`;
}

function mtfa(seconds: number | null, records: number | null): string {
  return seconds === null || records === null ? 'no false alarm' : `${duration(seconds)} (${count(records)} records)`;
}

function share(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(3);
}
