/**
 * One customer record from (seed, index, parameters): a customer of the behavioural model
 * (behaviour.ts, docs/model.md) observed at the record's event time.
 *
 * The label comes first: a risk level is drawn from the mix (or given), then a latent state
 * inside that level's band of churn probability (the probability of no purchase in the next 90
 * days). Every feature is then an observed statistic of that customer's own history: recency,
 * counts and frequency from its purchase process, email opens, visits, carts, tickets, returns
 * and payments from processes driven by its own traits and by how engaged it still is.
 *
 * The stream layout puts every fixed-size draw first and the variable-size count draws last, so
 * two records with the same (seed, index) share their latent draws whatever the label mix or
 * drift (the paired control stream relies on it).
 */
import {
  DAYS_PER_MONTH,
  churnHorizonDays,
  cumulativePurchases,
  cumulativePurchasesAt,
  engagedDaysTo,
  engagementAt,
  forwardForPurchases,
  lookbackForPurchases,
  positionWithFuturePurchases,
  purchasePath,
} from './behaviour.ts';
import type { PurchasePath } from './behaviour.ts';
import { binomial, clamp, normalOf, pickCumulativeAt, poisson, roundTo } from './distributions.ts';
import type { Drift } from './drift.ts';
import type { CovariateScales, DriftEffects } from './drift-schedule.ts';
import { noCovariateShift } from './drift-schedule.ts';
import { healthShiftOf } from './drift.ts';
import type { RiskLevel, RiskMix } from './profiles.ts';
import {
  categoryCumulative,
  churnProbabilityCutoffs,
  levelOfChurnProbability,
  paymentCumulative,
  paymentMethods,
  productCategories,
  shippingCumulative,
  shippingMethods,
} from './profiles.ts';
import type { CounterRng } from './random.ts';
import { streamDomains } from './random.ts';
import type { CustomerRecord, DriftPhase } from './schema.ts';

/**
 * Version of the customer model's seeded output (with the random streams' rngAlgorithm): changes
 * whenever the same (seed, index, parameters) would give another record.
 */
export const modelVersion = 'cdg-behaviour-2';

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
  /**
   * Concept drift, signed strength: the churn process after the observation changes (positive:
   * fewer future purchases for the same history), so the same behaviour carries a riskier label.
   */
  readonly conceptShift?: number | undefined;
  /** Covariate drift: multipliers of label-independent drivers. */
  readonly covariate?: CovariateScales | undefined;
  /** Adds `churned` and `churn_probability` (the outcome and the probability the label is banded from). */
  readonly withOutcome?: boolean | undefined;
  /** Adds `predicted_churn_probability` and `predicted_churn`: the model of the run's start (see schema.ts). */
  readonly withPrediction?: boolean | undefined;
}

/** Default share of customers whose behaviour comes from a neighbouring risk level (label noise): none. */
export const defaultOverlap = 0;

/** `cust_00000042`: stable for a customer index, and sorts by index up to 10^8 customers. */
export function customerIdOf(index: number): string {
  // Zero-padding by adding 10^8 and dropping the leading 1 beats padStart (bench/micro.mjs: customer-id).
  return index < 1e8 ? `cust_${String(index + 1e8).slice(1)}` : `cust_${index}`;
}

/**
 * A record without its two texts, customer_id and timestamp, which follow from the index and the
 * event time. Batch output writes those straight from the numbers instead of making strings.
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
    churned: undefined,
    churn_probability: undefined,
    predicted_churn_probability: undefined,
    predicted_churn: undefined,
  };
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
    churned: f.churned,
    churn_probability: f.churn_probability,
    predicted_churn_probability: f.predicted_churn_probability,
    predicted_churn: f.predicted_churn,
  };
}

/** A customer's latent traits, drawn from the population (docs/model.md, "Traits"). */
export interface CustomerTraits {
  readonly path: PurchasePath;
  /** Email: open probability when engaged, and its own decline (steepness, offset from the onset in days). */
  readonly emailAffinity: number;
  readonly emailSteepness: number;
  readonly emailOffset: number;
  /** Site visits a day when engaged, and their decline. */
  readonly browsing: number;
  readonly visitSteepness: number;
  readonly visitOffset: number;
  readonly viewsPerVisit: number;
  /** Abandoned carts a day per unit of browsing. */
  readonly cartHabit: number;
  /** Service friction: scales tickets, returns and failed payments. */
  readonly friction: number;
  /** Mean order value (money) and the propensities behind premium and discount shares. */
  readonly spend: number;
  readonly premiumPropensity: number;
  readonly discountPropensity: number;
}

