/**
 * CSV (RFC 4180) with a header row. Numbers are written as in JSON; strings are quoted only when
 * they contain a comma, quote or line break, which the closed sets of values never do (checked
 * below at load), so only the free-form customer_id is checked per record.
 */
import { paymentMethods, productCategories, shippingMethods } from '../core/profiles.ts';
import type { CustomerRecord } from '../core/schema.ts';
import { recordFields } from '../core/schema.ts';
import { formatFrequency, formatMoney, formatProgress, formatRate } from './number-format.ts';
import type { OptionalField, RecordEncoder } from './types.ts';

/** RFC 4180 field text for a string. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Header names of a CSV written with these optional fields. */
export function csvColumns(optionalFields: readonly OptionalField[] = []): string[] {
  return recordFields
    .filter((field) => !('optional' in field) || optionalFields.includes(field.name))
    .map((field) => field.name);
}

export function createCsvEncoder(optionalFields: readonly OptionalField[] = []): RecordEncoder {
  const withProgress = optionalFields.includes('drift_progress');
  const withPhase = optionalFields.includes('drift_phase');
  const withDay = optionalFields.includes('snapshot_day');
  const withOutcome = optionalFields.includes('churned');
  const outcomeCells = (r: CustomerRecord): string =>
    withOutcome
      ? `,${r.churned === undefined ? '' : String(r.churned)},${r.churn_probability === undefined ? '' : formatRate(r.churn_probability)}`
      : '';
  const withPrediction = optionalFields.includes('predicted_churn_probability');
  const predictionCells = (r: CustomerRecord): string =>
    withPrediction
      ? `,${r.predicted_churn_probability === undefined ? '' : formatRate(r.predicted_churn_probability)},${r.predicted_churn === undefined ? '' : String(r.predicted_churn)}`
      : '';
  const optionalCells = (r: CustomerRecord): string =>
    (withProgress ? `,${r.drift_progress === undefined ? '' : formatProgress(r.drift_progress)}` : '') +
    (withPhase ? `,${r.drift_phase ?? ''}` : '') +
    (withDay ? `,${r.snapshot_day ?? ''}` : '');
  return {
    format: 'csv',
    header: `${csvColumns(optionalFields).join(',')}\n`,
    encode: (r) =>
      `${csvField(r.customer_id)},${r.true_risk_level},${r.timestamp}${optionalCells(r)},${r.customer_age_days},${r.account_age_days},${r.days_since_last_order},${r.total_orders},${formatMoney(r.total_revenue)},${formatMoney(r.avg_order_value)},${formatFrequency(r.order_frequency)},${r.website_visits_30d},${formatRate(r.email_open_rate)},${formatRate(r.cart_abandonment_rate)},${r.product_views_30d},${r.support_tickets_total},${r.support_tickets_open},${r.returns_count},${r.refunds_count},${r.favorite_category},${formatRate(r.discount_usage_rate)},${formatRate(r.premium_product_rate)},${r.payment_method},${r.shipping_method},${r.failed_payment_count}${outcomeCells(r)}${predictionCells(r)}\n`,
    footer: '',
  };
}

// --- internal ---

const NEEDS_QUOTES = /[",\r\n]/;

for (const value of [...productCategories, ...paymentMethods, ...shippingMethods]) {
  if (csvField(value) !== value) throw new Error(`CSV encoder assumes "${value}" needs no quoting`);
}
