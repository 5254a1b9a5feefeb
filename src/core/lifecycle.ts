/**
 * Customer lifecycles (SPEC §3, `lifecycle`): the behavioural customer of customer.ts observed in
 * weekly snapshots (day 0, 7, 14, …). Each journey is a customer on its way out: it starts low
 * risk, a few weeks before its own decline becomes visible, and its purchase rate then falls at its
 * own pace (a steeper decline than the population's), through medium and high risk to its churn,
 * after which it orders no more and its visits and email opens fade.
 *
 * The purchases are simulated week by week as the Poisson process of the customer's path (each
 * order at its own time), so lifetime counts, tenure and the last order evolve consistently; the
 * windowed fields (visits, email opens, carts) are observed from the same traits at each snapshot.
 * The label is the band of the true churn probability at the snapshot, so it never improves.
 *
 * Pure: each journey draws from its own stream (seed, "lifecycle", customer index).
 */
import {
  churnHorizonDays,
  engagementAt,
  expectedFuturePurchases,
  expectedPurchases,
  forwardForPurchases,
  lookbackForPurchases,
  meanEngagement,
  positionWithFuturePurchases,
  purchasePath,
} from './behaviour.ts';
import type { PurchasePath } from './behaviour.ts';
import type { CustomerFields, CustomerFuture, CustomerTraits } from './customer.ts';
import {
  accountGapOf,
  baseRateOf,
  drawRefunds,
  expectedTickets,
  chooseClosedSets,
  customerIdOf,
  drawPurchaseHistory,
  fillFixedDraws,
  fixedDrawIndex,
  frequencyWindowDays,
  newCustomerFields,
  newFixedDraws,
  observe,
  openTicketShare,
  recordOf,
  returnShare,
  setPrediction,
  tenureOf,
  trailingWindows,
  traitsOf,
} from './customer.ts';
import { binomial, normal, poisson, roundTo } from './distributions.ts';
import { noCovariateShift } from './drift-schedule.ts';
import { churnProbabilityCutoffs, levelOfChurnProbability } from './profiles.ts';
import { CounterRng, streamDomains } from './random.ts';
import type { CustomerRecord } from './schema.ts';
import { MS_PER_DAY, formatIsoTimestamp } from './time.ts';

