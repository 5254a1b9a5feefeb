/**
 * Golden output. These checksums pin the seeded output of the random streams (rngAlgorithm) and
 * the customer model (modelVersion). If one changes, the change to seeded output must be
 * deliberate: say so in the commit, bump the version that changed, and update the values here
 * together.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelVersion } from '../../src/core/customer.ts';
import { rngAlgorithm } from '../../src/core/random.ts';
import type { OutputFormat } from '../../src/encoders/index.ts';
import { writeBatch } from '../../src/modes/batch.ts';
import { FileSink } from '../../src/sinks/file.ts';
import { SyntheticDataGenerator } from '../../src/generator.ts';
import { tempDir } from '../support/cli.ts';
import { fixedStart } from '../support/records.ts';

const golden: Record<number, Partial<Record<OutputFormat, string>>> = {
  42: {
    jsonl: 'deec168f710caec2831d4e758e5d2237b150cb72d82ea5dec59acc2b1f226539',
    csv: '3a247adb6bdb13ba090a0734ef2ebe31dc79db7ecc0803bd333a3cfb249fc7ce',
  },
  1337: { jsonl: 'f5ee4e3a400a8f94c2944332b95e930a519e87914eb5e7dc7f5b87e97847e0b8' },
  0: { jsonl: '41d7f6336ac657c5ae27271c43fb91bd7dd110ecb4c58f2f79c17f7bb6836032' },
};

async function checksum(seed: number, format: OutputFormat): Promise<string> {
  const path = join(tempDir(), `golden.${format}`);
  await writeBatch({ count: 2000, seed, start: fixedStart, format, sink: await FileSink.open(path) });
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe(`golden output (${rngAlgorithm}, ${modelVersion})`, () => {
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
