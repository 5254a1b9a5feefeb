/**
 * The record: field names, types and precisions (SPEC §1). Encoders and docs read this table,
 * so a field is declared in exactly one place.
 */
import type { PaymentMethod, ProductCategory, RiskLevel, ShippingMethod } from './profiles.ts';

/** baseline: no drift acts yet; rising / falling: drift strengthening / weakening; drifted: fully on. */
export const driftPhases = ['baseline', 'rising', 'drifted', 'falling'] as const;
export type DriftPhase = (typeof driftPhases)[number];

export interface CustomerRecord {
  customer_id: string;
  true_risk_level: RiskLevel;
  /** ISO-8601 UTC event time. */
  timestamp: string;
  /** 0..1; present only while a drift schedule is active. */
  drift_progress?: number;
  /** Where the drift schedule stands for this record; present with drift_progress. */
  drift_phase?: DriftPhase;
  /** Lifecycle snapshots only: days since the start of the simulated journey (0, 7, 14, …). */
  snapshot_day?: number;
  customer_age_days: number;
  account_age_days: number;
  days_since_last_order: number;
  total_orders: number;
  total_revenue: number;
  avg_order_value: number;
  order_frequency: number;
  website_visits_30d: number;
  email_open_rate: number;
  cart_abandonment_rate: number;
  product_views_30d: number;
  support_tickets_total: number;
  support_tickets_open: number;
  returns_count: number;
  refunds_count: number;
  favorite_category: ProductCategory;
  discount_usage_rate: number;
  premium_product_rate: number;
  payment_method: PaymentMethod;
  shipping_method: ShippingMethod;
  failed_payment_count: number;
  /** With the outcome (`--with-outcome`): no order in the 90 days after `timestamp`. */
  churned?: boolean;
  /** With the outcome: the true probability of no order in those 90 days, the label's basis. */
  churn_probability?: number;
  /**
   * With the prediction (`--with-prediction`): what a model fitted perfectly at the start of the run
   * predicts, the churn probability under the churn process as it was then (concept drift makes it stale).
   */
  predicted_churn_probability?: number;
  /** With the prediction: predicted_churn_probability ≥ 0.5. */
  predicted_churn?: boolean;
}

/** How a field is typed and written. Decimal kinds are rounded in the core to their precision. */
export const fieldKinds = [
  'string',
  'timestamp',
  'integer',
  'money',
  'frequency',
  'rate',
  'progress',
  'boolean',
] as const;
export type FieldKind = (typeof fieldKinds)[number];

/** Decimal places of each decimal kind; values are stored already rounded to these. */
export const decimalPlaces = {
  money: 2,
  frequency: 3,
  rate: 4,
  progress: 6,
} as const satisfies Partial<Record<FieldKind, number>>;

export interface FieldSpec {
  readonly name: keyof CustomerRecord;
  readonly kind: FieldKind;
  /** Absent from some records (e.g. drift_progress without a drift schedule). */
  readonly optional?: true;
}

/** Every field in output order. */
export const recordFields = [
  { name: 'customer_id', kind: 'string' },
  { name: 'true_risk_level', kind: 'string' },
  { name: 'timestamp', kind: 'timestamp' },
  { name: 'drift_progress', kind: 'progress', optional: true },
  { name: 'drift_phase', kind: 'string', optional: true },
  { name: 'snapshot_day', kind: 'integer', optional: true },
  { name: 'customer_age_days', kind: 'integer' },
  { name: 'account_age_days', kind: 'integer' },
  { name: 'days_since_last_order', kind: 'integer' },
  { name: 'total_orders', kind: 'integer' },
  { name: 'total_revenue', kind: 'money' },
  { name: 'avg_order_value', kind: 'money' },
  { name: 'order_frequency', kind: 'frequency' },
  { name: 'website_visits_30d', kind: 'integer' },
  { name: 'email_open_rate', kind: 'rate' },
  { name: 'cart_abandonment_rate', kind: 'rate' },
  { name: 'product_views_30d', kind: 'integer' },
  { name: 'support_tickets_total', kind: 'integer' },
  { name: 'support_tickets_open', kind: 'integer' },
  { name: 'returns_count', kind: 'integer' },
  { name: 'refunds_count', kind: 'integer' },
  { name: 'favorite_category', kind: 'string' },
  { name: 'discount_usage_rate', kind: 'rate' },
  { name: 'premium_product_rate', kind: 'rate' },
  { name: 'payment_method', kind: 'string' },
  { name: 'shipping_method', kind: 'string' },
  { name: 'failed_payment_count', kind: 'integer' },
  { name: 'churned', kind: 'boolean', optional: true },
  { name: 'churn_probability', kind: 'rate', optional: true },
  { name: 'predicted_churn_probability', kind: 'rate', optional: true },
  { name: 'predicted_churn', kind: 'boolean', optional: true },
] as const satisfies readonly FieldSpec[];

/** The numeric features a model would use (the optional schedule, snapshot and outcome fields excluded). */
export const numericFeatures = recordFields
  .filter((field) => !('optional' in field) && field.kind !== 'string' && field.kind !== 'timestamp')
  .map((field) => field.name);

/** The categorical features (customer_id and the label excluded). */
export const categoricalFeatures = ['favorite_category', 'payment_method', 'shipping_method'] as const;