/**
 * The observable history of a customer at an observation: what the purchase process left behind.
 * Batch draws it in closed form; lifecycle accumulates it week by week.
 */
export interface PurchaseHistory {
  /** Days since the first order (integer, ≥ 1). */
  readonly tenureDays: number;
  /** Days since the last order (continuous, ≤ tenure). */
  readonly recencyDays: number;
  /** Lifetime orders, the first included (≥ 1). */
  readonly orders: number;
  /** Orders within the frequency window (min(180, tenure) days). */
  readonly windowOrders: number;
}

/** Days of the order-frequency window, at most (SPEC §1b). */
export const frequencyWindowDays = 180;

/**
 * What happens after the observation, beyond the record: the days until the customer's next order
 * (Infinity: none within the churn horizon, or none ever). Filled on request, for the delayed
 * outcome stream.
 */
export interface CustomerFuture {
  nextOrderDays: number;
}

/**
 * Fills `out` with the fields of the customer at `index` of the stream keyed by `seed`, and
 * `future` when given. `rng` is scratch state, reset here (RecordSource holds one per thread).
 */
export function generateCustomerFields(
  rng: CounterRng,
  seed: number,
  index: number,
  params: GenerationParams,
  out: CustomerFields,
  future?: CustomerFuture,
): void {
  rng.reset(seed, streamDomains.customer, index);
  const u = fixedDraws;
  fillFixedDraws(rng, u);
  const { mix } = params;
  const labelDraw = u[D.label] as number;
  const drawnLevel: RiskLevel =
    params.level ?? (labelDraw < mix.low ? 'low' : labelDraw < mix.low + mix.medium ? 'medium' : 'high');
  // Label noise (--overlap): the behaviour comes from a neighbouring level, the label stays.
  let behaviourLevel = drawnLevel;
  if ((u[D.overlap] as number) < params.overlap) {
    behaviourLevel = drawnLevel === 'medium' ? ((u[D.side] as number) < 0.5 ? 'low' : 'high') : 'medium';
  }
  // Class-conditional drift moves the traits a level is drawn with (positive: riskier-looking).
  const shift = healthShiftOf(params.drift);
  const covariate = params.covariate ?? noCovariateShift;
  const state = drawStateInBand(rng, u, behaviourLevel, shift);
  const { path, x } = state;
  const traits = traitsOf(u, path, shift, covariate);

  const tenure = tenureOf(path, x, u[D.tenure] as number);
  const windows = trailingWindows(path.steepness, x, tenure);
  const upToX = cumulativePurchasesAt(path, x, windows.atX);

  // Concept drift: the future purchases of the same history change (all by one factor); the
  // label follows.
  const futureScale = params.conceptShift ? Math.exp(-conceptScale * params.conceptShift) : 1;
  const baseProbability = Math.exp(upToX - cumulativePurchases(path, x + churnHorizonDays));
  const probability = futureScale === 1 ? baseProbability : baseProbability ** futureScale;
  // The drawn label, except that concept drift relabels a customer drawn without label noise.
  const level =
    params.conceptShift && behaviourLevel === drawnLevel ? levelOfChurnProbability(probability) : drawnLevel;

  const history = drawPurchaseHistory(rng, path, windows, -Math.log(1 - (u[D.recency] as number)));
  const accountGapDays = accountGapOf(u, covariate);
  observe(rng, traits, windows, history, accountGapDays, u[D.orderValue] as number, out);
  out.true_risk_level = level;
  out.drift_progress = params.driftProgress;
  out.drift_phase = params.driftPhase;
  out.snapshot_day = undefined;
  chooseClosedSets(u, out);
  if (future !== undefined)
    future.nextOrderDays = nextOrderDays(path, x, upToX, futureScale, u[D.outcome] as number, probability);
  if (params.withOutcome) {
    out.churned = (u[D.outcome] as number) < probability;
    out.churn_probability = roundTo(probability, 10000);
  } else {
    out.churned = undefined;
    out.churn_probability = undefined;
  }
  setPrediction(out, params.withPrediction === true ? baseProbability : undefined);
}

