/**
 * The delayed outcome stream of a timed run: each released record's outcome waits here until the
 * run's timeline reaches the time it becomes known, then goes out in that order (ties in record
 * order), so a run replays identically on the real and the simulated clock.
 */
import type { ChurnOutcome, OutcomeRules } from '../core/outcome.ts';
import { isLabelMissing, outcomeOf } from '../core/outcome.ts';
import { CounterRng } from '../core/random.ts';
import type { CustomerRecord } from '../core/schema.ts';

/** What a source knows about a released record's future (filled by TimedSource.recordsAt). */
export interface RecordFuture {
  /** The record's index in the whole run (all shards), which decides a missing label. */
  index: number;
  /** Days from the record to the customer's next order; Infinity: none within the horizon. */
  nextOrderDays: number;
}

interface Pending {
  dueOffsetMs: number;
  order: number;
  outcome: ChurnOutcome;
}

export class OutcomeQueue {
  readonly #rules: OutcomeRules;
  readonly #dueOffsetOf: (eventMs: number) => number;
  readonly #rng = new CounterRng();
  /** A binary min-heap by (dueOffsetMs, order). */
  readonly #heap: Pending[] = [];
  #order = 0;
  /** Outcomes dropped by --label-missing. */
  withheld = 0;

  /** `dueOffsetOf`: when, in ms after the run's start, an event time falls due on its timeline. */
  constructor(rules: OutcomeRules, dueOffsetOf: (eventMs: number) => number) {
    this.#rules = rules;
    this.#dueOffsetOf = dueOffsetOf;
  }

  /** Queues the outcomes of released records (futures[i] belongs to records[i]). */
  add(records: readonly CustomerRecord[], futures: readonly RecordFuture[]): void {
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as CustomerRecord;
      const future = futures[i] as RecordFuture;
      if (isLabelMissing(this.#rules, future.index, this.#rng)) {
        this.withheld++;
        continue;
      }
      const eventMs = Date.parse(record.timestamp);
      const { outcome, observedAtMs } = outcomeOf(
        record.customer_id,
        eventMs,
        future.nextOrderDays,
        this.#rules.horizonDays,
      );
      this.#push({ dueOffsetMs: this.#dueOffsetOf(observedAtMs), order: this.#order++, outcome });
    }
  }

  /** Outcomes not yet due. */
  get pending(): number {
    return this.#heap.length;
  }

  /** When the next outcome falls due (ms after the start); undefined when none is waiting. */
  get nextDueOffsetMs(): number | undefined {
    return this.#heap[0]?.dueOffsetMs;
  }

  /** Removes and returns, in order, every outcome due by `offsetMs`. */
  takeDue(offsetMs: number): ChurnOutcome[] {
    const due: ChurnOutcome[] = [];
    while (this.#heap.length > 0 && (this.#heap[0] as Pending).dueOffsetMs <= offsetMs) due.push(this.#pop().outcome);
    return due;
  }

  #push(item: Pending): void {
    const heap = this.#heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(item, heap[parent] as Pending)) break;
      heap[i] = heap[parent] as Pending;
      i = parent;
    }
    heap[i] = item;
  }

  #pop(): Pending {
    const heap = this.#heap;
    const top = heap[0] as Pending;
    const last = heap.pop() as Pending;
    if (heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && before(heap[right] as Pending, heap[left] as Pending) ? right : left;
      if (!before(heap[child] as Pending, last)) break;
      heap[i] = heap[child] as Pending;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}

function before(a: Pending, b: Pending): boolean {
  return a.dueOffsetMs < b.dueOffsetMs || (a.dueOffsetMs === b.dueOffsetMs && a.order < b.order);
}
