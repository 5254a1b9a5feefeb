import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { CustomerRecord } from '../../src/core/schema.ts';
import { recordFields } from '../../src/core/schema.ts';
import { csvColumns, csvField } from '../../src/encoders/csv.ts';
import { createEncoder, formatFromPath } from '../../src/encoders/index.ts';
import { encodeJsonObject } from '../../src/encoders/json.ts';
import { ByteWriter, constantText } from '../../src/encoders/byte-writer.ts';
import { decimalFormatter } from '../../src/encoders/number-format.ts';
import { BatchGenerator, batchRecords, writeBatch } from '../../src/modes/batch.ts';
import { FileSink } from '../../src/sinks/file.ts';
import { tempDir } from '../support/cli.ts';
import { fixedStart, sample } from '../support/records.ts';
import { SyntheticDataGenerator } from '../../src/generator.ts';

const records = [
  ...sample(3000, { seed: 31 }),
  ...sample(1000, { seed: 32, drift: 1, direction: 1 }),
  ...sample(1000, { seed: 33, drift: 1, direction: -1, level: 'low' }),
];

describe('number formatting', () => {
  it.each([2, 3, 4, 6])('gives String(v) for values rounded to %d places', (places) => {
    const format = decimalFormatter(places);
    const scale = 10 ** places;
    for (let i = 0; i < 20_000; i++) {
      const n = Math.floor(Math.random() * 1e9);
      const value = n / scale;
      expect(format(value)).toBe(String(value));
    }
    expect(format(0)).toBe('0');
    expect(format(1)).toBe('1');
  });
});

describe('the byte-level fast path', () => {
  const writeAll = (encoder: ReturnType<typeof createEncoder>, rs: readonly CustomerRecord[]): Buffer => {
    const out = new ByteWriter(Buffer.alloc(rs.reduce((n, r) => n + encoder.maxBytes!(r), 0)));
    rs.forEach((r, i) => encoder.encodeInto!(r, i, out));
    return Buffer.from(out.buffer.subarray(0, out.position));
  };
  const odd: CustomerRecord[] = [
    { ...records[0]!, customer_id: 'Zoë "the" \\ client\n', drift_progress: 0.000001, drift_phase: 'rising' },
    { ...records[1]!, customer_id: '客户-7', snapshot_day: 175, drift_progress: 1, drift_phase: 'drifted' },
    { ...records[2]!, total_revenue: 1234567.5, avg_order_value: 0.01, order_frequency: 12, email_open_rate: 0.0001 },
  ];

  it.each(['jsonl', 'json'] as const)('%s: encodeInto writes exactly the bytes of encode', (format) => {
    const encoder = createEncoder(format);
    const all = [...records, ...odd];
    const text = all.map((r, i) => encoder.encode(r, i)).join('');
    expect(writeAll(encoder, all).equals(Buffer.from(text))).toBe(true);
  });

  it.each(['jsonl', 'json'] as const)(
    '%s: encodeFieldsInto (id and time from numbers) writes exactly the bytes of encode(record)',
    (format) => {
      const encoder = createEncoder(format);
      const cases = [
        { count: 3000, seed: 5, start: '2026-01-01T00:00:00Z', intervalMs: 37_777 },
        { count: 50, seed: 6, start: '1970-01-01T00:00:00Z', intervalMs: 1 },
        { count: 50, seed: 7, start: '9999-12-31T23:59:00Z', intervalMs: 1000 },
        { count: 200, seed: 8, start: 0, shard: { index: 99_999_950, count: 100_000_000 } }, // indices past 10^8
      ];
      for (const options of cases) {
        const generator = new BatchGenerator(options);
        const out = new ByteWriter(Buffer.alloc(options.count * 2100));
        let text = '';
        for (let p = 0; p < Math.min(options.count, 60); p++) {
          generator.generate(p);
          encoder.encodeFieldsInto!(generator.fields, generator.index, generator.eventMs, p, out);
          text += encoder.encode(generator.record(), p);
        }
        expect(Buffer.from(out.buffer.subarray(0, out.position)).toString()).toBe(text);
      }
    },
  );

  it('constants: every length at every offset, nothing written outside them', () => {
    const alphabet = ' !"#$%&,:{}[]_abcxyzABC0123456789~\n';
    for (let length = 0; length <= 40; length++) {
      const text = Array.from({ length }, (_, i) => alphabet[(i * 7 + length) % alphabet.length]).join('');
      const constant = constantText(text);
      for (let offset = 0; offset < 9; offset++) {
        const out = new ByteWriter(new Uint8Array(64).fill(0x2a));
        out.position = offset;
        out.constant(constant);
        expect(out.position).toBe(offset + length);
        // Scratch may follow the text up to 32 bytes or its last whole word; nothing before it changes.
        const written = Buffer.from(out.buffer).toString('latin1');
        const reach = Math.max(32, 8 * Math.ceil(length / 8));
        expect(written.slice(0, offset + length)).toBe(`${'*'.repeat(offset)}${text}`);
        expect(written.slice(offset + reach)).toBe('*'.repeat(64 - offset - reach));
      }
    }
    expect(() => constantText('caf\u00e9')).toThrow(/ASCII/);
  });

  it('numbers: integers and decimals exactly as String(value)', () => {
    const out = new ByteWriter(Buffer.alloc(64));
    const text = (write: () => void): string => {
      out.position = 0;
      write();
      return Buffer.from(out.buffer.subarray(0, out.position)).toString();
    };
    for (let i = 0; i < 20_000; i++) {
      const n = Math.floor(Math.random() * 10 ** Math.floor(Math.random() * 13));
      expect(text(() => out.number(n))).toBe(String(n));
      for (const places of [2, 3, 4, 6]) {
        const value = n / 10 ** places;
        expect(text(() => out.decimal(value, places, 10 ** places))).toBe(String(value));
      }
    }
    for (let n = 0; n <= 20_000; n++) {
      expect(text(() => out.thousandths(n / 1000))).toBe(String(n / 1000));
      expect(text(() => out.tenThousandths(n / 10_000))).toBe(String(n / 10_000));
      expect(text(() => out.cents(n / 100))).toBe(String(n / 100));
    }
    expect(text(() => out.number(-3))).toBe('-3');
    expect(text(() => out.decimal(-0.5, 2, 100))).toBe('-0.5');
  });
});