/**
 * The days from the observation to the next order, from the same uniform draw that decides
 * `churned` (churned ⇔ draw < P(no order in the horizon)): the first order of a Poisson process
 * comes after t with probability e^(−Λ(t)), so t = Λ⁻¹(−ln draw) and t > horizon exactly when the
 * customer churned. Clamped to agree with that verdict where floating point could disagree.
 */
function nextOrderDays(
  path: PurchasePath,
  x: number,
  upToX: number,
  futureScale: number,
  draw: number,
  probability: number,
): number {
  const days = forwardForPurchases(path, x, -Math.log(draw) / futureScale, upToX);
  const churned = draw < probability;
  if (churned) return days > churnHorizonDays ? days : churnHorizonDays + 1e-6;
  return Math.min(days, churnHorizonDays);
}

/**
 * G, the engagement integral (behaviour.ts engagedDaysTo), at the ends of the trailing windows an
 * observation at x uses: each computed once and shared by the purchase history and the features.
 */
export interface TrailingWindows {
  readonly x: number;
  /** Days since the first order, and the frequency window min(180, tenure). */
  readonly tenure: number;
  readonly window: number;
  /** G at x, and at the start of the frequency window and of the tenure. */
  readonly atX: number;
  readonly atWindow: number;
  readonly atTenure: number;
  /** The mean engagement over the last 30 and 90 days (each at most the tenure). */
  readonly engaged30: number;
  readonly engaged90: number;
}

/** The trailing windows of an observation at x of a customer with the given tenure. */
export function trailingWindows(steepness: number, x: number, tenure: number): TrailingWindows {
  const window = Math.min(frequencyWindowDays, tenure);
  const atTenure = engagedDaysTo(steepness, x - tenure);
  const atWindow = window === tenure ? atTenure : engagedDaysTo(steepness, x - window);
  const atX = engagedDaysTo(steepness, x);
  const at90 = tenure <= 90 ? atTenure : engagedDaysTo(steepness, x - 90);
  const at30 = tenure <= 30 ? atTenure : engagedDaysTo(steepness, x - 30);
  return {
    x,
    tenure,
    window,
    atX,
    atWindow,
    atTenure,
    engaged30: (atX - at30) / Math.min(30, tenure),
    engaged90: (atX - at90) / Math.min(90, tenure),
  };
}

/**
 * The record's features from a customer's traits, trailing windows and purchase history (used by
 * batch and by lifecycle snapshots alike). Draws the count variables from `rng`.
 */
