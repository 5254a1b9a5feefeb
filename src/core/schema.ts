/**
 * The record: field names, types and precisions (SPEC §1). Encoders and docs read this table,
 * so a field is declared in exactly one place.
 */
import { paymentMethods, productCategories, riskLevels, shippingMethods } from './profiles.ts';

/** baseline: no drift acts yet; rising / falling: drift strengthening / weakening; drifted: fully on. */
export const driftPhases = ['baseline', 'rising', 'drifted', 'falling'] as const;
export type DriftPhase = (typeof driftPhases)[number];

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
  readonly name: string;
  readonly kind: FieldKind;
  /** Absent from some records (e.g. drift_progress without a drift schedule). */
  readonly optional?: true;
  /** A string field's closed set of values (its type is their union). */
  readonly values?: readonly string[];
}

/**
 * Every field in output order: the one declaration of the record. The CustomerRecord type, the
 * CSV header and columns, Parquet's schema and the feature lists follow from it; the JSON
 * encoders and docs/model.md are held to it by tests. What each field means: docs/model.md.
 */
export const recordFields = [
  { name: 'customer_id', kind: 'string' },
  { name: 'true_risk_level', kind: 'string', values: riskLevels },
  { name: 'timestamp', kind: 'timestamp' },
  { name: 'drift_progress', kind: 'progress', optional: true },
  { name: 'drift_phase', kind: 'string', optional: true, values: driftPhases },
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
  { name: 'favorite_category', kind: 'string', values: productCategories },
  { name: 'discount_usage_rate', kind: 'rate' },
  { name: 'premium_product_rate', kind: 'rate' },
  { name: 'payment_method', kind: 'string', values: paymentMethods },
  { name: 'shipping_method', kind: 'string', values: shippingMethods },
  { name: 'failed_payment_count', kind: 'integer' },
  { name: 'churned', kind: 'boolean', optional: true },
  { name: 'churn_probability', kind: 'rate', optional: true },
  { name: 'predicted_churn_probability', kind: 'rate', optional: true },
  { name: 'predicted_churn', kind: 'boolean', optional: true },
] as const satisfies readonly FieldSpec[];

/** The TypeScript type of each kind's values. */
interface KindValues {
  string: string;
  timestamp: string;
  integer: number;
  money: number;
  frequency: number;
  rate: number;
  progress: number;
  boolean: boolean;
}
type Field = (typeof recordFields)[number];
type ValueOf<F extends Field> = F extends { values: readonly (infer V)[] } ? V : KindValues[F['kind']];

/**
 * One customer record, typed from recordFields: the optional fields (drift schedule, lifecycle
 * snapshot, outcome, prediction) are optional properties.
 */
export type CustomerRecord = {
  -readonly [F in Exclude<Field, { optional: true }> as F['name']]: ValueOf<F>;
} & {
  -readonly [F in Extract<Field, { optional: true }> as F['name']]?: ValueOf<F>;
};

/** The numeric features a model would use (the optional schedule, snapshot and outcome fields excluded). */
export const numericFeatures = recordFields
  .filter((field) => !('optional' in field) && field.kind !== 'string' && field.kind !== 'timestamp')
  .map((field) => field.name);

/** The categorical features (customer_id and the label excluded). */
export const categoricalFeatures = ['favorite_category', 'payment_method', 'shipping_method'] as const;
