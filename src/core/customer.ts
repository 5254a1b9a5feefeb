/**
 * One customer record from (seed, index, parameters): the heart of the generator. Pure and
 * allocation-light; see profiles.ts for the health-band model and drift.ts for drift.
 *
 * How the fields hang together:
 * - label → health band; with probability `overlap` the behaviour comes from a neighbouring band
 *   (the label stays), and 1% of key-feature values are unusual (anywhere on the scale);
 * - the four key features share the customer's position in the band plus their own noise, so
 *   they move together without being copies of each other;
 * - tenure = recency + active span; orders = frequency × tenure; revenue = orders × order value;
 *   visits follow frequency and health, product views follow visits;
 * - tickets, returns, refunds and failed payments rise with frailty (1 − health) and are drawn as
 *   binomials of their totals, so open ≤ total and returns, refunds ≤ orders hold by construction.
 *
 * The stream layout puts every fixed-size draw first and the variable-size count draws last, so
 * two records with the same (seed, index) share their latent draws whatever the label or drift.
 */
import { binomial, clamp, normalOf, pickCumulativeAt, poisson, reflectUnit, roundTo } from './distributions.ts';
import type { Drift } from './drift.ts';
import type { CovariateScales } from './drift-schedule.ts';
import { noCovariateShift } from './drift-schedule.ts';
import { healthShiftOf } from './drift.ts';
import type { KeyFeatureProfile, RiskLevel, RiskMix } from './profiles.ts';
import {
  healthBand,
  levelOfBand,
  keyFeatureProfiles,
  keyFeatureValue,
  categoryCumulative,
  paymentCumulative,
  paymentMethods,
  productCategories,
  shippingCumulative,
  shippingMethods,
} from './profiles.ts';
import type { CounterRng } from './random.ts';
import { streamDomains } from './random.ts';
import type { CustomerRecord, DriftPhase } from './schema.ts';
import { formatIsoTimestamp } from './time.ts';

/** What shapes a record besides its seed and index. */
export interface GenerationParams {
  /** Normalised mix the label is drawn from when `level` is not given. */
  readonly mix: RiskMix;
  /** Forces the label. */
  readonly level?: RiskLevel | undefined;
  readonly drift: Drift;
  /** Share of customers behaving like a neighbouring risk band (label noise), 0..1. */
  readonly overlap: number;
  /** Written as `drift_progress` when a drift schedule is active. */
  readonly driftProgress?: number | undefined;
  /** Written as `drift_phase` when a drift schedule is active. */
  readonly driftPhase?: DriftPhase | undefined;
  /** Concept drift: bands the label boundaries move (positive: the same behaviour is labelled riskier). */
  readonly conceptShift?: number | undefined;
  /** Covariate drift: multipliers of label-independent drivers. */
  readonly covariate?: CovariateScales | undefined;
}

/** Default share of customers whose behaviour comes from a neighbouring band. */
export const defaultOverlap = 0.02;
/** Share of key-feature values drawn from anywhere on the health scale ("unusual customers"). */
export const unusualValueRate = 0.01;
/** Spread of each key feature around the customer's position within the band. */
const keyFeatureNoise = 0.18;
const DAYS_PER_MONTH = 30.44;

/** `cust_00000042`: stable for a customer index, and sorts by index up to 10^8 customers. */
export function customerIdOf(index: number): string {
  // Zero-padding by adding 10^8 and dropping the leading 1 is several times cheaper than padStart.
  return index < 1e8 ? `cust_${String(index + 1e8).slice(1)}` : `cust_${index}`;
}

/**
 * A record without its two texts, customer_id and timestamp, which follow from the index and the
 * event time. Batch output writes those straight from the numbers: making them as strings first
 * cost a quarter of the whole run.
 */
export type CustomerFields = Omit<CustomerRecord, 'customer_id' | 'timestamp'>;

