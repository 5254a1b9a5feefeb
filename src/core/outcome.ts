/**
 * Delayed churn outcomes: what a production churn model learns about a customer after scoring
 * it. A record's outcome becomes known at the customer's next order, if it comes within the
 * horizon (not churned), or else when the horizon has passed (churned).
 */
import { churnHorizonDays } from './behaviour.ts';
import { CounterRng, streamDomains } from './random.ts';
import { MS_PER_DAY, formatIsoTimestamp } from './time.ts';

/** One outcome message. */
export interface ChurnOutcome {
  customer_id: string;
  /** The event time of the record this is the outcome of. */
  timestamp: string;
  /** When the outcome became known: the next order, or the record's time plus the horizon. */
  observed_at: string;
  /** No order within the horizon after the record. */
  churned: boolean;
  /** The order that settled it; absent when the customer churned. */
  next_order_at?: string | undefined;
}

/** The outcome fields, in message order. */
export const outcomeFieldNames = ['customer_id', 'timestamp', 'observed_at', 'churned', 'next_order_at'] as const;

export interface OutcomeRules {
  /** Days after a record within which an order means the customer stayed (0 < days ≤ 90). */
  horizonDays: number;
  /** Share of outcomes that never arrive (labels lost), 0..1, decided per record by the seed. */
  labelMissing: number;
  seed: number;
}

export const defaultOutcomeHorizonDays = churnHorizonDays;

/** When a record's outcome is known (epoch ms) and what it is. */
export function settleOutcome(
  eventMs: number,
  nextOrderDays: number,
  horizonDays: number,
): { observedAtMs: number; churned: boolean } {
  if (nextOrderDays <= horizonDays)
    return { observedAtMs: eventMs + Math.round(nextOrderDays * MS_PER_DAY), churned: false };
  return { observedAtMs: eventMs + Math.round(horizonDays * MS_PER_DAY), churned: true };
}

/** The outcome message. */
export function outcomeMessage(
  customerId: string,
  eventMs: number,
  observedAtMs: number,
  churned: boolean,
): ChurnOutcome {
  const observedAt = formatIsoTimestamp(observedAtMs);
  const timestamp = formatIsoTimestamp(eventMs);
  return churned
    ? { customer_id: customerId, timestamp, observed_at: observedAt, churned }
    : { customer_id: customerId, timestamp, observed_at: observedAt, churned, next_order_at: observedAt };
}

/** Whether the outcome of record `index` (the run's global record index) never arrives. */
export function isLabelMissing(rules: OutcomeRules, index: number, rng = new CounterRng()): boolean {
  if (!(rules.labelMissing > 0)) return false;
  rng.reset(rules.seed, streamDomains.outcome, index);
  return rng.next() < rules.labelMissing;
}
