/**
 * The behavioural customer model (docs/model.md): a customer's purchase activity over time and
 * the closed forms that observe it, shared by every mode.
 *
 * A customer buys as a Poisson process whose rate follows a logistic decline around its own
 * onset: λ(s) = λ0 · σ(−κ (s − onset)), with σ the logistic function. The rate is nearly λ0 long
 * before the onset, half of it at the onset, and falls toward zero after it; when it reaches
 * `churnFloor` × λ0 the customer churns and buys no more. Positions are written relative to the
 * onset: x = t − onset, in days.
 *
 * Every quantity the records need has a closed form on this path (integrals of a logistic are
 * softplus differences), so a record is observed without simulating purchases one by one:
 * expected purchases in a window, the time of the last purchase before t (by inverting the
 * integral at an exponential draw), and the position at which the churn probability crosses a
 * risk band's cut-off.
 */

/** Days after an observation in which no purchase means the customer churned. */
export const churnHorizonDays = 90;
/** Orders per month are per 30.44 days. */
export const DAYS_PER_MONTH = 30.44;
/** The rate at which a declining customer stops buying, as a share of its base rate. */
export const churnFloor = 0.02;

/** One customer's purchase process: base rate (orders per day) and steepness of the decline (per day). */
export interface PurchasePath {
  readonly baseRate: number;
  readonly steepness: number;
  /** Position of the churn (x where the rate falls to churnFloor × baseRate). */
  readonly churnAt: number;
  /** engagedDaysTo at the churn, where the expected purchases stop growing. */
  readonly engagedAtChurn: number;
}

export function purchasePath(baseRate: number, steepness: number): PurchasePath {
  return {
    baseRate,
    steepness,
    churnAt: churnAtTimesSteepness / steepness,
    engagedAtChurn: engagedAtChurnTimesSteepness / steepness,
  };
}

/** log(1 + e^z), without overflow. */
export function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** The logistic engagement σ(−κx): ~1 long before the onset, 0.5 at it, → 0 after. */
export function engagementAt(steepness: number, x: number): number {
  return 1 / (1 + Math.exp(steepness * x));
}

/**
 * G(x) = −softplus(−κx)/κ, an antiderivative of the engagement σ(−κs): the engaged days over
 * (a, b] are G(b) − G(a), and the expected purchases λ0·(G(b) − G(a)) while b is before the
 * churn. Every windowed quantity is a difference of G, so an observation computes G once per
 * window end and shares it.
 */
export function engagedDaysTo(steepness: number, x: number): number {
  return -softplus(-steepness * x) / steepness;
}

/** Mean of σ(−κs) over s in (x − days, x]: the engagement averaged over a trailing window. */
export function meanEngagement(steepness: number, x: number, days: number): number {
  if (!(days > 0)) return engagementAt(steepness, x);
  return (engagedDaysTo(steepness, x) - engagedDaysTo(steepness, x - days)) / days;
}

/** Λ(x), the expected purchases up to position x (up to a constant), flat from the churn on. */
export function cumulativePurchases(path: PurchasePath, x: number): number {
  return path.baseRate * (x < path.churnAt ? engagedDaysTo(path.steepness, x) : path.engagedAtChurn);
}

/** Λ(x) from G(x) computed beforehand (see cumulativePurchases). */
export function cumulativePurchasesAt(path: PurchasePath, x: number, engagedToX: number): number {
  return path.baseRate * (x < path.churnAt ? engagedToX : path.engagedAtChurn);
}

/** Expected purchases over positions (from, to]: Λ(to) − Λ(from). */
export function expectedPurchases(path: PurchasePath, from: number, to: number): number {
  if (!(to > from) || from >= path.churnAt) return 0;
  return cumulativePurchases(path, to) - cumulativePurchases(path, from);
}

/** Expected purchases in the churn horizon after position x. */
export function expectedFuturePurchases(path: PurchasePath, x: number): number {
  return expectedPurchases(path, x, x + churnHorizonDays);
}

/**
 * The position x at which the expected purchases of the next horizon equal `purchases`
 * (0 < purchases < baseRate × horizon). They fall as x grows, so a band of churn probabilities is
 * an interval of positions. Closed form where the horizon ends before the churn (with a = e^(−κx),
 * (1 + a) / (1 + a·e^(−κH)) = e^(κ·purchases/λ0)); a bisection in the rare case it does not.
 */
export function positionWithFuturePurchases(path: PurchasePath, purchases: number): number {
  const k = path.steepness;
  const g = Math.exp((k * purchases) / path.baseRate);
  const a = (g - 1) / (1 - g * Math.exp(-k * churnHorizonDays));
  const untruncated = -Math.log(a) / k;
  if (untruncated + churnHorizonDays <= path.churnAt) return untruncated;
  // Past the churn the rate is zero, so fewer purchases are expected than untruncated: the
  // position sought lies before the untruncated one.
  let lo = Math.min(untruncated, path.churnAt - churnHorizonDays) - 10 / k;
  let hi = Math.min(untruncated, path.churnAt);
  for (let i = 0; i < 48; i++) {
    const mid = (lo + hi) / 2;
    if (expectedFuturePurchases(path, mid) > purchases) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * How far back from position x lies the r with Λ(x) − Λ(x − r) = purchases, given Λ(x). At an
 * exponential draw it is the time since the last purchase of the Poisson process; the caller
 * checks that the window holds that many. Solves softplus(−κ(x − r)) = κ(purchases − Λ(x))/λ0.
 */
export function lookbackForPurchases(path: PurchasePath, x: number, purchases: number, upToX?: number): number {
  const m = (path.steepness * (purchases - (upToX ?? cumulativePurchases(path, x)))) / path.baseRate;
  const logExpm1 = m > 30 ? m : Math.log(Math.expm1(m)); // log(e^m − 1) ≈ m for large m
  return x + logExpm1 / path.steepness;
}

/**
 * The s > 0 with expectedPurchases(from, from + s) = purchases: at an exponential draw, the time
 * to the next purchase. Infinity when fewer are expected before the churn (the customer never
 * buys again).
 */
export function forwardForPurchases(path: PurchasePath, from: number, purchases: number, upToFrom?: number): number {
  const before = upToFrom ?? cumulativePurchases(path, from);
  if (from >= path.churnAt || purchases >= path.baseRate * path.engagedAtChurn - before) return Infinity;
  const m = (-path.steepness * (before + purchases)) / path.baseRate;
  return -Math.log(Math.expm1(m)) / path.steepness - from;
}

// --- internal ---

/** κ·churnAt and κ·G(churnAt): where σ(−κx) = churnFloor, whatever the steepness. */
const churnAtTimesSteepness = Math.log(1 / churnFloor - 1);
const engagedAtChurnTimesSteepness = -softplus(-churnAtTimesSteepness);
