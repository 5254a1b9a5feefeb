/**
 * JSON encoders: one object per line (JSON Lines) or one JSON array. One template per record
 * (a test holds its text equal to JSON.stringify(record)). Closed-set strings (levels,
 * categories, methods, ISO timestamps) never need escaping; customer_id, the one free-form
 * string, is escaped when it has to be.
 */
import type { CustomerRecord } from '../core/schema.ts';
import { formatFrequency, formatMoney, formatProgress, formatRate } from './number-format.ts';
import type { RecordEncoder } from './types.ts';

/** The record as one JSON object, byte-identical to JSON.stringify(record); `suffix` is appended. */
export function encodeJsonObject(r: CustomerRecord, suffix = ''): string {
  const progress = r.drift_progress === undefined ? '' : `,"drift_progress":${formatProgress(r.drift_progress)}`;
  const phase = r.drift_phase === undefined ? '' : `,"drift_phase":"${r.drift_phase}"`;
  const day = r.snapshot_day === undefined ? '' : `,"snapshot_day":${r.snapshot_day}`;
  return `{"customer_id":${jsonString(r.customer_id)},"true_risk_level":"${r.true_risk_level}","timestamp":"${r.timestamp}"${progress}${phase}${day},"customer_age_days":${r.customer_age_days},"account_age_days":${r.account_age_days},"days_since_last_order":${r.days_since_last_order},"total_orders":${r.total_orders},"total_revenue":${formatMoney(r.total_revenue)},"avg_order_value":${formatMoney(r.avg_order_value)},"order_frequency":${formatFrequency(r.order_frequency)},"website_visits_30d":${r.website_visits_30d},"email_open_rate":${formatRate(r.email_open_rate)},"cart_abandonment_rate":${formatRate(r.cart_abandonment_rate)},"product_views_30d":${r.product_views_30d},"support_tickets_total":${r.support_tickets_total},"support_tickets_open":${r.support_tickets_open},"returns_count":${r.returns_count},"refunds_count":${r.refunds_count},"favorite_category":"${r.favorite_category}","discount_usage_rate":${formatRate(r.discount_usage_rate)},"premium_product_rate":${formatRate(r.premium_product_rate)},"payment_method":"${r.payment_method}","shipping_method":"${r.shipping_method}","failed_payment_count":${r.failed_payment_count}}${suffix}`;
}

export const jsonLinesEncoder: RecordEncoder = {
  format: 'jsonl',
  header: '',
  encode: (record) => encodeJsonObject(record, '\n'),
  footer: '',
};

/** A JSON array, one record per line, readable by any JSON parser (e.g. Python's json.load). */
export const jsonArrayEncoder: RecordEncoder = {
  format: 'json',
  header: '[\n',
  encode: (record, position) => `${position === 0 ? '' : ',\n'}${encodeJsonObject(record)}`,
  footer: '\n]\n',
};

// --- internal ---

/** Quoted JSON string; a character scan (cheaper than a regex per record) finds plain ASCII. */
function jsonString(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return JSON.stringify(value);
  }
  return `"${value}"`;
}