export function observe(
  rng: CounterRng,
  traits: CustomerTraits,
  windows: TrailingWindows,
  history: PurchaseHistory,
  accountGapDays: number,
  orderValueNoise: number,
  out: CustomerFields,
): void {
  const { x, tenure, window } = windows;
  const orders = history.orders;
  // Engagement (how much of the base rate is left) averaged over the windows the fields observe.
  const engagedWindow = (windows.atX - windows.atWindow) / window;
  const { engaged30, engaged90 } = windows;

  // Order value: the average of `orders` orders around the customer's mean spend.
  const spread = orderSpread / Math.sqrt(orders);
  const orderValueCents = Math.round(
    clamp(traits.spend * Math.exp(spread * orderValueNoise - (spread * spread) / 2), 1, 5000) * 100,
  );

  // Email: sent at a steady cadence over the last 90 days of the account, opened with the
  // customer's affinity while its own engagement lasts (its decline, at the window's middle).
  const accountAge = tenure + accountGapDays;
  const sent = poisson(rng, (emailsPer90Days * Math.min(90, accountAge)) / 90);
  const emailEngaged = emailFloor + (1 - emailFloor) * engagementAt(traits.emailSteepness, x - traits.emailOffset - 45);
  const opened = binomial(rng, sent, traits.emailAffinity * emailEngaged);

  // Visits fade after purchases do (people still look), to a floor.
  const visitEngaged30 =
    visitFloor +
    (1 - visitFloor) * engagementAt(traits.visitSteepness, x - traits.visitOffset - Math.min(30, tenure) / 2);
  const visitEngagedWindow =
    visitFloor + (1 - visitFloor) * engagementAt(traits.visitSteepness, x - traits.visitOffset - window / 2);
  const visits = poisson(rng, traits.browsing * Math.min(30, accountAge) * visitEngaged30);
  const views = poisson(rng, visits * traits.viewsPerVisit);

  // Carts over the frequency window: the orders, plus abandoned carts, which grow as buying fades.
  const abandoned = poisson(
    rng,
    traits.cartHabit * window * visitEngagedWindow * (1 + abandonmentWhenDisengaged * (1 - engagedWindow)),
  );
  const carts = abandoned + history.windowOrders;

  // Support: a background rate, a share of orders, and complaints while disengaging.
  const disengagedDays = tenure - (windows.atX - windows.atTenure);
  const tickets = poisson(rng, expectedTickets(traits.friction, tenure, orders, disengagedDays));
  const open = binomial(rng, tickets, openTicketShare(engaged30));
  const returns = binomial(rng, orders, returnShare(traits.friction, engagedWindow));
  const refunds = drawRefunds(rng, orders, returns);
  const failed = poisson(rng, traits.friction * (0.006 * orders + (1 - engaged90) * (1 - engaged90)));
  const premium = binomial(rng, orders, traits.premiumPropensity * (0.6 + 0.4 * engagedWindow));
  const discounted = binomial(rng, orders, clamp(traits.discountPropensity + 0.35 * (1 - engagedWindow), 0, 0.95));

  out.customer_age_days = tenure;
  out.account_age_days = accountAge;
  out.days_since_last_order = Math.min(tenure, Math.round(history.recencyDays));
  out.total_orders = orders;
  out.total_revenue = (orders * orderValueCents) / 100;
  out.avg_order_value = orderValueCents / 100;
  out.order_frequency = roundTo(history.windowOrders / (window / DAYS_PER_MONTH), 1000);
  out.website_visits_30d = visits;
  out.email_open_rate = sent > 0 ? roundTo(opened / sent, 10000) : 0;
  out.cart_abandonment_rate = carts > 0 ? roundTo(abandoned / carts, 10000) : 0;
  out.product_views_30d = views;
  out.support_tickets_total = tickets;
  out.support_tickets_open = open;
  out.returns_count = returns;
  out.refunds_count = refunds;
  out.discount_usage_rate = roundTo(discounted / orders, 10000);
  out.premium_product_rate = roundTo(premium / orders, 10000);
  out.failed_payment_count = failed;
}

/**
 * Days since the first order at position x: a log-normal draw, lengthened where needed so that a
 * churned customer ordered at least once before its churn.
 */
export function tenureOf(path: PurchasePath, x: number, tenureNormal: number): number {
  const tenure = Math.round(clamp(medianTenureDays * Math.exp(tenureSpread * tenureNormal), 1, 3650));
  const sinceChurn = x - path.churnAt;
  return tenure <= sinceChurn ? Math.ceil(sinceChurn) + 1 : tenure;
}

/**
 * The purchase history in closed form: the first order `tenure` days before x, then a Poisson
 * process on the customer's path. The time since the last order is found by inverting the
 * expected purchases at an exponential draw; the orders before it, inside and outside the
 * frequency window, are Poisson counts of what the path expects there.
 */
