/**
 * Customer lifecycles (SPEC §3, `lifecycle`): each customer is a small event simulation observed
 * in weekly snapshots (day 0, 7, 14, …). Every customer starts healthy (low risk); from its own
 * onset day its latent health declines at its own pace, through medium to high risk. Orders,
 * tickets, returns, refunds and failed payments happen week by week at rates set by the current
 * health, so lifetime counts only grow, open tickets never exceed tickets, tenure grows by 7 days
 * per snapshot, and the label is the band of the current health, the same bands that set the key
 * features (profiles.ts): a snapshot labelled high looks like a high-risk customer.
 *
 * Pure: each journey draws from its own stream (seed, "lifecycle", customer index).
 */
import {
  binomial,
  clamp,
  logNormal,
  normal,
  pickCumulative,
  poisson,
  reflectUnit,
  uniform,
  roundTo,
} from './distributions.ts';
import { customerIdOf } from './customer.ts';
import type { RiskLevel } from './profiles.ts';
import {
  keyFeatureProfiles,
  keyFeatureValue,
  levelOfBand,
  categoryCumulative,
  paymentCumulative,
  paymentMethods,
  productCategories,
  shippingCumulative,
  shippingMethods,
} from './profiles.ts';
import { CounterRng, streamDomains } from './random.ts';
import type { CustomerRecord } from './schema.ts';
import { formatIsoTimestamp } from './time.ts';

export const snapshotIntervalDays = 7;
const MS_PER_DAY = 86_400_000;
const DAYS_PER_MONTH = 30.44;
/** Onset of decline: uniform over the first this-many days. */
const maxOnsetDays = 60;
/** Pace of decline, in health bands per day (one band ≈ one risk level). */
const paceRange = [0.012, 0.035] as const;

/** Snapshot days of a journey of `durationDays`: 0, 7, … up to and including the last ≤ duration. */
export function snapshotDays(durationDays: number): number[] {
  return Array.from(
    { length: Math.floor(durationDays / snapshotIntervalDays) + 1 },
    (_, i) => i * snapshotIntervalDays,
  );
}

/** One customer's journey; call next() once per snapshot, in order. */
export class CustomerJourney {
  readonly customerId: string;
  readonly onsetDay: number;
  /** Health bands lost per day after the onset. */
  readonly pace: number;
  readonly #rng = new CounterRng();
  readonly #startMs: number;
  readonly #initialHealth: number;
  /** Each key feature's fixed offset from the customer's position in the band. */
  readonly #featureOffsets: readonly [number, number, number, number];
  readonly #orderValueCents: number;
  readonly #category: CustomerRecord['favorite_category'];
  readonly #payment: CustomerRecord['payment_method'];
  readonly #shipping: CustomerRecord['shipping_method'];
  #day = -snapshotIntervalDays;
  #customerAge: number;
  #accountGap: number;
  #daysSinceLastOrder: number;
  #orders: number;
  #tickets: number;
  #openTickets: number;
  #returns: number;
  #refunds: number;
  #failedPayments: number;

  constructor(seed: number, customerIndex: number, startMs: number, customerId = customerIdOf(customerIndex)) {
    const rng = this.#rng;
    rng.reset(seed, streamDomains.lifecycle, customerIndex);
    this.customerId = customerId;
    this.#startMs = startMs;
    this.#initialHealth = 2 + uniform(rng, 0.35, 1);
    this.onsetDay = uniform(rng, 0, maxOnsetDays);
    this.pace = uniform(rng, paceRange[0], paceRange[1]);
    this.#featureOffsets = [0.12 * normal(rng), 0.12 * normal(rng), 0.12 * normal(rng), 0.12 * normal(rng)];
    const premium = clamp(0.45 + 0.1 * normal(rng), 0, 1);
    this.#orderValueCents = Math.round(clamp(logNormal(rng, 40 * (1 + 1.2 * premium), 0.35), 5, 1500) * 100);
    this.#category = productCategories[pickCumulative(rng, categoryCumulative)] ?? productCategories[0];
    this.#payment = paymentMethods[pickCumulative(rng, paymentCumulative)] ?? paymentMethods[0];
    this.#shipping = shippingMethods[pickCumulative(rng, shippingCumulative)] ?? shippingMethods[0];

    // History before day 0: a loyal customer of some tenure.
    const health = this.#initialHealth;
    this.#daysSinceLastOrder = Math.round(keyFeatureValue(keyFeatureProfiles.days_since_last_order, health));
    this.#customerAge = this.#daysSinceLastOrder + Math.round(clamp(logNormal(rng, 240, 0.7), 14, 2000));
    this.#accountGap = rng.next() < 0.55 ? 0 : Math.floor(uniform(rng, 0, 40));
    const frequency = keyFeatureValue(keyFeatureProfiles.order_frequency, health);
    this.#orders = Math.max(1, Math.round((frequency * this.#customerAge) / DAYS_PER_MONTH));
    this.#tickets = poisson(rng, (0.4 * this.#customerAge) / 365);
    this.#openTickets = binomial(rng, this.#tickets, 0.05);
    this.#returns = binomial(rng, this.#orders, 0.03);
    this.#refunds = binomial(rng, this.#returns, 0.7);
    this.#failedPayments = poisson(rng, this.#orders * 0.005);
  }