describe('JSON', () => {
  it('writes exactly JSON.stringify(record), drift_progress included when present', () => {
    for (const record of records) expect(encodeJsonObject(record)).toBe(JSON.stringify(record));
    const withProgress = { ...records[0]!, drift_progress: 0.123456 };
    expect(encodeJsonObject(withProgress)).toBe(JSON.stringify(withProgress));
  });

  it('escapes a free-form customer_id', () => {
    const odd = { ...records[0]!, customer_id: 'a"b\\c\n,é' };
    expect(JSON.parse(encodeJsonObject(odd))).toEqual(odd);
  });
});

describe('CSV', () => {
  it('has a header of every field name in schema order', () => {
    expect(createEncoder('csv').header).toBe(
      `${recordFields
        .filter((f) => !('optional' in f))
        .map((f) => f.name)
        .join(',')}\n`,
    );
    expect(csvColumns(['drift_progress'])).toContain('drift_progress');
  });

  it('quotes only what RFC 4180 needs', () => {
    expect(csvField('Home & Garden')).toBe('Home & Garden');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
  });
});

describe('files read back by real parsers', () => {
  const dir = tempDir();
  const count = 3000;
  const expected = Array.from(batchRecords({ count, seed: 77, start: fixedStart }));
  const write = async (format: 'jsonl' | 'json' | 'csv'): Promise<string> => {
    const path = join(dir, `customers.${format}`);
    await writeBatch({ count, seed: 77, start: fixedStart, format, sink: await FileSink.open(path), chunkBytes: 4096 });
    return path;
  };

  it('JSON Lines: one JSON.parse per line gives the records', async () => {
    const lines = readFileSync(await write('jsonl'), 'utf8')
      .trimEnd()
      .split('\n');
    expect(lines.map((line) => JSON.parse(line) as CustomerRecord)).toEqual(expected);
  });

  it('JSON: JSON.parse of the file gives the array of records', async () => {
    expect(JSON.parse(readFileSync(await write('json'), 'utf8'))).toEqual(expected);
  });

  it('CSV: csv-parse gives the records, numbers as numbers', async () => {
    const rows = parse<Record<string, unknown>>(readFileSync(await write('csv')), { columns: true, cast: true });
    expect(rows).toHaveLength(count);
    expect(rows).toEqual(expected.map((r) => ({ ...r })));
  });

  it("Python's json, csv (and pandas where installed) read the files", async () => {
    const [jsonPath, jsonlPath, csvPath] = [await write('json'), await write('jsonl'), await write('csv')];
    const script = `
import csv, json, sys
arr = json.load(open(sys.argv[1]))
lines = [json.loads(l) for l in open(sys.argv[2])]
rows = list(csv.DictReader(open(sys.argv[3], newline='')))
assert arr == lines, 'json and jsonl differ'
assert len(rows) == len(arr) and rows[0]['customer_id'] == arr[0]['customer_id']
assert all(float(r['total_revenue']) == a['total_revenue'] for r, a in zip(rows, arr))
try:
    import pandas as pd
    df = pd.read_csv(sys.argv[3])
    assert len(df) == len(arr) and str(df['total_orders'].dtype).startswith('int')
    assert abs(df['total_revenue'].sum() - sum(a['total_revenue'] for a in arr)) < 0.01
    print('ok pandas', len(df))
except ImportError:
    print('ok no-pandas', len(arr))
`;
    const python =
      ['/usr/bin/python3', 'python3'].find((p) => {
        try {
          execFileSync(p, ['-c', 'import pandas'], { stdio: 'ignore' });
          return true;
        } catch {
          return false;
        }
      }) ?? 'python3';
    const out = execFileSync(python, ['-c', script, jsonPath, jsonlPath, csvPath], { encoding: 'utf8' });
    expect(out).toMatch(process.env.CI === 'true' ? /^ok pandas 3000/ : /^ok (pandas|no-pandas) 3000/);
  });
});