/** A fields object to fill and reuse (all properties present, so its shape never changes). */
export function newCustomerFields(): CustomerFields {
  return {
    true_risk_level: 'low',
    drift_progress: undefined,
    drift_phase: undefined,
    snapshot_day: undefined,
    customer_age_days: 0,
    account_age_days: 0,
    days_since_last_order: 0,
    total_orders: 0,
    total_revenue: 0,
    avg_order_value: 0,
    order_frequency: 0,
    website_visits_30d: 0,
    email_open_rate: 0,
    cart_abandonment_rate: 0,
    product_views_30d: 0,
    support_tickets_total: 0,
    support_tickets_open: 0,
    returns_count: 0,
    refunds_count: 0,
    favorite_category: 'Electronics',
    discount_usage_rate: 0,
    premium_product_rate: 0,
    payment_method: 'credit_card',
    shipping_method: 'standard',
    failed_payment_count: 0,
  };
}

/**
 * Generates the record at `index` of the stream keyed by `seed`.
 * `rng` is scratch state, reset here; pass one instance per thread and reuse it.
 */
export function generateCustomerRecord(
  rng: CounterRng,
  seed: number,
  index: number,
  eventTimeMs: number,
  params: GenerationParams,
): CustomerRecord {
  generateCustomerFields(rng, seed, index, params, scratchFields);
  return recordOf(scratchFields, customerIdOf(index), formatIsoTimestamp(eventTimeMs));
}

/** The whole record from its fields and texts, in schema order. */
export function recordOf(f: CustomerFields, customerId: string, timestamp: string): CustomerRecord {
  return {
    customer_id: customerId,
    true_risk_level: f.true_risk_level,
    timestamp,
    drift_progress: f.drift_progress,
    drift_phase: f.drift_phase,
    snapshot_day: f.snapshot_day,
    customer_age_days: f.customer_age_days,
    account_age_days: f.account_age_days,
    days_since_last_order: f.days_since_last_order,
    total_orders: f.total_orders,
    total_revenue: f.total_revenue,
    avg_order_value: f.avg_order_value,
    order_frequency: f.order_frequency,
    website_visits_30d: f.website_visits_30d,
    email_open_rate: f.email_open_rate,
    cart_abandonment_rate: f.cart_abandonment_rate,
    product_views_30d: f.product_views_30d,
    support_tickets_total: f.support_tickets_total,
    support_tickets_open: f.support_tickets_open,
    returns_count: f.returns_count,
    refunds_count: f.refunds_count,
    favorite_category: f.favorite_category,
    discount_usage_rate: f.discount_usage_rate,
    premium_product_rate: f.premium_product_rate,
    payment_method: f.payment_method,
    shipping_method: f.shipping_method,
    failed_payment_count: f.failed_payment_count,
  };
}