  /** Latent health (0–3 scale) on a given day: flat until the onset, then declining. */
  healthOn(day: number): number {
    return Math.max(0.02, this.#initialHealth - this.pace * Math.max(0, day - this.onsetDay));
  }

  /** The next weekly snapshot (day 0 first). */
  next(): CustomerRecord {
    const rng = this.#rng;
    const firstSnapshot = this.#day < 0;
    this.#day += snapshotIntervalDays;
    const health = this.healthOn(this.#day);
    const band = health < 1 ? 0 : health < 2 ? 1 : 2;
    const level: RiskLevel = levelOfBand[band] ?? 'high';
    const position = health - band;
    const frailty = clamp(1 - health / 3, 0, 1);
    const featureHealth = (i: 0 | 1 | 2 | 3): number =>
      band + reflectUnit(position + this.#featureOffsets[i] + 0.03 * normal(rng));

    const orderFrequency = roundTo(keyFeatureValue(keyFeatureProfiles.order_frequency, featureHealth(0)), 1000);
    const emailOpenRate = roundTo(keyFeatureValue(keyFeatureProfiles.email_open_rate, featureHealth(1)), 10000);
    const cartAbandonmentRate = roundTo(
      keyFeatureValue(keyFeatureProfiles.cart_abandonment_rate, featureHealth(2)),
      10000,
    );

    if (!firstSnapshot) {
      // The week just passed: events at the rates of the current health.
      this.#customerAge += snapshotIntervalDays;
      const newOrders = poisson(rng, (orderFrequency * snapshotIntervalDays) / DAYS_PER_MONTH);
      this.#daysSinceLastOrder =
        newOrders > 0 ? Math.floor(rng.next() * snapshotIntervalDays) : this.#daysSinceLastOrder + snapshotIntervalDays;
      this.#orders += newOrders;
      const newReturns = binomial(rng, newOrders, 0.02 + 0.12 * frailty);
      this.#returns += newReturns;
      this.#refunds += binomial(rng, newReturns, 0.7);
      const newTickets = poisson(rng, ((0.3 + 5 * frailty * Math.sqrt(frailty)) * snapshotIntervalDays) / 365);
      this.#openTickets = binomial(rng, this.#openTickets, 0.35) + binomial(rng, newTickets, 0.6 + 0.3 * frailty);
      this.#tickets += newTickets;
      this.#failedPayments += poisson(rng, newOrders * (0.005 + 0.03 * frailty) + 0.04 * frailty);
    }
    const vitality = health / 3;
    const websiteVisits = poisson(
      rng,
      (2 + 2.5 * orderFrequency + 16 * vitality) * clamp(1 + 0.25 * normal(rng), 0.25, 3),
    );
    const productViews = poisson(rng, websiteVisits * 4 * clamp(1 + 0.3 * normal(rng), 0.25, 3));

    return {
      customer_id: this.customerId,
      true_risk_level: level,
      timestamp: formatIsoTimestamp(this.#startMs + this.#day * MS_PER_DAY),
      drift_progress: undefined,
      snapshot_day: this.#day,
      customer_age_days: this.#customerAge,
      account_age_days: this.#customerAge + this.#accountGap,
      days_since_last_order: Math.min(this.#daysSinceLastOrder, this.#customerAge),
      total_orders: this.#orders,
      total_revenue: (this.#orders * this.#orderValueCents) / 100,
      avg_order_value: this.#orderValueCents / 100,
      order_frequency: orderFrequency,
      website_visits_30d: websiteVisits,
      email_open_rate: emailOpenRate,
      cart_abandonment_rate: cartAbandonmentRate,
      product_views_30d: productViews,
      support_tickets_total: this.#tickets,
      support_tickets_open: this.#openTickets,
      returns_count: this.#returns,
      refunds_count: this.#refunds,
      favorite_category: this.#category,
      discount_usage_rate: roundTo(clamp(0.08 + 0.55 * frailty + 0.05 * normal(rng), 0, 1), 10000),
      premium_product_rate: roundTo(clamp(0.05 + 0.45 * vitality + 0.05 * normal(rng), 0, 1), 10000),
      payment_method: this.#payment,
      shipping_method: this.#shipping,
      failed_payment_count: this.#failedPayments,
    };
  }
}

/**
 * All weekly snapshots of one customer's journey over `durationDays`.
 * @example simulateLifecycle(42, 0, Date.UTC(2026, 0, 1), 180) // 26 snapshots, day 0 … 175
 */
export function simulateLifecycle(
  seed: number,
  customerIndex: number,
  startMs: number,
  durationDays: number,
  customerId?: string,
): CustomerRecord[] {
  const journey = new CustomerJourney(seed, customerIndex, startMs, customerId);
  return snapshotDays(durationDays).map(() => journey.next());
}
