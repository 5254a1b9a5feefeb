/**
 * What the timed commands (stream, drift, lifecycle) share: open the destination, pace the
 * source on the real or the simulated clock, print a status line every few seconds and a summary,
 * and map the outcome to an exit code.
 */
import type { CustomerRecord } from '../core/schema.ts';
import type { OptionalField } from '../encoders/index.ts';
import { runTimed } from '../modes/timed.ts';
import type { TimedProgress, TimedSource } from '../modes/timed.ts';
import { realClock, SimulatedClock } from '../schedule/clock.ts';
import { KafkaRecordSink } from '../sinks/kafka.ts';
import type { CliIo } from './io.ts';
import { exitCodes, writeLine } from './io.ts';
import type { OutputFlags, ResolvedSeed } from './options.ts';
import { announceSeed, openRecordSink } from './options.ts';

export const statusIntervalMs = 5000;

export interface TimedCommandOptions {
  flags: OutputFlags & { fast?: boolean };
  seed: ResolvedSeed;
  source: TimedSource;
  optionalFields: readonly OptionalField[];
  /** Records per minute asked for (for the status line and summary). */
  askedPerMinute: number;
}

export async function runTimedCommand(options: TimedCommandOptions, io: CliIo): Promise<number> {
  const { flags, seed, source } = options;
  const quiet = flags.quiet === true;
  const fast = flags.fast === true;
  const sink = await openRecordSink(flags, io, { optionalFields: options.optionalFields, flushEachWrite: !fast });
  announceSeed(io, seed, quiet);

  let latest: TimedProgress | undefined;
  const status = new StatusLine(io, options.askedPerMinute);
  const timer = quiet || fast ? undefined : setInterval(() => status.print(latest), statusIntervalMs);
  let result;
  try {
    result = await runTimed(source, sink, {
      clock: fast ? new SimulatedClock() : realClock,
      signal: io.signal,
      onProgress: (progress) => {
        latest = progress;
        status.count(progress.released);
      },
    });
  } finally {
    if (timer !== undefined) clearInterval(timer);
  }

  const { generated, stats } = result;
  const seconds = result.elapsedMs / 1000;
  const stopped = result.stopped ? `; stopped by ${String(io.signal?.reason ?? 'signal')}` : '';
  const pace = fast
    ? 'simulated clock'
    : `${result.achievedPerMinute.toFixed(1)}/min (asked ${options.askedPerMinute})`;
  if (!quiet || stats.failed > 0) {
    writeLine(
      io.stderr,
      `churn-datagen: generated ${generated}, acknowledged ${stats.acknowledged}, failed ${stats.failed}; ${sink.description}; ${seconds.toFixed(1)} s, ${pace}; seed ${seed.seed}${stopped}`,
    );
  }
  if (stats.failed > 0) {
    const reason = sink instanceof KafkaRecordSink ? (sink.lastError ?? 'unknown error') : 'write error';
    writeLine(
      io.stderr,
      `churn-datagen: ${stats.failed} records were not delivered (${reason}); check the broker and the topic`,
    );
    return exitCodes.failure;
  }
  return exitCodes.ok;
}

/** The periodic status line: sent, acknowledged, rate, drift, mix since the last line. */
class StatusLine {
  readonly #io: CliIo;
  readonly #asked: number;
  #levels = { low: 0, medium: 0, high: 0 };
  #lastPrintAt = 0;
  #lastPrintGenerated = 0;
  #drift: number | undefined;

  constructor(io: CliIo, asked: number) {
    this.#io = io;
    this.#asked = asked;
    this.#lastPrintAt = io.now();
  }

  count(released: readonly CustomerRecord[]): void {
    for (const record of released) this.#levels[record.true_risk_level]++;
    this.#drift = released[released.length - 1]?.drift_progress ?? this.#drift;
  }

  print(progress: TimedProgress | undefined): void {
    if (progress === undefined) return;
    const now = this.#io.now();
    const rate =
      ((progress.generated - this.#lastPrintGenerated) / Math.max(1e-3, (now - this.#lastPrintAt) / 1000)) * 60;
    const { low, medium, high } = this.#levels;
    const total = Math.max(1, low + medium + high);
    const mix = `${Math.round((100 * low) / total)}/${Math.round((100 * medium) / total)}/${Math.round((100 * high) / total)}`;
    const drift = this.#drift === undefined ? '' : ` | drift ${this.#drift.toFixed(3)}`;
    writeLine(
      this.#io.stderr,
      `churn-datagen: sent ${progress.stats.sent} acknowledged ${progress.stats.acknowledged} failed ${progress.stats.failed} | ${rate.toFixed(1)}/min (asked ${this.#asked})${drift} | mix l/m/h ${mix}`,
    );
    this.#levels = { low: 0, medium: 0, high: 0 };
    this.#lastPrintAt = now;
    this.#lastPrintGenerated = progress.generated;
  }
}
