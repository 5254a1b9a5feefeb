/**
 * JSON encoders: one object per line (JSON Lines) or one JSON array. One template per record
 * (a test holds its text equal to JSON.stringify(record)). Closed-set strings (levels,
 * categories, methods, ISO timestamps) never need escaping; customer_id, the one free-form
 * string, is escaped when it has to be.
 */
import type { CustomerFields } from '../core/customer.ts';
import type { CustomerRecord } from '../core/schema.ts';
import { formatFrequency, formatMoney, formatProgress, formatRate } from './number-format.ts';
import { paymentMethods, productCategories, riskLevels, shippingMethods } from '../core/profiles.ts';
import { decimalPlaces } from '../core/schema.ts';
import { constantText } from './byte-writer.ts';
import type { ByteWriter, ConstantText } from './byte-writer.ts';
import type { RecordEncoder } from './types.ts';

/** The record as one JSON object, byte-identical to JSON.stringify(record); `suffix` is appended. */
export function encodeJsonObject(r: CustomerRecord, suffix = ''): string {
  const progress = r.drift_progress === undefined ? '' : `,"drift_progress":${formatProgress(r.drift_progress)}`;
  const phase = r.drift_phase === undefined ? '' : `,"drift_phase":"${r.drift_phase}"`;
  const day = r.snapshot_day === undefined ? '' : `,"snapshot_day":${r.snapshot_day}`;
  return `{"customer_id":${jsonString(r.customer_id)},"true_risk_level":"${r.true_risk_level}","timestamp":"${r.timestamp}"${progress}${phase}${day},"customer_age_days":${r.customer_age_days},"account_age_days":${r.account_age_days},"days_since_last_order":${r.days_since_last_order},"total_orders":${r.total_orders},"total_revenue":${formatMoney(r.total_revenue)},"avg_order_value":${formatMoney(r.avg_order_value)},"order_frequency":${formatFrequency(r.order_frequency)},"website_visits_30d":${r.website_visits_30d},"email_open_rate":${formatRate(r.email_open_rate)},"cart_abandonment_rate":${formatRate(r.cart_abandonment_rate)},"product_views_30d":${r.product_views_30d},"support_tickets_total":${r.support_tickets_total},"support_tickets_open":${r.support_tickets_open},"returns_count":${r.returns_count},"refunds_count":${r.refunds_count},"favorite_category":"${r.favorite_category}","discount_usage_rate":${formatRate(r.discount_usage_rate)},"premium_product_rate":${formatRate(r.premium_product_rate)},"payment_method":"${r.payment_method}","shipping_method":"${r.shipping_method}","failed_payment_count":${r.failed_payment_count}${outcomeText(r)}}${suffix}`;
}

/**
 * encodeJsonObject's bytes, written straight into `out` (the fast path of files and Kafka). The id
 * and event time come as text (a record's) or as numbers (the customer index and epoch ms, which
 * batch writes without making strings). `suffix` is one byte appended (a newline), or -1.
 */
