import type { CustomerFields } from '../core/customer.ts';
import type { ByteWriter } from './byte-writer.ts';
import type { CustomerRecord } from '../core/schema.ts';

export const outputFormats = ['jsonl', 'json', 'csv'] as const;
export type OutputFormat = (typeof outputFormats)[number];

/** Optional fields a run writes (they become CSV columns; JSON writes them when present). */
export type OptionalField =
  | 'drift_progress'
  | 'drift_phase'
  | 'snapshot_day'
  | 'churned'
  | 'churn_probability'
  | 'predicted_churn_probability'
  | 'predicted_churn';

/**
 * Turns records into text. Output = header + encode(r0, 0) + encode(r1, 1) + … + footer, so a
 * writer can stream any number of records in constant memory.
 */
export interface RecordEncoder {
  readonly format: OutputFormat;
  readonly header: string;
  /** Text for one record; `position` is its 0-based place in this output. */
  encode(record: CustomerRecord, position: number): string;
  /**
   * The fast path: the same bytes as encode(), written into `out`, which has at least
   * maxBytes(record) bytes of room.
   */
  encodeInto?(record: CustomerRecord, position: number, out: ByteWriter): void;
  maxBytes?(record: CustomerRecord): number;
  /**
   * The batch fast path: the bytes of recordOf(fields, customerIdOf(index), formatIsoTimestamp(eventMs)),
   * into `out` with at least maxFieldsBytes (json.ts) of room.
   */
  encodeFieldsInto?(fields: CustomerFields, index: number, eventMs: number, position: number, out: ByteWriter): void;
  readonly footer: string;
}