export function drawPurchaseHistory(
  rng: CounterRng,
  path: PurchasePath,
  windows: TrailingWindows,
  recencyExponential: number,
): PurchaseHistory {
  const { x, tenure, window } = windows;
  const firstInWindow = tenure <= frequencyWindowDays ? 1 : 0;
  const upToX = cumulativePurchasesAt(path, x, windows.atX);
  const expectedSinceFirst = upToX - cumulativePurchasesAt(path, x - tenure, windows.atTenure);
  if (recencyExponential >= expectedSinceFirst) {
    return { tenureDays: tenure, recencyDays: tenure, orders: 1, windowOrders: firstInWindow };
  }
  const recency = Math.min(tenure, lookbackForPurchases(path, x, recencyExponential, upToX));
  const expectedInWindow = upToX - cumulativePurchasesAt(path, x - window, windows.atWindow);
  const inWindowBefore = recency < window ? poisson(rng, Math.max(0, expectedInWindow - recencyExponential)) : 0;
  const outsideWindow = poisson(rng, Math.max(0, expectedSinceFirst - Math.max(expectedInWindow, recencyExponential)));
  return {
    tenureDays: tenure,
    recencyDays: recency,
    orders: 2 + inWindowBefore + outsideWindow,
    windowOrders: (recency < window ? 1 : 0) + inWindowBefore + firstInWindow,
  };
}

/**
 * The prediction fields: a model fitted perfectly on the churn process without concept drift
 * (prior, covariate and class-conditional drift leave it calibrated; concept drift makes it stale).
 */
export function setPrediction(out: CustomerFields, probability: number | undefined): void {
  if (probability === undefined) {
    out.predicted_churn_probability = undefined;
    out.predicted_churn = undefined;
  } else {
    const rounded = roundTo(probability, 10000);
    out.predicted_churn_probability = rounded;
    out.predicted_churn = rounded >= 0.5; // as a user reading the record would threshold it
  }
}

/** A customer's fixed-size draws, in stream layout D (for fillFixedDraws). */
export function newFixedDraws(): Float64Array {
  return new Float64Array(FIXED_DRAWS);
}

/** The next fixed-size draws of `rng` into `u`, the normal ones transformed (one loop, see D). */
export function fillFixedDraws(rng: CounterRng, u: Float64Array): void {
  rng.fill(u);
  for (let i = 0; i < NORMAL_DRAWS.length; i++) {
    const at = NORMAL_DRAWS[i] as number;
    u[at] = normalOf(u[at] as number);
  }
}

/** Favourite category, payment and shipping method from a record's fixed draws. */
export function chooseClosedSets(u: Float64Array, out: CustomerFields): void {
  out.favorite_category =
    productCategories[pickCumulativeAt(u[D.category] as number, categoryCumulative)] ?? productCategories[0];
  out.payment_method = paymentMethods[pickCumulativeAt(u[D.payment] as number, paymentCumulative)] ?? paymentMethods[0];
  out.shipping_method =
    shippingMethods[pickCumulativeAt(u[D.shipping] as number, shippingCumulative)] ?? shippingMethods[0];
}

/** The signup-gap draws of a record's fixed draws (lifecycle reuses them). */
export function accountGapOf(u: Float64Array, covariate: CovariateScales = noCovariateShift): number {
  return (u[D.accountGap] as number) >= 0.55
    ? Math.floor(-Math.log(1 - (u[D.gapLength] as number)) * 25 * covariate.signupGap)
    : 0;
}

// The processes behind the support and return counts, shared by a batch record's observation
// and a lifecycle journey's weeks.

/** Expected tickets over `days`: a background rate, 2% of orders, complaints while disengaged. */
export function expectedTickets(friction: number, days: number, orders: number, disengagedDays: number): number {
  return friction * ((0.25 * days) / 365 + 0.02 * orders + ticketsPerDisengagedDay * disengagedDays);
}

/** Share of tickets still open, from how engaged the customer was over the last 30 days. */
export function openTicketShare(engaged30: number): number {
  return clamp(0.05 + 0.35 * (1 - engaged30), 0, 0.9);
}

/** Probability that an order is returned: friction, and more while disengaging. */
export function returnShare(friction: number, engaged: number): number {
  return clamp(0.03 * friction + 0.06 * (1 - engaged), 0, 0.5);
}

