/**
 * Golden output. These checksums pin the seeded output of algorithm cdg-rng-1 and the current
 * customer model. If one changes, the change to seeded output must be deliberate: say so in the
 * commit, bump rngAlgorithm if the streams changed, and update the values here together.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rngAlgorithm } from '../../src/core/random.ts';
import type { OutputFormat } from '../../src/encoders/index.ts';
import { writeBatch } from '../../src/modes/batch.ts';
import { FileSink } from '../../src/sinks/file.ts';
import { SyntheticDataGenerator } from '../../src/generator.ts';
import { tempDir } from '../support/cli.ts';
import { fixedStart } from '../support/records.ts';

const golden: Record<number, Partial<Record<OutputFormat, string>>> = {
  42: {
    jsonl: '50bcd85f6d80c61bd21e6427fb1e0c3197f0c4031481940b0b9b794abf790040',
    csv: 'ef7d1a31de4e94f53a930f236ce1413fc05a72c745641deee18d2ce55a4985d9',
  },
  1337: { jsonl: '77c9625233144a2afc2c442fe524c9dcc10e510a8c6973a4c462c4d1532a85f1' },
  0: { jsonl: '95106b141359f266650d35149266846528d01ff7180b85beb65b3fe132e36ed0' },
};

async function checksum(seed: number, format: OutputFormat): Promise<string> {
  const path = join(tempDir(), `golden.${format}`);
  await writeBatch({ count: 2000, seed, start: fixedStart, format, sink: await FileSink.open(path) });
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe(`golden output (${rngAlgorithm})`, () => {
  for (const [seed, formats] of Object.entries(golden)) {
    for (const [format, expected] of Object.entries(formats)) {
      it(`seed ${seed}, 2000 records, ${format}`, async () => {
        expect(await checksum(Number(seed), format as OutputFormat)).toBe(expected);
      });
    }
  }

  describe.each([42, 1337, 1211])('seed %d', (seed) => {
    it('first customers of each level (review diffs like code)', () => {
      const generator = new SyntheticDataGenerator({ seed, start: fixedStart });
      expect([
        generator.generateCustomer('low'),
        generator.generateCustomer('medium'),
        generator.generateCustomer('high'),
      ]).toMatchSnapshot();
    });
  });
});
