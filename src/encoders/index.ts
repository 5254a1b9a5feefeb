import { createCsvEncoder } from './csv.ts';
import { jsonArrayEncoder, jsonLinesEncoder } from './json.ts';
import type { OptionalField, OutputFormat, RecordEncoder } from './types.ts';
import { outputFormats } from './types.ts';

export { outputFormats };

/** Every format a file or stdout can take: the text encoders' and Parquet (sinks/parquet.ts). */
export const fileFormats = [...outputFormats, 'parquet'] as const;
export type FileFormat = (typeof fileFormats)[number];
export type { OptionalField, OutputFormat, RecordEncoder } from './types.ts';

/** The encoder for a format; `optionalFields` fixes the CSV columns of the run. */
export function createEncoder(format: OutputFormat, optionalFields: readonly OptionalField[] = []): RecordEncoder {
  switch (format) {
    case 'jsonl':
      return jsonLinesEncoder;
    case 'json':
      return jsonArrayEncoder;
    case 'csv':
      return createCsvEncoder(optionalFields);
  }
}

const formatByExtension: Readonly<Record<string, FileFormat>> = {
  '.parquet': 'parquet',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'json',
  '.csv': 'csv',
};

/**
 * Format implied by a file name: by extension; JSON Lines when there is none (e.g. /dev/null);
 * undefined for an extension that names no supported format.
 */
export function formatFromPath(path: string): FileFormat | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return 'jsonl';
  return formatByExtension[name.slice(dot).toLowerCase()];
}
