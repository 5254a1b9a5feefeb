/**
 * Risk levels, the mix of levels, the churn-probability cut-offs that define them, the seed's
 * typical ranges per level, and the closed sets of categories and methods.
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

/**
 * The label is the band of the customer's true probability of no order in the next 90 days:
 * low below the first cut-off, medium up to the second, high from it on.
 */
export const churnProbabilityCutoffs = [0.1, 0.5] as const;

export function levelOfChurnProbability(probability: number): RiskLevel {
  return probability < churnProbabilityCutoffs[0]
    ? 'low'
    : probability < churnProbabilityCutoffs[1]
      ? 'medium'
      : 'high';
}

/** [low end, high end] of a feature's typical range in one level. */
export type FeatureRange = readonly [number, number];

/**
 * The seed's typical ranges of the four key features per level (SPEC §1, "Risk profiles"): the
 * centre of each level, where its median and most of its values lie, not a wall.
 */
export const keyFeatureProfiles = {
  order_frequency: { low: [1.5, 4.0], medium: [0.3, 1.5], high: [0.05, 0.3] },
  days_since_last_order: { low: [1, 14], medium: [15, 45], high: [45, 120] },
  email_open_rate: { low: [0.6, 0.95], medium: [0.3, 0.6], high: [0.0, 0.3] },
  cart_abandonment_rate: { low: [0.05, 0.25], medium: [0.35, 0.65], high: [0.7, 0.95] },
} as const satisfies Record<string, Record<RiskLevel, FeatureRange>>;

export type KeyFeature = keyof typeof keyFeatureProfiles;

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