export function encodeJsonInto(
  r: CustomerFields,
  customerId: string | number,
  time: string | number,
  out: ByteWriter,
  suffix = -1,
): void {
  if (typeof customerId === 'number') writeIdFromIndex(customerId, out);
  else if (isPlainAscii(customerId)) {
    out.constant(K.open);
    out.byte(QUOTE);
    out.ascii(customerId);
  } else {
    out.constant(K.open);
    const quoted = JSON.stringify(customerId);
    out.utf8(quoted.slice(0, -1)); // the closing quote starts the next constant
  }
  out.constant(levelThenTimestamp.of(r.true_risk_level));
  if (typeof time === 'number') out.isoTimestamp(time);
  else out.ascii(time);
  if (r.drift_progress === undefined && r.drift_phase === undefined && r.snapshot_day === undefined) {
    out.constant(K.timeThenCustomerAge);
  } else {
    out.byte(QUOTE);
    if (r.drift_progress !== undefined) {
      out.constant(K.progress);
      out.decimal(r.drift_progress, decimalPlaces.progress, 1e6);
    }
    if (r.drift_phase !== undefined) {
      out.constant(K.phase);
      out.ascii(r.drift_phase);
      out.byte(QUOTE);
    }
    if (r.snapshot_day !== undefined) {
      out.constant(K.snapshotDay);
      out.number(r.snapshot_day);
    }
    out.constant(K.customerAge);
  }
  out.number(r.customer_age_days);
  out.constant(K.accountAge);
  out.number(r.account_age_days);
  out.constant(K.daysSince);
  out.number(r.days_since_last_order);
  out.constant(K.totalOrders);
  out.number(r.total_orders);
  out.constant(K.totalRevenue);
  out.cents(r.total_revenue);
  out.constant(K.avgOrderValue);
  out.cents(r.avg_order_value);
  out.constant(K.orderFrequency);
  out.thousandths(r.order_frequency);
  out.constant(K.visits);
  out.number(r.website_visits_30d);
  out.constant(K.emailOpen);
  out.tenThousandths(r.email_open_rate);
  out.constant(K.cartAbandonment);
  out.tenThousandths(r.cart_abandonment_rate);
  out.constant(K.views);
  out.number(r.product_views_30d);
  out.constant(K.ticketsTotal);
  out.number(r.support_tickets_total);
  out.constant(K.ticketsOpen);
  out.number(r.support_tickets_open);
  out.constant(K.returns);
  out.number(r.returns_count);
  out.constant(K.refunds);
  out.number(r.refunds_count);
  out.constant(categoryThenDiscount.of(r.favorite_category));
  out.tenThousandths(r.discount_usage_rate);
  out.constant(K.premium);
  out.tenThousandths(r.premium_product_rate);
  out.constant(paymentThenShipping.of(r.payment_method));
  out.constant(shippingThenFailures.of(r.shipping_method));
  out.number(r.failed_payment_count);
  if (r.churned !== undefined) {
    out.constant(r.churned ? K.churnedTrue : K.churnedFalse);
    out.tenThousandths(r.churn_probability ?? 0);
  }
  if (r.predicted_churn_probability !== undefined) {
    out.constant(K.predictedProbability);
    out.tenThousandths(r.predicted_churn_probability);
    out.constant(r.predicted_churn === true ? K.predictedTrue : K.predictedFalse);
  }
  out.byte(CLOSE);
  if (suffix >= 0) out.byte(suffix);
}

/**
 * `{"customer_id":"cust_00000042`: everything but the last two digits changes once per hundred
 * customers, so it is cached as bytes (like the timestamp's minute).
 */
function writeIdFromIndex(index: number, out: ByteWriter): void {
  if (index >= 1e8) {
    out.constant(K.openId);
    out.number(index);
    return;
  }
  const hundred = Math.floor(index / 100);
  if (hundred !== cachedIdHundred) {
    cachedIdHundred = hundred;
    cachedIdPrefix.rewrite(`{"customer_id":"cust_${String(hundred + 1e6).slice(1)}`);
  }
  out.constant(cachedIdPrefix);
  out.zeroPadded(index - hundred * 100, 2);
}
let cachedIdHundred = Number.NaN;
const cachedIdPrefix = constantText('{"customer_id":"cust_000000');

/** Upper bound of a record's encoded bytes (fixed fields plus an id escaped at worst). */
export function maxEncodedBytes(r: CustomerRecord): number {
  return maxFieldsBytes + 6 * r.customer_id.length;
}

/** Upper bound of the bytes of a record written from its fields, index and event time. */
export const maxFieldsBytes = 2048;

export const jsonLinesEncoder: RecordEncoder = {
  format: 'jsonl',
  header: '',
  encode: (record) => encodeJsonObject(record, '\n'),
  encodeInto: (record, _position, out) => {
    encodeJsonInto(record, record.customer_id, record.timestamp, out, NEWLINE);
  },
  encodeFieldsInto: (fields, index, eventMs, _position, out) => {
    encodeJsonInto(fields, index, eventMs, out, NEWLINE);
  },
  maxBytes: maxEncodedBytes,
  footer: '',
};

