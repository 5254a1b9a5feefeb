/**
 * Risk levels, the mix of levels, and the seed's feature ranges per level.
 *
 * The model behind the ranges: every customer has a latent *health* on a scale of three bands,
 * 0–1 high risk, 1–2 medium risk, 2–3 low risk (higher is healthier). Within its band a customer
 * sits at a position q in [0, 1]; each key feature maps (band, q) linearly onto that band's
 * range from its worst end (q = 0) to its best end (q = 1). Outside the scale (drift pushes
 * customers past the worst or best end) the outermost band's line is extended and the result is
 * clamped to what the feature can physically be.
 */
import { DatagenError } from '../errors.ts';
import { cumulativeOf } from './distributions.ts';

export const riskLevels = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof riskLevels)[number];

/** Share of each risk level; any non-negative weights, normalised to sum 1 before use. */
export interface RiskMix {
  low: number;
  medium: number;
  high: number;
}

/** The seed's default mix (and the start of the drift scenario). */
export const defaultRiskMix = { low: 0.5, medium: 0.3, high: 0.2 } as const satisfies RiskMix;

/** Band index of each level on the health scale: high = 0 (worst) … low = 2 (best). */
export const healthBand = { high: 0, medium: 1, low: 2 } as const satisfies Record<RiskLevel, number>;
export const levelOfBand: readonly RiskLevel[] = ['high', 'medium', 'low'];

/** [worst end, best end] of a feature's range in one band. */
export type BandRange = readonly [worst: number, best: number];

export interface KeyFeatureProfile {
  /** Ranges indexed by health band: [high, medium, low]. */
  readonly bands: readonly [BandRange, BandRange, BandRange];
  /** What the feature can physically be, whatever the drift. */
  readonly min: number;
  readonly max: number;
}

/** The four features whose per-level ranges the seed states (SPEC §1, "Risk profiles"). */
export const keyFeatureProfiles = {
  order_frequency: {
    bands: [
      [0.05, 0.3],
      [0.3, 1.5],
      [1.5, 4.0],
    ],
    min: 0.01,
    max: 12,
  },
  days_since_last_order: {
    bands: [
      [120, 45],
      [45, 15],
      [14, 1],
    ],
    min: 0,
    max: 3650,
  },
  email_open_rate: {
    bands: [
      [0.0, 0.3],
      [0.3, 0.6],
      [0.6, 0.95],
    ],
    min: 0,
    max: 1,
  },
  cart_abandonment_rate: {
    bands: [
      [0.95, 0.7],
      [0.65, 0.35],
      [0.25, 0.05],
    ],
    min: 0,
    max: 1,
  },
} as const satisfies Record<string, KeyFeatureProfile>;

export type KeyFeature = keyof typeof keyFeatureProfiles;

/**
 * Value of a key feature for a health h on the 0–3 scale (may lie outside it under drift).
 */
export function keyFeatureValue(profile: KeyFeatureProfile, health: number): number {
  const band = health < 1 ? 0 : health < 2 ? 1 : 2;
  const range = profile.bands[band];
  const worst = range[0];
  const value = worst + (health - band) * (range[1] - worst);
  return value < profile.min ? profile.min : value > profile.max ? profile.max : value;
}

export const productCategories = [
  'Electronics',
  'Clothing',
  'Home & Garden',
  'Sports & Outdoors',
  'Books',
  'Beauty',
  'Toys & Games',
  'Grocery',
] as const;
export type ProductCategory = (typeof productCategories)[number];

export const paymentMethods = ['credit_card', 'debit_card', 'paypal', 'bank_transfer'] as const;
export type PaymentMethod = (typeof paymentMethods)[number];

export const shippingMethods = ['standard', 'express', 'next_day', 'pickup'] as const;
export type ShippingMethod = (typeof shippingMethods)[number];

/** How often each category and method is drawn, as cumulative distributions (same order as above). */
export const categoryCumulative = cumulativeOf([0.2, 0.18, 0.14, 0.1, 0.1, 0.1, 0.08, 0.1]);
export const paymentCumulative = cumulativeOf([0.45, 0.25, 0.22, 0.08]);
export const shippingCumulative = cumulativeOf([0.58, 0.25, 0.1, 0.07]);

/**
 * Validates and normalises a mix: every share finite and non-negative, not all zero.
 * `{low: 6, medium: 3, high: 1}` and `{low: .6, medium: .3, high: .1}` mean the same.
 *
 * @throws {DatagenError} INVALID_ARGUMENT when a share is negative or not a number, or all are zero.
 */
export function normaliseRiskMix(mix: RiskMix): RiskMix {
  for (const level of riskLevels) {
    const share = mix[level];
    if (typeof share !== 'number' || !Number.isFinite(share) || share < 0) {
      throw new DatagenError(
        'INVALID_ARGUMENT',
        `Risk share for "${level}" must be a non-negative number, got ${String(share)}.`,
      );
    }
  }
  const total = mix.low + mix.medium + mix.high;
  if (total <= 0) {
    throw new DatagenError('INVALID_ARGUMENT', 'Risk shares must not all be zero.');
  }
  return { low: mix.low / total, medium: mix.medium / total, high: mix.high / total };
}