/** Refunds: 70% of the returns and 1% of the orders kept. */
export function drawRefunds(rng: CounterRng, orders: number, returns: number): number {
  return binomial(rng, returns, 0.7) + binomial(rng, orders - returns, 0.01);
}

/** A customer's base purchase rate (orders a day) at a standard normal draw, drift shifting the median. */
export function baseRateOf(rateNormal: number, shift = 0): number {
  return (
    ((medianOrdersPerMonth * Math.exp(-rateShiftAtFullDrift * shift)) / DAYS_PER_MONTH) *
    Math.exp(baseRateSpread * rateNormal)
  );
}

/** The generation parameters of a record under a drift schedule's effects. */
export function paramsUnderDrift(
  effects: DriftEffects,
  base: Pick<GenerationParams, 'overlap' | 'withOutcome' | 'withPrediction'>,
): GenerationParams {
  return {
    ...base,
    mix: effects.mix,
    drift: effects.drift,
    driftProgress: effects.progress,
    driftPhase: effects.phase,
    conceptShift: effects.conceptShift,
    covariate: effects.covariate,
  };
}

/**
 * A customer state drawn inside a level's band: traits from the population, then a position on
 * the purchase path uniformly within the interval where the churn probability falls in the band.
 * Customers for whom the band is out of reach (a low base rate can never be low risk) are drawn
 * again from fresh uniforms. `shift` is the class-conditional drift (positive: riskier-looking).
 */
export function drawStateInBand(
  rng: CounterRng,
  u: Float64Array,
  level: RiskLevel,
  shift: number,
): { path: PurchasePath; x: number } {
  let rateNormal = u[D.baseRate] as number;
  let steepnessNormal = u[D.steepness] as number;
  let position = u[D.position] as number;
  for (let attempt = 0; ; attempt++) {
    const path = purchasePath(
      baseRateOf(rateNormal, shift),
      medianSteepness * Math.exp(steepnessSpread * steepnessNormal),
    );
    const from = bandStart(path, level);
    const to = bandEnd(path, level);
    if (to > from) return { path, x: from + position * (to - from) };
    if (attempt > 200) {
      // Unreachable in practice (every path reaches medium and high); a fallback keeps it total.
      return { path, x: path.churnAt };
    }
    rateNormal = normalOf(rng.next());
    steepnessNormal = normalOf(rng.next());
    position = rng.next();
  }
}

/**
 * Positions [bandStart, bandEnd) of a path where the churn probability lies in the level's band
 * (empty when bandEnd ≤ bandStart): from a year before the decline to 70 days after the churn.
 */
function bandStart(path: PurchasePath, level: RiskLevel): number {
  return level === 'low'
    ? earliestPosition(path)
    : positionAtFuturePurchases(path, level === 'medium' ? lowCutPurchases : highCutPurchases);
}

function bandEnd(path: PurchasePath, level: RiskLevel): number {
  return level === 'high'
    ? path.churnAt + churnedDaysObserved
    : positionAtFuturePurchases(path, level === 'low' ? lowCutPurchases : highCutPurchases);
}

function earliestPosition(path: PurchasePath): number {
  return -4 / path.steepness - healthyDaysBeforeDecline;
}

/** Where the expected purchases of the next horizon fall to `purchases`, not before the earliest. */
function positionAtFuturePurchases(path: PurchasePath, purchases: number): number {
  const earliest = earliestPosition(path);
  // Expected purchases long before the onset are baseRate × horizon: never fewer than that.
  if (purchases >= path.baseRate * churnHorizonDays) return earliest;
  return Math.max(earliest, positionWithFuturePurchases(path, purchases));
}

/** Expected purchases in the horizon at the band cut-offs: P(no order) = e^(−purchases). */
const lowCutPurchases = -Math.log(churnProbabilityCutoffs[0]);
const highCutPurchases = -Math.log(churnProbabilityCutoffs[1]);

