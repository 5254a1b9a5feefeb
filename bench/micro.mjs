// Micro-benchmarks behind the code's comments that say one way is cheaper than another. Each
// case times both ways side by side in this process and prints ns per operation and the ratio;
// the comment names its case (bench/micro.mjs: <case>).
// Usage: npm run bench:micro [-- CASE…]
import { ByteWriter, constantText } from '../dist/encoders/byte-writer.js';

const only = process.argv.slice(2);
let sink = 0; // keeps results alive, so nothing is optimised away

/** ns per call of fn(i), best of five rounds of n calls. */
function time(n, fn) {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i++) sink += fn(i);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / n);
  }
  return best;
}

const cases = {
  // encoders/byte-writer.ts ConstantText: a record's constants as word stores rather than set().
  'constant-text'() {
    const text = '","customer_age_days":';
    const constant = constantText(text);
    const bytes = new TextEncoder().encode(text);
    const writer = new ByteWriter(new Uint8Array(1 << 16));
    const buffer = new Uint8Array(1 << 16);
    let at = 0;
    return [
      ['Uint8Array.set', time(2e6, () => ((at = (at + 32) & 0x7ff0), buffer.set(bytes, at), at))],
      [
        'ByteWriter.constant',
        time(
          2e6,
          () => ((writer.position = (writer.position + 32) & 0x7ff0), writer.constant(constant), writer.position),
        ),
      ],
    ];
  },
  // core/customer.ts customerIdOf: zero-padding by adding 10^8 and dropping the leading 1.
  'customer-id'() {
    return [
      ['padStart', time(2e6, (i) => `cust_${String(i).padStart(8, '0')}`.length)],
      ['add 10^8, slice', time(2e6, (i) => `cust_${String(i + 1e8).slice(1)}`.length)],
    ];
  },
  // encoders/json.ts jsonString: a character scan finds the plain ASCII that needs no escaping.
  'json-string'() {
    const values = ['Electronics', 'Home & Garden', 'credit_card', 'express', 'Sports'];
    const needsEscape = /[\u0000-\u001f"\\\u007f-\uffff]/;
    const scan = (value) => {
      for (let i = 0; i < value.length; i++) {
        const code = value.charCodeAt(i);
        if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return 0;
      }
      return 1;
    };
    return [
      ['regex test', time(5e6, (i) => (needsEscape.test(values[i % 5]) ? 0 : 1))],
      ['character scan', time(5e6, (i) => scan(values[i % 5]))],
    ];
  },
  // sinks/encoded-output.ts: records joined into long strings before the UTF-8 copy.
  'utf8-copy'() {
    const line = `${'{"customer_id":"cust_00000042","true_risk_level":"low",'.repeat(8)}}\n`;
    const encoder = new TextEncoder();
    const out = new Uint8Array(1 << 20);
    const perChunk = Math.floor((64 * 1024) / line.length);
    const joined = line.repeat(perChunk);
    return [
      ['encodeInto per record', time(2e5, () => encoder.encodeInto(line, out).written)],
      ['encodeInto per 64 KiB (per record)', time(2e3, () => encoder.encodeInto(joined, out).written) / perChunk],
    ];
  },
  // sinks/direct-file.ts #privateCopy: copies out of shared memory at equal and unequal alignment.
  'shared-copy'() {
    const shared = new Uint8Array(new SharedArrayBuffer(1 << 20)).fill(7);
    const target = new Uint8Array(new ArrayBuffer((1 << 20) + 16));
    const source = shared.subarray(0, 1 << 19);
    return [
      ['unequal alignment (per KiB)', time(200, () => (target.set(source, 3), 1)) / 512],
      ['equal alignment (per KiB)', time(200, () => (target.set(source, 0), 1)) / 512],
    ];
  },
};

console.log(`node ${process.version}`);
for (const [name, run] of Object.entries(cases)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const [[slowName, slow], [fastName, fast]] = run();
  console.log(
    `${name.padEnd(14)} ${slowName} ${slow.toFixed(1)} ns, ${fastName} ${fast.toFixed(1)} ns: ${(slow / fast).toFixed(1)}x`,
  );
}
if (sink === 0.5) console.log(sink);