/** Fills `out` with the fields of the record at `index` (see generateCustomerRecord). */
export function generateCustomerFields(
  rng: CounterRng,
  seed: number,
  index: number,
  params: GenerationParams,
  out: CustomerFields,
): void {
  rng.reset(seed, streamDomains.customer, index);
  const { mix } = params;

  // --- fixed-size draws: label, band, position, key features, mix-free attributes ---
  // Drawn together into an array, and the normal ones transformed in one loop: called one by one
  // they were too many for V8 to inline, and every uniform returned from a call was a new heap
  // number (~700 bytes of garbage a record).
  const u = fixedDraws;
  rng.fill(u);
  for (let i = 0; i < NORMAL_DRAWS.length; i++) {
    const at = NORMAL_DRAWS[i] as number;
    u[at] = normalOf(u[at] as number);
  }
  const labelDraw = u[D.label] as number;
  // The band as a number first: looking it up by the level's name is a slow (megamorphic) keyed load.
  const drawnBand =
    params.level !== undefined
      ? healthBand[params.level]
      : labelDraw < mix.low
        ? 2
        : labelDraw < mix.low + mix.medium
          ? 1
          : 0;
  const drawnLevel = levelOfBand[drawnBand] as RiskLevel;
  let band: number = drawnBand;
  if ((u[D.overlap] as number) < params.overlap) band = band === 1 ? ((u[D.side] as number) < 0.5 ? 0 : 2) : 1;
  const position = ((u[D.position] as number) + (u[D.position + 1] as number)) / 2;
  const level = params.conceptShift ? conceptLabel(drawnLevel, position, params.conceptShift) : drawnLevel;
  const covariate = params.covariate ?? noCovariateShift;
  const shift = healthShiftOf(params.drift);
  const health = band + position - shift;
  const vitality = health / 3; // ~0 (worst) … ~1 (best), beyond under drift
  const frailty = clamp(1 - vitality, 0, 4 / 3);

  // Each key feature from the health behind it: the band position plus the feature's own noise,
  // or, rarely, an unusual value from anywhere on the scale (3 draws each: noise, whether unusual,
  // where). One loop, so that V8 inlines its calls once.
  const keyValue = keyValues;
  for (let k = 0; k < KEY_FEATURES.length; k++) {
    const at = D.keyFeatures + 3 * k;
    const noise = (u[at] as number) * keyFeatureNoise;
    const unusual = (u[at + 1] as number) < unusualValueRate;
    const keyHealth = unusual ? (u[at + 2] as number) * 3 : band + reflectUnit(position + noise);
    keyValue[k] = keyFeatureValue(KEY_FEATURES[k] as KeyFeatureProfile, keyHealth - shift);
  }
  const orderFrequency = roundTo(keyValue[0] as number, 1000);
  const daysSinceLastOrder = Math.round(keyValue[1] as number);
  const emailOpenRate = roundTo(keyValue[2] as number, 10000);
  const cartAbandonmentRate = roundTo(keyValue[3] as number, 10000);

  const loyalty = clamp(vitality, 0, 1.2);
  // Log-normal: median 300 × (0.6 + loyalty) days, log-space spread 0.7.
  const activeDays = clamp(300 * (0.6 + loyalty) * Math.exp(0.7 * (u[D.activeDays] as number)), 7, 3650);
  const customerAgeDays = Math.round(daysSinceLastOrder + activeDays);
  const hasAccountGap = (u[D.accountGap] as number) >= 0.55; // most customers order on the day they sign up
  const accountGapDays = hasAccountGap
    ? Math.floor(-Math.log(1 - (u[D.gapLength] as number)) * 25 * covariate.signupGap)
    : 0;
  const premiumRate = roundTo(clamp(0.05 + 0.45 * loyalty + 0.1 * (u[D.premium] as number), 0, 1), 10000);
  const discountRate = roundTo(clamp(0.08 + 0.55 * frailty + 0.1 * (u[D.discount] as number), 0, 1), 10000);
  // Log-normal: median 40 × (1 + 1.2 × premium rate), log-space spread 0.35.
  const orderValue = 40 * (1 + 1.2 * premiumRate) * Math.exp(0.35 * (u[D.orderValue] as number)) * covariate.orderValue;
  const orderValueCents = Math.round(clamp(orderValue, 5, 1500) * 100);
  const visitNoise = noiseFactor(u[D.visits] as number, 0.25);
  const viewsPerVisit = 4 * noiseFactor(u[D.viewsPerVisit] as number, 0.3) * covariate.viewsPerVisit;
  const category =
    productCategories[pickCumulativeAt(u[D.category] as number, categoryCumulative)] ?? productCategories[0];
  const payment = paymentMethods[pickCumulativeAt(u[D.payment] as number, paymentCumulative)] ?? paymentMethods[0];
  const shipping = shippingMethods[pickCumulativeAt(u[D.shipping] as number, shippingCumulative)] ?? shippingMethods[0];

  // --- variable-size draws: counts ---
  const totalOrders = Math.max(1, Math.round((orderFrequency * customerAgeDays) / DAYS_PER_MONTH));
  const websiteVisits = poisson(rng, (2 + 2.5 * orderFrequency + 16 * loyalty) * visitNoise);
  const productViews = poisson(rng, websiteVisits * viewsPerVisit);
  const ticketYears = Math.min(customerAgeDays, 1095) / 365;
  const ticketsTotal = poisson(rng, (0.3 + 5 * frailty * Math.sqrt(frailty)) * ticketYears);
  const ticketsOpen = binomial(rng, ticketsTotal, clamp(0.04 + 0.3 * frailty, 0, 0.8));
  const returns = binomial(rng, totalOrders, clamp(0.02 + 0.12 * frailty, 0, 0.5));
  const refunds = binomial(rng, returns, 0.7) + binomial(rng, totalOrders - returns, 0.004 + 0.02 * frailty);
  const failedPayments = poisson(rng, totalOrders * (0.005 + 0.03 * frailty) + 1.2 * frailty * frailty);

  out.true_risk_level = level;
  out.drift_progress = params.driftProgress;
  out.drift_phase = params.driftPhase;
  out.snapshot_day = undefined;
  out.customer_age_days = customerAgeDays;
  out.account_age_days = customerAgeDays + accountGapDays;
  out.days_since_last_order = daysSinceLastOrder;
  out.total_orders = totalOrders;
  out.total_revenue = (totalOrders * orderValueCents) / 100;
  out.avg_order_value = orderValueCents / 100;
  out.order_frequency = orderFrequency;
  out.website_visits_30d = websiteVisits;
  out.email_open_rate = emailOpenRate;
  out.cart_abandonment_rate = cartAbandonmentRate;
  out.product_views_30d = productViews;
  out.support_tickets_total = ticketsTotal;
  out.support_tickets_open = ticketsOpen;
  out.returns_count = returns;
  out.refunds_count = refunds;
  out.favorite_category = category;
  out.discount_usage_rate = discountRate;
  out.premium_product_rate = premiumRate;
  out.payment_method = payment;
  out.shipping_method = shipping;
  out.failed_payment_count = failedPayments;
}

