/**
 * The record's field table (core/schema.ts) is the one list of fields: the record's type follows
 * from it, and the docs' table of the record lists exactly its fields, in its order.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ProductCategory, RiskLevel } from '../../src/core/profiles.ts';
import type { CustomerRecord, DriftPhase } from '../../src/core/schema.ts';
import { recordFields } from '../../src/core/schema.ts';

describe('the CustomerRecord type, from the table', () => {
  it('has each field with its kind or closed set, the optional ones optional', () => {
    expectTypeOf<keyof CustomerRecord>().toEqualTypeOf<(typeof recordFields)[number]['name']>();
    expectTypeOf<CustomerRecord['true_risk_level']>().toEqualTypeOf<RiskLevel>();
    expectTypeOf<CustomerRecord['favorite_category']>().toEqualTypeOf<ProductCategory>();
    expectTypeOf<CustomerRecord['total_orders']>().toEqualTypeOf<number>();
    expectTypeOf<CustomerRecord['timestamp']>().toEqualTypeOf<string>();
    expectTypeOf<CustomerRecord['drift_phase']>().toEqualTypeOf<DriftPhase | undefined>();
    expectTypeOf<CustomerRecord['churned']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<Pick<CustomerRecord, 'total_orders'>>().toEqualTypeOf<{ total_orders: number }>();
    expectTypeOf<Pick<CustomerRecord, 'churned'>>().toEqualTypeOf<{ churned?: boolean }>();
    expect(recordFields.filter((field) => 'values' in field).map((field) => field.name)).toEqual([
      'true_risk_level',
      'drift_phase',
      'favorite_category',
      'payment_method',
      'shipping_method',
    ]);
  });
});

describe("docs/model.md's record table", () => {
  it('lists every field of recordFields, in order, and no other', () => {
    const text = readFileSync(new URL('../../docs/model.md', import.meta.url), 'utf8');
    const section = text.slice(text.indexOf('## The record'), text.indexOf('## How customers are made'));
    const documented = [...section.matchAll(/^\| `([a-z0-9_]+)` +\|/gm)].map((match) => match[1]);
    expect(documented).toEqual(recordFields.map((field) => field.name));
  });
});
