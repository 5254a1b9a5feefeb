/**
 * One record source and one rule for event time: the library's generator, batch and a stream with
 * the same seed, start and spacing make the same records, stamped alike, also when the spacing is
 * not a whole number of milliseconds.
 */
import { describe, expect, it } from 'vitest';
import { eventTimeOf } from '../../src/core/source.ts';
import { SyntheticDataGenerator } from '../../src/generator.ts';
import { batchRecords } from '../../src/modes/batch.ts';
import { streamSource } from '../../src/modes/stream.ts';

const startMs = Date.parse('2026-03-01T00:00:00Z');

describe('one record source', () => {
  for (const perMinute of [60, 7, 1000 / 3]) {
    const intervalMs = 60_000 / perMinute;
    it(`generator, batch and stream agree record for record at ${perMinute.toFixed(2)} a minute`, () => {
      const count = 500;
      const fromGenerator = new SyntheticDataGenerator({ seed: 9, start: startMs, intervalMs }).generateBatch(count);
      const fromBatch = [...batchRecords({ count, seed: 9, start: startMs, intervalMs })];
      const stream = streamSource({ seed: 9, ratePerMinute: perMinute, durationMinutes: count / perMinute, startMs });
      const fromStream = Array.from({ length: count }, (_, k) => stream.recordAt(k));
      expect(fromBatch).toEqual(fromGenerator);
      expect(fromStream).toEqual(fromGenerator);
    });
  }

  it('stamps each record at the millisecond nearest its due time', () => {
    // 60,000 / 7 ms apart: 7 × (60,000 / 7) is 59,999.999… in floating point, and is stamped 60,000.
    expect(eventTimeOf(startMs, 7, 60_000 / 7)).toBe(startMs + 60_000);
    expect(eventTimeOf(startMs, 3, 60_000 / 7)).toBe(startMs + 25_714);
    expect(eventTimeOf(startMs, 0, 60_000 / 7)).toBe(startMs);
  });
});
