/** SPEC §1 and §1b invariants, as one checker that names the first broken rule. */
import type { CustomerRecord } from '../../src/core/schema.ts';
import { paymentMethods, productCategories, riskLevels, shippingMethods } from '../../src/core/profiles.ts';

const counts = [
  'customer_age_days',
  'account_age_days',
  'days_since_last_order',
  'total_orders',
  'website_visits_30d',
  'product_views_30d',
  'support_tickets_total',
  'support_tickets_open',
  'returns_count',
  'refunds_count',
  'failed_payment_count',
] as const;
const rates = ['email_open_rate', 'cart_abandonment_rate', 'discount_usage_rate', 'premium_product_rate'] as const;

/** Returns the broken rule, or undefined when the record is a possible customer. */
export function brokenInvariant(r: CustomerRecord): string | undefined {
  for (const field of counts) {
    if (!Number.isInteger(r[field]) || r[field] < 0) return `${field} is not a non-negative integer: ${r[field]}`;
  }
  for (const field of rates) {
    if (!(r[field] >= 0 && r[field] <= 1)) return `${field} outside [0, 1]: ${r[field]}`;
  }
  for (const field of ['total_revenue', 'avg_order_value', 'order_frequency'] as const) {
    if (!(r[field] >= 0) || !Number.isFinite(r[field])) return `${field} negative or not finite: ${r[field]}`;
  }
  if (r.support_tickets_open > r.support_tickets_total) return 'more open tickets than tickets';
  if (r.returns_count > r.total_orders) return 'more returns than orders';
  if (r.refunds_count > r.total_orders) return 'more refunds than orders';
  if (r.account_age_days < r.customer_age_days) return 'account younger than the customer relationship';
  if (r.total_orders > 0 && r.days_since_last_order > r.customer_age_days) return 'last order before the first';
  if (Math.abs(r.total_revenue - r.total_orders * r.avg_order_value) > 0.005 + 1e-9 * r.total_revenue) {
    return `revenue ${r.total_revenue} != ${r.total_orders} x ${r.avg_order_value}`;
  }
  if (r.total_orders === 0 && r.total_revenue !== 0) return 'revenue without orders';
  if (Number.isNaN(Date.parse(r.timestamp))) return `timestamp does not parse: ${r.timestamp}`;
  if (!riskLevels.includes(r.true_risk_level)) return `unknown level ${r.true_risk_level}`;
  if (!productCategories.includes(r.favorite_category)) return `unknown category ${r.favorite_category}`;
  if (!paymentMethods.includes(r.payment_method)) return `unknown payment method ${r.payment_method}`;
  if (!shippingMethods.includes(r.shipping_method)) return `unknown shipping method ${r.shipping_method}`;
  // SPEC §1b: the record observes a purchase history.
  if (r.total_orders < 1) return 'no order at all';
  if (r.total_orders === 1 && r.days_since_last_order !== r.customer_age_days)
    return `one order, yet ${r.days_since_last_order} days since the last and ${r.customer_age_days} since the first`;
  const windowDays = Math.min(180, r.customer_age_days);
  const implied = (r.order_frequency * windowDays) / 30.44;
  const orders = Math.round(implied);
  if (Math.abs(implied - orders) > (0.0005 * windowDays) / 30.44 + 1e-9)
    return `order_frequency ${r.order_frequency} implies ${implied} orders in ${windowDays} days`;
  if (orders > r.total_orders) return `${orders} orders in the window but ${r.total_orders} in all`;
  if (r.days_since_last_order < windowDays && orders < 1) return 'the last order is in the window, which has none';
  if (r.churn_probability !== undefined && !(r.churn_probability >= 0 && r.churn_probability <= 1))
    return `churn_probability outside [0, 1]: ${r.churn_probability}`;
  if ((r.churned === undefined) !== (r.churn_probability === undefined)) return 'half an outcome';
  if (r.drift_progress !== undefined && !(r.drift_progress >= 0 && r.drift_progress <= 1))
    return 'drift_progress outside [0, 1]';
  return undefined;
}
