/**
 * Sharding: shard k of n owns the customer indices i with i mod n = k. Because record i is a pure
 * function of (seed, i, parameters), n shards together produce exactly the records of one
 * unsharded run, and in timed modes each keeps its own slots of the one global schedule (record i
 * is still due at start + i × interval), so together they hold the asked rate and the drift
 * schedule stays aligned.
 */
import { DatagenError } from '../errors.ts';

export interface Shard {
  /** 0-based: 0 … count − 1. */
  readonly index: number;
  readonly count: number;
}

export const wholeShard = { index: 0, count: 1 } as const satisfies Shard;

/** @throws {DatagenError} INVALID_ARGUMENT unless 0 ≤ index < count. */
export function makeShard(index: number, count: number): Shard {
  if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(index) || index < 0 || index >= count) {
    throw new DatagenError('INVALID_ARGUMENT', `Shard must be k/n with n ≥ 1 and 0 ≤ k < n, got ${index}/${count}.`);
  }
  return { index, count };
}

/** How many of the indices 0 … total − 1 belong to the shard (Infinity stays Infinity). */
export function shardSize(total: number, shard: Shard): number {
  if (total === Infinity) return Infinity;
  return Math.max(0, Math.ceil((total - shard.index) / shard.count));
}

/** The global index of the shard's `position`-th customer. */
export function globalIndex(position: number, shard: Shard): number {
  return shard.index + position * shard.count;
}

/** `k/n`, as the --shard flag takes it. */
export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