export const snapshotIntervalDays = 7;
/** Journeys decline faster than the population: median steepness per day, and its spread. */
const journeySteepness = 1 / 30;
const journeySteepnessSpread = 0.3;
/** Days between day 0 and the point where the customer stops being low risk: uniform in this range. */
const lowRiskLeadDays = [7, 60] as const;

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
  readonly #rng = new CounterRng();
  readonly #startMs: number;
  readonly #traits: CustomerTraits;
  readonly #orderValueNoise: number;
  readonly #closedSets: Pick<CustomerFields, 'favorite_category' | 'payment_method' | 'shipping_method'>;
  readonly #accountGap: number;
  readonly #orderValueCents: number;
  /** Position on the purchase path at day 0 (days relative to the onset of the decline). */
  readonly #x0: number;
  #day = -snapshotIntervalDays;
  #tenure: number;
  #orders: number;
  /** Position of the last order. */
  #lastOrderAt: number;
  /** Positions of the orders within the frequency window, oldest first. */
  #windowOrders: number[];
  #tickets: number;
  #returns: number;
  #refunds: number;
  #failedPayments: number;

  /** Orders simulated ahead of the current snapshot (positions, in order), and up to where. */
  readonly #upcoming: number[] = [];
  #simulatedTo: number;
  readonly #withOutcome: boolean;
  readonly #withPrediction: boolean;

  constructor(
    seed: number,
    customerIndex: number,
    startMs: number,
    customerId = customerIdOf(customerIndex),
    options: { withOutcome?: boolean | undefined; withPrediction?: boolean | undefined } = {},
  ) {
    const rng = this.#rng;
    rng.reset(seed, streamDomains.lifecycle, customerIndex);
    this.customerId = customerId;
    this.#startMs = startMs;
    const u = journeyDraws;
    fillFixedDraws(rng, u);
    this.#orderValueNoise = u[fixedDrawIndex.orderValue] as number;
    const path = journeyPath(rng, u[fixedDrawIndex.baseRate] as number);
    const lead =
      lowRiskLeadDays[0] + (u[fixedDrawIndex.position] as number) * (lowRiskLeadDays[1] - lowRiskLeadDays[0]);
    const x0 = positionWithFuturePurchases(path, -Math.log(churnProbabilityCutoffs[0])) - lead;
    this.#x0 = x0;
    this.#simulatedTo = x0;
    this.#withOutcome = options.withOutcome === true;
    this.#withPrediction = options.withPrediction === true;
    this.#traits = traitsOf(u, path, 0, noCovariateShift);
    this.#accountGap = accountGapOf(u);
    const f = scratchFields;
    chooseClosedSets(u, f);
    this.#closedSets = {
      favorite_category: f.favorite_category,
      payment_method: f.payment_method,
      shipping_method: f.shipping_method,
    };

    // The history before day 0, in closed form as for a batch record; the orders inside the
    // frequency window then get their own times, so the window can roll week by week.
    const windows = trailingWindows(path.steepness, x0, tenureOf(path, x0, u[fixedDrawIndex.tenure] as number));
    const history = drawPurchaseHistory(rng, path, windows, -Math.log(1 - (u[fixedDrawIndex.recency] as number)));
    this.#tenure = history.tenureDays;
    this.#orders = history.orders;
    this.#lastOrderAt = x0 - history.recencyDays;
    this.#windowOrders = windowOrderTimes(rng, path, x0, history);
    // Lifetime counts at day 0 as a batch record observes them.
    observe(rng, this.#traits, windows, history, this.#accountGap, this.#orderValueNoise, f);
    this.#tickets = f.support_tickets_total;
    this.#returns = f.returns_count;
    this.#refunds = f.refunds_count;
    this.#failedPayments = f.failed_payment_count;
    this.#orderValueCents = Math.round(f.avg_order_value * 100);
  }

  /** Position on the purchase path on a journey day. */
  positionOn(day: number): number {
    return this.#x0 + day;
  }

  /** The true probability of no order in the 90 days after a journey day. */
  churnProbabilityOn(day: number): number {
    return Math.exp(-expectedFuturePurchases(this.#traits.path, this.positionOn(day)));
  }

  /** The day the customer churns (orders no more), from day 0. */
  get churnDay(): number {
    return this.#traits.path.churnAt - this.#x0;
  }

  /** The next weekly snapshot (day 0 first); `future` gets the days until the journey's next order. */
  next(future?: CustomerFuture): CustomerRecord {
    const rng = this.#rng;
    const traits = this.#traits;
    const path = traits.path;
    const firstSnapshot = this.#day < 0;
    this.#day += snapshotIntervalDays;
    const x = this.positionOn(this.#day);
    // Orders are simulated a horizon ahead, so the snapshot's outcome is the journey's own future.
    while (this.#simulatedTo < x + churnHorizonDays) this.#simulateWeekAhead(rng, path);
    if (!firstSnapshot) this.#liveWeek(rng, path, x - snapshotIntervalDays, x);

    const window = Math.min(frequencyWindowDays, this.#tenure);
    const windowed = this.#windowOrders;
    // The window is [x − window, x]: a first order exactly at its start (tenure ≤ 180 days) counts.
    while (windowed.length > 0 && (windowed[0] as number) < x - window - 1e-9) windowed.shift();
    const history = {
      tenureDays: this.#tenure,
      recencyDays: Math.min(this.#tenure, x - this.#lastOrderAt),
      orders: this.#orders,
      windowOrders: windowed.length,
    };
    const f = scratchFields;
    const windows = trailingWindows(path.steepness, x, this.#tenure);
    observe(rng, traits, windows, history, this.#accountGap, this.#orderValueNoise, f);
    f.favorite_category = this.#closedSets.favorite_category;
    f.payment_method = this.#closedSets.payment_method;
    f.shipping_method = this.#closedSets.shipping_method;
    // Lifetime counts are the journey's own, accumulated week by week; the order value stays.
    f.support_tickets_total = this.#tickets;
    f.support_tickets_open = binomial(rng, this.#tickets, openTicketShare(windows.engaged30));
    f.returns_count = this.#returns;
    f.refunds_count = this.#refunds;
    f.failed_payment_count = this.#failedPayments;
    f.avg_order_value = this.#orderValueCents / 100;
    f.total_revenue = (this.#orders * this.#orderValueCents) / 100;
    const probability = Math.exp(-expectedFuturePurchases(path, x));
    f.true_risk_level = levelOfChurnProbability(probability);
    f.snapshot_day = this.#day;
    const next = this.#upcoming[0];
    // Simulated a horizon ahead: an order beyond it is not known yet, and not needed.
    if (future !== undefined) future.nextOrderDays = next === undefined ? Infinity : next - x;
    f.churned = this.#withOutcome ? next === undefined || next > x + churnHorizonDays : undefined;
    f.churn_probability = this.#withOutcome ? roundTo(probability, 10000) : undefined;
    setPrediction(f, this.#withPrediction ? probability : undefined);
    return recordOf(f, this.customerId, formatIsoTimestamp(this.#startMs + this.#day * MS_PER_DAY));
  }

  /** Simulates the next week of orders ahead of the snapshots: each order at its own time. */
  #simulateWeekAhead(rng: CounterRng, path: PurchasePath): void {
    const from = this.#simulatedTo;
    const to = from + snapshotIntervalDays;
    const expected = expectedPurchases(path, from, to);
    const orders = poisson(rng, expected);
    const times: number[] = [];
    // The orders of a Poisson process given their count: independent, with density ∝ the rate.
    for (let i = 0; i < orders; i++) times.push(from + forwardForPurchases(path, from, rng.next() * expected));
    this.#upcoming.push(...times.sort((a, b) => a - b));
    this.#simulatedTo = to;
  }

  /** The week (from, to] of the journey: its orders enter the history, with what comes with them. */
  #liveWeek(rng: CounterRng, path: PurchasePath, from: number, to: number): void {
    this.#tenure += snapshotIntervalDays;
    let orders = 0;
    while (this.#upcoming.length > 0 && (this.#upcoming[0] as number) <= to) {
      const at = this.#upcoming.shift() as number;
      this.#windowOrders.push(at);
      this.#lastOrderAt = at;
      orders++;
    }
    this.#orders += orders;
    const k = path.steepness;
    const engaged = meanEngagement(k, to, to - from);
    const friction = this.#traits.friction;
    const newTickets = poisson(
      rng,
      expectedTickets(friction, snapshotIntervalDays, orders, snapshotIntervalDays * (1 - engaged)),
    );
    this.#tickets += newTickets;
    const newReturns = binomial(rng, orders, returnShare(friction, engaged));
    this.#returns += newReturns;
    this.#refunds += drawRefunds(rng, orders, newReturns);
    const disengaged = 1 - engagementAt(k, to);
    this.#failedPayments += poisson(
      rng,
      friction * (0.006 * orders + (disengaged * disengaged * snapshotIntervalDays) / churnHorizonDays),
    );
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
  options: { withOutcome?: boolean | undefined; withPrediction?: boolean | undefined } = {},
): CustomerRecord[] {
  const journey = new CustomerJourney(seed, customerIndex, startMs, customerId, options);
  return snapshotDays(durationDays).map(() => journey.next());
}

// --- internal ---

/** Scratch state shared by all journeys (one thread): the fixed draws and the fields being observed. */
const journeyDraws = newFixedDraws();
const scratchFields = newCustomerFields();

/**
 * A journey's purchase path: a base rate high enough to be low risk when healthy (drawn again
 * until it is), and a steeper decline than the population's.
 */
function journeyPath(rng: CounterRng, rateNormal: number): PurchasePath {
  const lowCut = -Math.log(churnProbabilityCutoffs[0]);
  let z = rateNormal;
  for (let attempt = 0; attempt < 100; attempt++) {
    const baseRate = baseRateOf(z);
    if (baseRate * churnHorizonDays > 1.5 * lowCut) {
      return purchasePath(baseRate, journeySteepness * Math.exp(journeySteepnessSpread * normal(rng)));
    }
    z = normal(rng);
  }
  return purchasePath(baseRateOf(0), journeySteepness);
}

/** Times (positions) of the orders inside the frequency window at x0, oldest first. */
function windowOrderTimes(
  rng: CounterRng,
  path: PurchasePath,
  x0: number,
  history: { tenureDays: number; recencyDays: number; windowOrders: number },
): number[] {
  const window = Math.min(frequencyWindowDays, history.tenureDays);
  const times: number[] = [];
  const firstAt = x0 - history.tenureDays;
  const lastAt = x0 - history.recencyDays;
  let others = history.windowOrders;
  if (history.tenureDays <= frequencyWindowDays) {
    times.push(firstAt);
    others--;
  }
  if (lastAt > firstAt && history.recencyDays < window) {
    times.push(lastAt);
    others--;
    // The orders between the window's start and the last one, each with density ∝ the rate.
    const start = Math.max(x0 - window, firstAt);
    const between = expectedPurchases(path, start, lastAt);
    for (let i = 0; i < others; i++) {
      times.push(lastAt - lookbackForPurchases(path, lastAt, rng.next() * between));
    }
  }
  return times.sort((a, b) => a - b);
}