/** Traits of a customer on `path`, from a record's fixed draws `u` (layout D, normals transformed). */
export function traitsOf(
  u: Float64Array,
  path: PurchasePath,
  shift: number,
  covariate: CovariateScales,
): CustomerTraits {
  const k = path.steepness;
  const premium = logistic(-0.8 - 0.15 * shift + 0.7 * (u[D.premium] as number));
  return {
    path,
    emailAffinity: logistic(1.35 - 0.8 * shift + 0.6 * (u[D.emailAffinity] as number)),
    emailSteepness: k * Math.exp(0.3 * (u[D.emailSteepness] as number)),
    emailOffset: 25 * (u[D.emailOffset] as number),
    browsing: 0.3 * Math.exp(-0.35 * shift + 0.5 * (u[D.browsing] as number)),
    visitSteepness: k * Math.exp(0.3 * (u[D.visitSteepness] as number)),
    visitOffset: 20 + 20 * (u[D.visitOffset] as number),
    viewsPerVisit: 4 * Math.exp(0.3 * (u[D.viewsPerVisit] as number)) * covariate.viewsPerVisit,
    cartHabit: 0.02 * Math.exp(0.35 * shift + 0.35 * (u[D.cartHabit] as number)),
    friction: Math.exp(0.4 * shift + 0.6 * (u[D.friction] as number)),
    spend: 40 * (1 + 1.2 * premium) * Math.exp(0.35 * (u[D.spend] as number)) * covariate.orderValue,
    premiumPropensity: premium,
    discountPropensity: logistic(-1.6 + 0.5 * shift + 0.6 * (u[D.discount] as number)),
  };
}

// --- internal ---

/** Population of base rates: median orders per month and log-space spread. */
const medianOrdersPerMonth = 2.6;
const baseRateSpread = 0.45;
/** Steepness of the decline: median per day (a decline over about a year) and spread. */
const medianSteepness = 1 / 110;
const steepnessSpread = 0.4;
/** How far before its decline a healthy customer may be observed, and how long after its churn. */
const healthyDaysBeforeDecline = 365;
const churnedDaysObserved = 70;
/** Tenure: median days since the first order and log-space spread. */
const medianTenureDays = 420;
const tenureSpread = 0.8;
/** Class-conditional drift at full strength divides base rates by e^0.3. */
const rateShiftAtFullDrift = 0.3;
/** Concept drift at full strength raises churn probabilities to the power e^−1.1. */
const conceptScale = 1.1;
const emailsPer90Days = 30;
const emailFloor = 0.1;
const visitFloor = 0.12;
const abandonmentWhenDisengaged = 6;
const ticketsPerDisengagedDay = 0.03;
/** Per-order variation of order values (coefficient of variation). */
const orderSpread = 0.6;

function logistic(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/**
 * Where each fixed-size draw sits in a record's stream (and in `fixedDraws`). The order is the
 * stream layout of the current model and must not change without a new algorithm version.
 */
export const fixedDrawIndex = {
  label: 0,
  overlap: 1,
  side: 2,
  baseRate: 3,
  steepness: 4,
  position: 5,
  tenure: 6,
  recency: 7,
  emailSteepness: 8,
  emailOffset: 9,
  emailAffinity: 10,
  visitSteepness: 11,
  visitOffset: 12,
  browsing: 13,
  viewsPerVisit: 14,
  cartHabit: 15,
  friction: 16,
  accountGap: 17,
  gapLength: 18,
  spend: 19,
  premium: 20,
  discount: 21,
  category: 22,
  payment: 23,
  shipping: 24,
  outcome: 25,
  orderValue: 26,
} as const;
const D = fixedDrawIndex;
const FIXED_DRAWS = 27;
/** The draws used as standard normals (inverse CDF of the uniform). */
const NORMAL_DRAWS = Int32Array.of(
  D.baseRate,
  D.steepness,
  D.tenure,
  D.emailSteepness,
  D.emailOffset,
  D.emailAffinity,
  D.visitSteepness,
  D.visitOffset,
  D.browsing,
  D.viewsPerVisit,
  D.cartHabit,
  D.friction,
  D.spend,
  D.premium,
  D.discount,
  D.orderValue,
);
const fixedDraws = new Float64Array(FIXED_DRAWS);
