/**
 * Feature drift (SPEC §2). A drift setting moves every customer's latent health along the
 * three-band scale of profiles.ts: at factor 1 by one whole band, riskier for direction 1
 * (low-risk customers look medium-risk, high-risk ones even worse) and healthier for -1.
 * All features follow from the drifted health, so they drift together and stay consistent.
 */
import { DatagenError } from '../errors.ts';

export const driftDirections = [1, -1] as const;
export type DriftDirection = (typeof driftDirections)[number];

export interface Drift {
  /** 0 (none) … 1 (full); clamped into that range. */
  readonly factor: number;
  /** 1 riskier, -1 healthier. */
  readonly direction: DriftDirection;
}

export const noDrift = { factor: 0, direction: 1 } as const satisfies Drift;

/** Health bands a customer moves at drift factor 1. */
export const driftBandsAtFullFactor = 1;

/**
 * A valid drift setting: factor clamped to [0, 1].
 * @throws {DatagenError} INVALID_ARGUMENT if the factor is not a number or the direction not ±1.
 */
export function makeDrift(factor: number, direction: number = 1): Drift {
  if (typeof factor !== 'number' || Number.isNaN(factor)) {
    throw new DatagenError('INVALID_ARGUMENT', `Drift factor must be a number, got ${String(factor)}.`);
  }
  if (direction !== 1 && direction !== -1) {
    throw new DatagenError('INVALID_ARGUMENT', `Drift direction must be 1 or -1, got ${String(direction)}.`);
  }
  return { factor: Math.min(1, Math.max(0, factor)), direction };
}

/** Signed shift of latent health, in bands; positive means riskier. */
export function healthShiftOf(drift: Drift): number {
  return drift.factor * drift.direction * driftBandsAtFullFactor;
}
