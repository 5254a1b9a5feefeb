/**
 * Alarm files: CSV with one column, `timestamp` (ISO-8601 event times) or `record` (0-based record
 * indices), or JSON Lines of `{"timestamp": "…"}` / `{"record": k}`. An empty file, or a CSV with
 * only its header, is a detector that never fired. Pure: the CLI reads the file.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { DatagenError } from '../errors.ts';
import type { DetectorAlarm } from './score.ts';

export const alarmFileFormats = ['csv', 'jsonl'] as const;
export type AlarmFileFormat = (typeof alarmFileFormats)[number];

export const alarmColumns = ['timestamp', 'record'] as const;

/** The format of an alarm file: by extension (.csv; .jsonl, .ndjson, .json), else by its first character. */
export function alarmFileFormat(path: string, text: string): AlarmFileFormat {
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(jsonl|ndjson|json)$/i.test(path)) return 'jsonl';
  return text
    .trimStart()
    .replace(/^\uFEFF/, '')
    .startsWith('{')
    ? 'jsonl'
    : 'csv';
}

/**
 * The alarms in a file's text, in file order.
 * @throws {DatagenError} INVALID_ARGUMENT naming the line and what is wrong with it.
 */
export function parseAlarms(text: string, format: AlarmFileFormat): DetectorAlarm[] {
  return format === 'csv' ? parseCsv(text) : parseJsonLines(text);
}

// --- internal ---

const expected = `one column, ${alarmColumns.join(' or ')}`;

function parseCsv(text: string): DetectorAlarm[] {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, trim: true, info: true }) as unknown as typeof rows;
  } catch (error) {
    if (error instanceof CsvError) throw invalid(`not CSV (${error.message})`);
    throw error;
  }
  const [header, ...values] = rows;
  if (header === undefined) return [];
  const unknown = header.record.find((name) => !(alarmColumns as readonly string[]).includes(name));
  if (unknown !== undefined)
    throw invalid(`unknown column '${unknown}' (an alarm file has ${expected}, named in a header line)`);
  if (header.record.length !== 1) throw invalid(`columns ${header.record.join(', ')}: expected ${expected}`);
  const column = header.record[0] as (typeof alarmColumns)[number];
  return values.map(({ record, info }) => {
    const value = record[0] ?? '';
    return column === 'record' ? recordIndex(value, info.lines) : value;
  });
}

function parseJsonLines(text: string): DetectorAlarm[] {
  const alarms: DetectorAlarm[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw invalid(`line ${i + 1}: not JSON`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw invalid(
          `line ${i + 1}: expected an object such as {"record": 1200} or {"timestamp": "2026-01-01T00:30:00Z"}`,
        );
      const keys = Object.keys(value);
      const unknown = keys.find((key) => !(alarmColumns as readonly string[]).includes(key));
      if (unknown !== undefined)
        throw invalid(`line ${i + 1}: unknown field '${unknown}' (expected ${alarmColumns.join(' or ')})`);
      if (keys.length !== 1) throw invalid(`line ${i + 1}: expected one field, ${alarmColumns.join(' or ')}`);
      const { record, timestamp } = value as { record?: unknown; timestamp?: unknown };
      if (record !== undefined) {
        if (typeof record !== 'number')
          throw invalid(`line ${i + 1}: record ${JSON.stringify(record)} is not a record index`);
        alarms.push(record);
      } else {
        if (typeof timestamp !== 'string')
          throw invalid(`line ${i + 1}: timestamp ${JSON.stringify(timestamp)} is not a string`);
        alarms.push(timestamp);
      }
    });
  return alarms;
}

/** A whole number; `18000.0` too, as pandas writes an integer column that has a missing value. */
function recordIndex(value: string, line: number): number {
  if (!/^\d+(\.0*)?$/.test(value)) throw invalid(`line ${line}: record '${value}' is not a record index (0, 1, 2, …)`);
  return Number(value);
}

function invalid(message: string): DatagenError {
  return new DatagenError('INVALID_ARGUMENT', message);
}
