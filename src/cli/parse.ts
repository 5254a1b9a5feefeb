/**
 * Parsing of flag values. Every failure is a UsageError naming the flag and the value as typed,
 * e.g. `--count: expected a positive integer, got '0'`.
 */
import { UsageError } from '../errors.ts';
import type { FileFormat } from '../encoders/index.ts';
import { fileFormats } from '../encoders/index.ts';
import { maxEventTimeMs, minEventTimeMs } from '../core/time.ts';
import type { Shard } from '../core/shard.ts';
import { makeShard } from '../core/shard.ts';

const DECIMAL = /^\+?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export function parsePositiveInteger(flag: string, raw: string, max?: number): number {
  const value = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
  if (max !== undefined && value > max) throw invalid(flag, raw, `a positive integer up to ${max}`);
  if (!Number.isSafeInteger(value) || value <= 0) throw invalid(flag, raw, 'a positive integer');
  return value;
}

/** Seeds are non-negative integers up to 2^53 − 1; 0 is a seed. */
export function parseSeed(flag: string, raw: string): number {
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw invalid(flag, raw, 'a non-negative integer up to 9007199254740991');
  return value;
}

export function parseNonNegativeNumber(flag: string, raw: string, max?: number): number {
  const value = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
  if (max !== undefined && value > max) throw invalid(flag, raw, `a non-negative number up to ${max}`);
  if (!Number.isFinite(value)) throw invalid(flag, raw, 'a non-negative number');
  return value;
}

export function parseUnitInterval(flag: string, raw: string): number {
  const value = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= 0 && value <= 1)) throw invalid(flag, raw, 'a number from 0 to 1');
  return value;
}

/** A share above 0 and at most 1 (a strength, a width). */
export function parsePositiveFraction(flag: string, raw: string): number {
  const value = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
  if (!(value > 0 && value <= 1)) throw invalid(flag, raw, 'a number above 0 and at most 1');
  return value;
}

export function parseDirection(flag: string, raw: string): 1 | -1 {
  if (raw === '1' || raw === '+1' || raw === 'riskier') return 1;
  if (raw === '-1' || raw === 'healthier') return -1;
  throw invalid(flag, raw, '1 (riskier) or -1 (healthier)');
}

/** An ISO-8601 time with a date; a time without a zone is taken as UTC. */
export function parseStart(flag: string, raw: string): number {
  const iso = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(raw) && raw.length > 10;
  const text = raw.length > 10 && !hasZone ? `${raw}Z` : raw;
  const ms = iso.test(raw) ? Date.parse(text.replace(' ', 'T')) : Number.NaN;
  if (!Number.isFinite(ms) || ms < minEventTimeMs || ms > maxEventTimeMs) {
    throw invalid(flag, raw, 'an ISO-8601 time such as 2026-01-01T00:00:00Z (years 1970-9999)');
  }
  return Math.floor(ms);
}

export function parseFormat(flag: string, raw: string): FileFormat {
  const format = fileFormats.find((f) => f === raw.toLowerCase());
  if (format === undefined) throw invalid(flag, raw, `one of ${fileFormats.join(', ')}`);
  return format;
}

function invalid(flag: string, raw: string, expected: string): UsageError {
  return new UsageError(`${flag}: expected ${expected}, got '${raw}'`);
}

/** A number from `min` to `max` (fractions allowed); the message states the range. */
export function parseBoundedNumber(flag: string, raw: string, min: number, max: number): number {
  const value = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) throw invalid(flag, raw, `a number from ${min} to ${max}`);
  return value;
}

/** A positive number; fractions allowed (`--duration 0.5` is 30 seconds). */
export function parsePositiveNumber(flag: string, raw: string, bounds: { min?: number; max?: number } = {}): number {
  const value = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
  const { min, max } = bounds;
  if ((max !== undefined && value > max) || (min !== undefined && value > 0 && value < min)) {
    throw invalid(flag, raw, `a number from ${min ?? 'above 0'} to ${max ?? 'any'}`);
  }
  if (!Number.isFinite(value) || value <= 0) throw invalid(flag, raw, 'a positive number');
  return value;
}

export function parseNonNegativeInteger(flag: string, raw: string, max?: number): number {
  const value = DECIMAL.test(raw) ? Number(raw) : Number.NaN;
  if (max !== undefined && value > max) throw invalid(flag, raw, `a non-negative integer up to ${max}`);
  if (!Number.isSafeInteger(value) || value < 0) throw invalid(flag, raw, 'a non-negative integer');
  return value;
}

/** `k/n`: this process's slice of n, 0-based (`0/4` … `3/4`). */
export function parseShard(flag: string, raw: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(raw);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || !Number.isSafeInteger(count) || count < 1 || index >= count) {
    throw invalid(flag, raw, 'k/n with n ≥ 1 and 0 ≤ k < n, e.g. 0/4');
  }
  return makeShard(index, count);
}