describe('formatFromPath', () => {
  it.each([
    ['a.jsonl', 'jsonl'],
    ['a.NDJSON', 'jsonl'],
    ['dir.v2/a.json', 'json'],
    ['a.csv', 'csv'],
    ['/dev/null', 'jsonl'],
    ['a.txt', undefined],
    ['.hidden', 'jsonl'],
  ])('%s → %s', (path, format) => {
    expect(formatFromPath(path)).toBe(format);
  });
});

describe('outcome and prediction fields (--with-outcome, --with-prediction)', () => {
  const generator = new SyntheticDataGenerator({
    seed: 34,
    start: fixedStart,
    withOutcome: true,
    withPrediction: true,
  });
  const full = generator.generateBatch(2000);
  const optional = ['churned', 'churn_probability', 'predicted_churn_probability', 'predicted_churn'] as const;

  it('JSON: the string and byte encoders write exactly JSON.stringify, the fields last', () => {
    const encoder = createEncoder('jsonl', [...optional]);
    const out = new ByteWriter(Buffer.alloc(full.length * 2200));
    full.forEach((r, i) => encoder.encodeInto!(r, i, out));
    expect(Buffer.from(out.buffer.subarray(0, out.position)).toString()).toBe(
      full.map((r) => `${JSON.stringify(r)}\n`).join(''),
    );
    expect(Object.keys(full[0]!).slice(-4)).toEqual([...optional]);
    expect(new Set(full.map((r) => typeof r.churned))).toEqual(new Set(['boolean']));
  });

  it('the batch fast path writes the same bytes as the records', () => {
    const batch = new BatchGenerator({
      count: 500,
      seed: 34,
      start: fixedStart,
      withOutcome: true,
      withPrediction: true,
    });
    const encoder = createEncoder('jsonl', [...optional]);
    const out = new ByteWriter(Buffer.alloc(500 * 2200));
    let text = '';
    for (let p = 0; p < 500; p++) {
      batch.generate(p);
      encoder.encodeFieldsInto!(batch.fields, batch.index, batch.eventMs, p, out);
      text += encoder.encode(batch.record(), p);
    }
    expect(Buffer.from(out.buffer.subarray(0, out.position)).toString()).toBe(text);
  });

  it('CSV: four more columns, read back by csv-parse as the records', () => {
    const encoder = createEncoder('csv', [...optional]);
    const text = encoder.header + full.map((r, i) => encoder.encode(r, i)).join('');
    expect(encoder.header.trimEnd().split(',').slice(-4)).toEqual([...optional]);
    const rows: Record<string, string>[] = parse(text, { columns: true });
    rows.forEach((row, i) => {
      const r = full[i]!;
      expect(row.churned).toBe(String(r.churned));
      expect(Number(row.churn_probability)).toBe(r.churn_probability);
      expect(Number(row.predicted_churn_probability)).toBe(r.predicted_churn_probability);
      expect(row.predicted_churn).toBe(String(r.predicted_churn));
    });
  });
});