/** A JSON array, one record per line, readable by any JSON parser (e.g. Python's json.load). */
export const jsonArrayEncoder: RecordEncoder = {
  format: 'json',
  header: '[\n',
  encode: (record, position) => `${position === 0 ? '' : ',\n'}${encodeJsonObject(record)}`,
  encodeInto: (record, position, out) => {
    if (position !== 0) out.constant(K.separator);
    encodeJsonInto(record, record.customer_id, record.timestamp, out);
  },
  encodeFieldsInto: (fields, index, eventMs, position, out) => {
    if (position !== 0) out.constant(K.separator);
    encodeJsonInto(fields, index, eventMs, out);
  },
  maxBytes: maxEncodedBytes,
  footer: '\n]\n',
};

// --- internal ---

/** The outcome fields' text (with --with-outcome), or nothing. */
function outcomeText(r: CustomerRecord): string {
  const outcome =
    r.churned === undefined
      ? ''
      : `,"churned":${r.churned},"churn_probability":${formatRate(r.churn_probability ?? 0)}`;
  const prediction =
    r.predicted_churn_probability === undefined
      ? ''
      : `,"predicted_churn_probability":${formatRate(r.predicted_churn_probability)},"predicted_churn":${r.predicted_churn === true}`;
  return outcome + prediction;
}

/** Quoted JSON string; plain ASCII (found by a character scan) goes as it is. */
function jsonString(value: string): string {
  return isPlainAscii(value) ? `"${value}"` : JSON.stringify(value);
}

/** Printable ASCII without quote or backslash: needs no escaping in JSON. */
function isPlainAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const CLOSE = 0x7d;

/** The constant text between the values, as bytes. */
const K = {
  open: constantText('{"customer_id":'),
  openId: constantText('{"customer_id":"cust_'),
  timeThenCustomerAge: constantText('","customer_age_days":'),
  progress: constantText(',"drift_progress":'),
  phase: constantText(',"drift_phase":"'),
  snapshotDay: constantText(',"snapshot_day":'),
  churnedTrue: constantText(',"churned":true,"churn_probability":'),
  churnedFalse: constantText(',"churned":false,"churn_probability":'),
  predictedProbability: constantText(',"predicted_churn_probability":'),
  predictedTrue: constantText(',"predicted_churn":true'),
  predictedFalse: constantText(',"predicted_churn":false'),
  customerAge: constantText(',"customer_age_days":'),
  accountAge: constantText(',"account_age_days":'),
  daysSince: constantText(',"days_since_last_order":'),
  totalOrders: constantText(',"total_orders":'),
  totalRevenue: constantText(',"total_revenue":'),
  avgOrderValue: constantText(',"avg_order_value":'),
  orderFrequency: constantText(',"order_frequency":'),
  visits: constantText(',"website_visits_30d":'),
  emailOpen: constantText(',"email_open_rate":'),
  cartAbandonment: constantText(',"cart_abandonment_rate":'),
  views: constantText(',"product_views_30d":'),
  ticketsTotal: constantText(',"support_tickets_total":'),
  ticketsOpen: constantText(',"support_tickets_open":'),
  returns: constantText(',"returns_count":'),
  refunds: constantText(',"refunds_count":'),
  premium: constantText(',"premium_product_rate":'),
  separator: constantText(',\n'),
} as const;

/**
 * Closed-set values with the constant text around them, one copy each instead of three. Found by
 * scanning the few values (interned strings compare by pointer): a lookup by property name that
 * sees every value goes through V8's megamorphic path.
 */
class TextAround<T extends string> {
  readonly #values: readonly T[];
  readonly #texts: readonly ConstantText[];

  constructor(values: readonly T[], text: (value: T) => string) {
    this.#values = values;
    this.#texts = values.map((value) => constantText(text(value)));
  }

  of(value: T): ConstantText {
    const values = this.#values;
    for (let i = 0; i < values.length; i++) if (values[i] === value) return this.#texts[i] as ConstantText;
    throw new TypeError(`Not one of ${values.join(', ')}: ${value}`);
  }
}
const levelThenTimestamp = new TextAround(riskLevels, (v) => `","true_risk_level":"${v}","timestamp":"`);
const categoryThenDiscount = new TextAround(
  productCategories,
  (v) => `,"favorite_category":"${v}","discount_usage_rate":`,
);
const paymentThenShipping = new TextAround(paymentMethods, (v) => `,"payment_method":"${v}","shipping_method":"`);
const shippingThenFailures = new TextAround(shippingMethods, (v) => `${v}","failed_payment_count":`);
