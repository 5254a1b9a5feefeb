import { describe, expect, it } from 'vitest';
import { realClock, SimulatedClock } from '../../src/schedule/clock.ts';
import { dueRanges } from '../../src/schedule/scheduler.ts';
import { LatenessHistogram } from '../../src/schedule/lateness.ts';

describe('dueRanges', () => {
  it('on a simulated clock releases every record in order, advancing time to each due time', async () => {
    const clock = new SimulatedClock(1000);
    const seen: number[] = [];
    for await (const range of dueRanges({ intervalMs: 250, count: 10_000, clock, maxBatch: 300 })) {
      for (let k = range.from; k < range.to; k++) seen.push(k);
      expect(range.to - range.from).toBeLessThanOrEqual(300);
    }
    expect(seen).toEqual(Array.from({ length: 10_000 }, (_, k) => k));
    expect(clock.now()).toBe(1000 + 9999 * 250);
  });

  it('on the real clock never releases a record before it is due, and keeps no cumulative lag', async () => {
    const intervalMs = 5; // 200 per second for 1.5 s
    const t0 = performance.now();
    const releases: { k: number; at: number }[] = [];
    for await (const range of dueRanges({ intervalMs, count: 300, clock: realClock })) {
      const at = performance.now() - t0;
      for (let k = range.from; k < range.to; k++) releases.push({ k, at });
      // a slow consumer: 20 ms of work every 50 records
      if (range.from % 50 === 0) {
        const until = performance.now() + 20;
        while (performance.now() < until);
      }
    }
    expect(releases).toHaveLength(300);
    for (const { k, at } of releases) expect(at).toBeGreaterThanOrEqual(k * intervalMs - 1);
    // the last record goes out close to its due time despite the pauses (no drift accumulated)
    expect(releases[299]!.at - 299 * intervalMs).toBeLessThan(100);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    let released = 0;
    for await (const range of dueRanges({
      intervalMs: 1,
      count: Infinity,
      clock: realClock,
      signal: controller.signal,
    })) {
      released += range.to - range.from;
      if (released > 50) controller.abort();
    }
    expect(released).toBeGreaterThan(50);
    expect(released).toBeLessThan(5000);
  });
});

describe('LatenessHistogram', () => {
  it('gives quantiles at 0.05 ms resolution', () => {
    const h = new LatenessHistogram();
    for (let i = 0; i < 1000; i++) h.record(i / 100); // 0 … 9.99 ms
    const { p50, p99, max } = h.summary();
    expect(p50).toBeCloseTo(5, 1);
    expect(p99).toBeCloseTo(9.9, 1);
    expect(max).toBeCloseTo(9.99, 5);
  });
});
