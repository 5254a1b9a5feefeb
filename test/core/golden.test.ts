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
    jsonl: '8cc6e5068b307205d2333a84307015222bc8fc3eb95f66a8c867646d3143f02f',
    csv: 'fdc46aca83263965afe72335f3ec3e718decca73158c92fa8d478fe412a0bb73',
  },
  1337: { jsonl: '0aa1c51cca02e5034774ceab1ee1947aa3d42586521255955550aced1dac438e' },
  0: { jsonl: '877518181b3a9134a72110f4650307de8a353dfe671d581a1a3100c2559809b5' },
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
