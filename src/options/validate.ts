/**
 * The library's options, checked once where they come in: every entry point (the generator,
 * batch, parallel batch, stream, drift and lifecycle sources) calls the check of its options type,
 * so a bad value is the same DatagenError INVALID_ARGUMENT, naming the option, whichever way in.
 * The CLI parses its flags into these options; an option refused here reaches its user as the
 * flag it came from (cli/program.ts, flagOfOption).
 */
import { normaliseRiskMix } from '../core/profiles.ts';
import type { RiskMix } from '../core/profiles.ts';
import type { Shard } from '../core/shard.ts';
import { makeShard } from '../core/shard.ts';
import { maxEventTimeMs, minEventTimeMs } from '../core/time.ts';
import { DatagenError } from '../errors.ts';

/** What every generating entry point takes. */
interface CommonOptions {
  seed?: number | undefined;
  riskDistribution?: RiskMix | undefined;
  overlap?: number | undefined;
  shard?: Shard | undefined;
}

export function checkGeneratorOptions(
  options: CommonOptions & {
    start?: Date | number | string | undefined;
    intervalMs?: number | undefined;
    firstIndex?: number | undefined;
  },
): void {
  checkCommon(options);
  if (options.start !== undefined) toEpochMs(options.start);
  if (options.intervalMs !== undefined) checkNonNegative('intervalMs', options.intervalMs);
  if (options.firstIndex !== undefined) checkIndex('firstIndex', options.firstIndex);
}

export function checkBatchOptions(
  options: CommonOptions & { count: number; start: Date | number | string; intervalMs?: number | undefined },
): void {
  checkCommon(options, true);
  checkIndex('count', options.count);
  toEpochMs(options.start);
  if (options.intervalMs !== undefined) checkNonNegative('intervalMs', options.intervalMs);
}

export function checkStreamOptions(
  options: CommonOptions & {
    ratePerMinute?: number | undefined;
    durationMinutes?: number | undefined;
    startMs: number;
  },
): void {
  checkCommon(options, true);
  if (options.ratePerMinute !== undefined) checkPositive('ratePerMinute', options.ratePerMinute);
  // Infinity: until stopped.
  if (options.durationMinutes !== undefined && !(options.durationMinutes > 0))
    throw invalid('durationMinutes', options.durationMinutes, 'a positive number');
  checkStartMs(options.startMs);
}

export function checkLifecycleOptions(
  options: Pick<CommonOptions, 'seed' | 'shard'> & {
    customers?: number | undefined;
    days?: number | undefined;
    speed?: number | undefined;
    startMs: number;
  },
): void {
  checkCommon({ seed: options.seed, shard: options.shard }, true);
  if (options.customers !== undefined) checkPositiveInteger('customers', options.customers);
  if (options.days !== undefined) checkIndex('days', options.days);
  if (options.speed !== undefined) checkPositive('speed', options.speed);
  checkStartMs(options.startMs);
}

/** Epoch milliseconds of a start time; years 1970–9999. */
export function toEpochMs(start: Date | number | string): number {
  const ms = start instanceof Date ? start.getTime() : typeof start === 'number' ? start : Date.parse(start);
  if (!Number.isInteger(ms) || ms < minEventTimeMs || ms > maxEventTimeMs) {
    throw new DatagenError('INVALID_ARGUMENT', `start must be a time between 1970 and 9999, got ${String(start)}.`, {
      option: 'start',
    });
  }
  return ms;
}

// --- internal ---

/** An event time as epoch milliseconds: an integer, years 1970–9999. */
function checkStartMs(startMs: number): void {
  if (!(Number.isInteger(startMs) && startMs >= minEventTimeMs && startMs <= maxEventTimeMs))
    throw invalid('startMs', startMs, 'an integer count of milliseconds since 1970, up to the year 9999');
}

/** The options every generating entry point shares; `seedRequired` where there is no random default. */
function checkCommon(options: CommonOptions, seedRequired = false): void {
  if (seedRequired && options.seed === undefined) throw invalid('seed', undefined, 'a non-negative integer');
  if (options.seed !== undefined && !(Number.isSafeInteger(options.seed) && options.seed >= 0))
    throw invalid('seed', options.seed, 'a non-negative integer up to 2^53 - 1');
  if (options.riskDistribution !== undefined) normaliseRiskMix(options.riskDistribution);
  if (
    options.overlap !== undefined &&
    !(typeof options.overlap === 'number' && options.overlap >= 0 && options.overlap <= 1)
  )
    throw invalid('overlap', options.overlap, 'a number from 0 to 1');
  if (options.shard !== undefined) makeShard(options.shard.index, options.shard.count);
}

/** A count or index: a non-negative safe integer. */
export function checkIndex(name: string, value: number): void {
  if (!(Number.isSafeInteger(value) && value >= 0)) throw invalid(name, value, 'a non-negative integer');
}

/** A size or count that must be at least 1. */
export function checkPositiveInteger(name: string, value: number): void {
  if (!(Number.isSafeInteger(value) && value >= 1)) throw invalid(name, value, 'a positive integer');
}

function checkPositive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) throw invalid(name, value, 'a positive number');
}

function checkNonNegative(name: string, value: number): void {
  if (!(Number.isFinite(value) && value >= 0)) throw invalid(name, value, 'a non-negative number');
}

function invalid(name: string, value: unknown, expected: string): DatagenError {
  return new DatagenError('INVALID_ARGUMENT', `${name} must be ${expected}, got ${String(value)}.`, { option: name });
}
