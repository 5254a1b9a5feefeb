/**
 * The delayed outcome stream of a timed run: each released record's outcome waits here until the
 * run's timeline reaches the time it becomes known (never before its record's slot), then goes out
 * in that order (ties in record order), so a run replays identically on the real and the simulated
 * clock.
 */
import type { ChurnOutcome, OutcomeRules } from '../core/outcome.ts';
import { isLabelMissing, outcomeMessage, settleOutcome } from '../core/outcome.ts';
import { CounterRng } from '../core/random.ts';
import type { CustomerRecord } from '../core/schema.ts';

/** What a source knows about a released record's future (filled by TimedSource.recordsAt). */
export interface RecordFuture {
  /** The record's index in the whole run (all shards), which decides a missing label. */
  index: number;
  /** Days from the record to the customer's next order; Infinity: none within the horizon. */
  nextOrderDays: number;
}

/** A queued outcome, compact: its text is made when it goes out. */
interface Pending {
  dueOffsetMs: number;
  order: number;
  customerId: string;
  eventMs: number;
  observedAtMs: number;
  churned: boolean;
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

  /**
   * Queues the outcomes of released records (futures[i] belongs to records[i], scheduled
   * slotsMs[i] after the start). An outcome is due when its time comes on the timeline, but never
   * before its record's slot: a lifecycle snapshot goes out during the week after its day, and an
   * order in that week is known only once the snapshot is out. Slots, not release times, keep
   * the order the same on every clock.
   */
  add(records: readonly CustomerRecord[], futures: readonly RecordFuture[], slotsMs: (i: number) => number): void {
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as CustomerRecord;
      const future = futures[i] as RecordFuture;
      if (isLabelMissing(this.#rules, future.index, this.#rng)) {
        this.withheld++;
        continue;
      }
      const eventMs = Date.parse(record.timestamp);
      const { observedAtMs, churned } = settleOutcome(eventMs, future.nextOrderDays, this.#rules.horizonDays);
      this.#push({
        dueOffsetMs: Math.max(this.#dueOffsetOf(observedAtMs), slotsMs(i)),
        order: this.#order++,
        customerId: record.customer_id,
        eventMs,
        observedAtMs,
        churned,
      });
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

  /** Removes and returns, in order, every outcome due by `offsetMs` (before it, with `strictly`). */
  takeDue(offsetMs: number, strictly = false): ChurnOutcome[] {
    const due: ChurnOutcome[] = [];
    for (;;) {
      const top = this.#heap[0];
      if (top === undefined || top.dueOffsetMs > offsetMs || (strictly && top.dueOffsetMs === offsetMs)) break;
      this.#pop();
      due.push(outcomeMessage(top.customerId, top.eventMs, top.observedAtMs, top.churned));
    }
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
