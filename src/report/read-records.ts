/**
 * The report's input, record by record, in any format the tool writes: JSON Lines (any valid JSON
 * per line: whitespace, key order and extra fields as the writer pleases), CSV with a header row,
 * or Parquet (read one row group at a time). The format is told by the file's extension.
 */
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse';
import { recordFields } from '../core/schema.ts';
import { DatagenError } from '../errors.ts';

export type InputFormat = 'jsonl' | 'csv' | 'parquet';

/** The longest line (or CSV record) accepted, in characters: a record is under 1 KiB, so anything longer is not one. */
export const maxLineLength = 1024 * 1024;

/** A record as read: field name → value (numbers as numbers; the timestamp as text, a Date or ms). */
export type InputRecord = Readonly<Record<string, unknown>>;

/** Visits one record; `where` names it in messages ("line 12", "row 12"). */
export type RecordVisitor = (record: InputRecord, where: string) => void;

export function inputFormatOf(path: string): InputFormat {
  const extension = extname(path).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.parquet') return 'parquet';
  return 'jsonl';
}

/** Calls `visit` for each record of the file; `columns` limits what Parquet decodes. */
export async function eachRecord(path: string, visit: RecordVisitor, columns?: readonly string[]): Promise<void> {
  switch (inputFormatOf(path)) {
    case 'jsonl':
      return eachJsonLine(path, visit, columns?.length === 1 && columns[0] === 'timestamp');
    case 'csv':
      return eachCsvRecord(path, visit);
    case 'parquet':
      return eachParquetRow(path, visit, columns);
  }
}

/** Milliseconds of a timestamp as any of the formats carries it; NaN if it is none. */
export function timeOf(value: unknown): number {
  if (typeof value === 'string') return Date.parse(value);
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return Number.NaN;
}

export function badInput(path: string, where: string, problem: string): DatagenError {
  return new DatagenError(
    'INVALID_ARGUMENT',
    `${path} ${where}: ${problem} (expected customer records as JSON Lines, CSV or Parquet)`,
  );
}

// --- internal ---

async function eachJsonLine(path: string, visit: RecordVisitor, timestampOnly: boolean): Promise<void> {
  let lineNumber = 0;
  const handle = (line: string): void => {
    lineNumber++;
    if (line.trim() === '') return;
    const timestamp = timestampOnly ? plainTimestamp(line) : undefined;
    if (timestamp !== undefined) {
      visit({ timestamp }, `line ${lineNumber}`);
      return;
    }
    if (lineNumber === 1 && line.trim() === '[')
      throw badInput(path, 'line 1', 'a JSON array, not JSON Lines (write it with --format jsonl, csv or parquet)');
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      throw badInput(path, `line ${lineNumber}`, 'not JSON');
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record))
      throw badInput(path, `line ${lineNumber}`, 'not a JSON object');
    visit(record as InputRecord, `line ${lineNumber}`);
  };
  // Lines are split here rather than by readline so that a file without newlines fails at the cap,
  // not when a string outgrows what V8 can hold.
  let pending = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8' }) as AsyncIterable<string>) {
    let from = 0;
    for (let newline = chunk.indexOf('\n'); newline >= 0; newline = chunk.indexOf('\n', from)) {
      if (pending.length + newline - from > maxLineLength) throw tooLong(path, lineNumber + 1);
      const line = pending === '' ? chunk.slice(from, newline) : pending + chunk.slice(from, newline);
      handle(line.endsWith('\r') ? line.slice(0, -1) : line);
      pending = '';
      from = newline + 1;
    }
    if (pending.length + chunk.length - from > maxLineLength) throw tooLong(path, lineNumber + 1);
    pending += chunk.slice(from);
  }
  if (pending !== '') handle(pending.endsWith('\r') ? pending.slice(0, -1) : pending);
}

/**
 * The timestamp of a line that has one `"timestamp"` key with a plain string value, read without
 * parsing the whole line (the first of the report's two passes needs nothing else); undefined when
 * the line is any less simple, and the caller parses it.
 */
function plainTimestamp(line: string): string | undefined {
  const key = '"timestamp"';
  const at = line.indexOf(key);
  if (at < 0 || line.includes(key, at + key.length)) return undefined;
  return /^\s*:\s*"([^"\\]*)"/.exec(line.slice(at + key.length, at + key.length + 64))?.[1];
}

function tooLong(path: string, lineNumber: number): DatagenError {
  return badInput(
    path,
    `line ${lineNumber}`,
    `longer than ${maxLineLength / 1024 / 1024} Mi characters, the most a record may take`,
  );
}

/** Fields read as numbers from CSV text (the rest stay text). */
const numericFields = new Set<string>(
  recordFields.filter((field) => field.kind !== 'string' && field.kind !== 'timestamp').map((field) => field.name),
);

async function eachCsvRecord(path: string, visit: RecordVisitor): Promise<void> {
  const parser = createReadStream(path).pipe(
    parseCsv({
      columns: true,
      bom: true,
      skip_empty_lines: true,
      max_record_size: maxLineLength,
      cast: (value, context) => {
        if (context.header || !numericFields.has(String(context.column))) return value;
        return value === '' ? undefined : Number(value); // an empty cell is an absent optional field
      },
    }),
  );
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<InputRecord>) {
      row++;
      visit(record, `row ${row}`);
    }
  } catch (error) {
    if (error instanceof DatagenError) throw error;
    const { code, lines } = error as { code?: string; lines?: number };
    if (code === 'CSV_MAX_RECORD_SIZE') throw tooLong(path, lines ?? row + 1);
    const reason = error instanceof Error ? error.message.replace(/^Invalid /, 'invalid ') : String(error);
    throw badInput(path, `line ${lines ?? row + 1}`, `not CSV (${reason})`);
  }
}

async function eachParquetRow(path: string, visit: RecordVisitor, columns?: readonly string[]): Promise<void> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } = await import('hyparquet');
  const file = await asyncBufferFromFile(path);
  let where = 'footer';
  try {
    const metadata = await parquetMetadataAsync(file);
    const present = new Set(metadata.schema.map((element) => element.name));
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      const rowEnd = rowStart + Number(group.num_rows);
      where = `rows ${rowStart + 1}-${rowEnd}`;
      const rows = await parquetReadObjects({
        file,
        metadata,
        rowStart,
        rowEnd,
        columns: columns === undefined ? undefined : columns.filter((name) => present.has(name)),
      });
      rows.forEach((row, i) => visit(row as InputRecord, `row ${rowStart + i + 1}`));
      rowStart = rowEnd;
    }
  } catch (error) {
    if (error instanceof DatagenError) throw error;
    throw badInput(path, where, `not readable as Parquet (${error instanceof Error ? error.message : String(error)})`);
  }
}