// --- internal ---

const scratchFields = newCustomerFields();

/**
 * Concept drift's label: the label boundaries move by `shift` bands along the health scale, so a
 * customer whose health (label band + position) falls past a moved boundary carries the
 * neighbouring label. The features are untouched.
 */
function conceptLabel(level: RiskLevel, position: number, shift: number): RiskLevel {
  const labelHealth = healthBand[level] + position - shift;
  const band = labelHealth < 1 ? 0 : labelHealth < 2 ? 1 : 2;
  return levelOfBand[band] ?? level;
}

/**
 * A multiplicative noise factor around 1 from a standard normal (cheaper than a log-normal where
 * tails do not matter).
 */
function noiseFactor(normal: number, spread: number): number {
  return clamp(1 + spread * normal, 0.25, 3);
}

/**
 * Where each fixed-size draw sits in a record's stream (and in `fixedDraws`). The order is the
 * stream layout of algorithm cdg-rng-1 and must not change.
 */
const D = {
  label: 0,
  overlap: 1,
  side: 2,
  /** Two uniforms, averaged. */
  position: 3,
  /**
   * Three per key feature (order frequency, days since last order, email open rate, cart
   * abandonment): normal noise, whether unusual, where.
   */
  keyFeatures: 5,
  activeDays: 17,
  accountGap: 18,
  gapLength: 19,
  premium: 20,
  discount: 21,
  orderValue: 22,
  visits: 23,
  viewsPerVisit: 24,
  category: 25,
  payment: 26,
  shipping: 27,
} as const;
const FIXED_DRAWS = 28;
/** The draws used as standard normals (inverse CDF of the uniform). */
const NORMAL_DRAWS = Int32Array.of(
  D.keyFeatures,
  D.keyFeatures + 3,
  D.keyFeatures + 6,
  D.keyFeatures + 9,
  D.activeDays,
  D.premium,
  D.discount,
  D.orderValue,
  D.visits,
  D.viewsPerVisit,
);
const fixedDraws = new Float64Array(FIXED_DRAWS);
/** The key features in stream order. */
const KEY_FEATURES: readonly KeyFeatureProfile[] = [
  keyFeatureProfiles.order_frequency,
  keyFeatureProfiles.days_since_last_order,
  keyFeatureProfiles.email_open_rate,
  keyFeatureProfiles.cart_abandonment_rate,
];
const keyValues = new Float64Array(KEY_FEATURES.length);
