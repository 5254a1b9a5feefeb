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
import type { CliIo } from './io.ts';
import { exitCodes } from './io.ts';
import type { Logger } from './log.ts';
import type { OutputFlags, ResolvedSeed } from './options.ts';
import {
  announceSeed,
  announceWaiting,
  connectKafka,
  loggerFor,
  noteKafkaTimestamps,
  openByteSink,
  openRecordSink,
  undeliveredMessage,
  unconfirmedMessage,
  unconfirmedOf,
} from './options.ts';
import type { DriftManifest } from '../core/manifest.ts';
import type { DriftSchedule } from '../core/drift-schedule.ts';
import type { RecordSink } from '../sinks/record-sink.ts';
import type { ChurnOutcome } from '../core/outcome.ts';
import { OutcomeQueue } from '../modes/outcomes.ts';
import { KafkaRecordSink } from '../sinks/kafka.ts';
import { OutcomeFileSink, OutcomeKafkaSink } from '../sinks/outcomes.ts';
import type { OutcomeStream } from './outcome-flags.ts';
import { MS_PER_DAY, formatIsoTimestamp } from '../core/time.ts';
import { startRunMetrics } from './metrics.ts';
import type { ActiveMetrics } from './metrics.ts';

export const statusIntervalMs = 5000;

export interface TimedCommandOptions {
  flags: OutputFlags & { fast?: boolean };
  seed: ResolvedSeed;
  source: TimedSource;
  optionalFields: readonly OptionalField[];
  /** Records per minute asked for (for the status line and summary). */
  askedPerMinute: number;
  /** The paired control stream and where it goes (a file or stdout, or a Kafka topic). */
  control?: { source: TimedSource; output?: string | undefined; topic?: string | undefined } | undefined;
  /** The drift schedule, for the metrics. */
  schedule?: DriftSchedule | undefined;
  /** The drift manifest, written before the first record. */
  manifest?: { path: string; content: DriftManifest } | undefined;
  /** The delayed outcome stream and where it goes. */
  outcomes?: OutcomeStream | undefined;
  /** The event time furthest ahead of the wall clock when it goes out (see noteKafkaTimestamps). */
  furthestEventMs: number;
}

export async function runTimedCommand(options: TimedCommandOptions, io: CliIo): Promise<number> {
  const { flags, seed, source } = options;
  const fast = flags.fast === true;
  const logger = loggerFor(flags, io);
  const sinkOptions = { optionalFields: options.optionalFields, flushEachWrite: !fast };
  const sink = await openRecordSink(flags, io, sinkOptions);
  let controlSink: RecordSink | undefined;
  let outcomeSink: RecordSink<ChurnOutcome> | undefined;
  let active: ActiveMetrics | undefined;
  try {
    controlSink = await openControlSink(options, io, sinkOptions);
    outcomeSink = await openOutcomeSink(options, io);
    // Before the manifest, so that a port in use leaves no file behind.
    active = await startRunMetrics(flags, logger, () => sink.stats);
    if (options.manifest !== undefined) await writeManifest(options.manifest.path, options.manifest.content, io);
  } catch (error) {
    await active?.stop();
    await Promise.all([
      abandon(sink),
      controlSink === undefined ? undefined : abandon(controlSink),
      outcomeSink === undefined ? undefined : abandon(outcomeSink),
    ]);
    throw error;
  }
  announceSeed(logger, seed);
  const toKafka =
    sink instanceof KafkaRecordSink ||
    controlSink instanceof KafkaRecordSink ||
    outcomeSink instanceof OutcomeKafkaSink;
  noteKafkaTimestamps(logger, toKafka, seed.startMs, options.furthestEventMs, io.now());
  for (const output of [sink, controlSink, outcomeSink]) {
    if (output?.followPath === undefined) continue;
    logger.info(
      `writing ${output.description}; to follow it as it grows: tail -f ${output.followPath} (renamed to ${output.description} at the end)`,
      { followPath: output.followPath },
    );
  }
  if (options.manifest !== undefined) logger.info(`drift manifest written to ${options.manifest.path}`);
  active?.metrics.setAskedRate(options.askedPerMinute);
  if (options.schedule !== undefined) active?.metrics.followDrift(options.schedule);
  if (active !== undefined && sink.delivery !== undefined) {
    sink.delivery.onAcknowledged = (latencyMs) => active.metrics.observeSendLatency(latencyMs);
  }
  for (const output of [sink, controlSink, outcomeSink]) if (output !== undefined) announceWaiting(output, logger);
  const outcomeQueue = outcomeSink === undefined ? undefined : outcomeQueueOf(options);
  if (outcomeQueue !== undefined && !fast) announceOutcomeWait(options, logger);

  let latest: TimedProgress | undefined;
  const status = new StatusLine(io, logger, options.askedPerMinute);
  const timer = flags.quiet === true || fast ? undefined : setInterval(() => status.print(latest), statusIntervalMs);
  let result;
  try {
    result = await runTimed(source, sink, {
      clock: fast ? new SimulatedClock() : realClock,
      signal: io.signal,
      control:
        controlSink === undefined || options.control === undefined
          ? undefined
          : { source: options.control.source, sink: controlSink },
      outcomes:
        outcomeSink === undefined || outcomeQueue === undefined
          ? undefined
          : { queue: outcomeQueue, sink: outcomeSink },
      onProgress: (progress) => {
        latest = progress;
        status.count(progress.released);
        active?.metrics.countRecords(progress.released);
      },
    });
  } finally {
    if (timer !== undefined) clearInterval(timer);
    await active?.stop();
  }

  const { generated, stats } = result;
  const seconds = result.elapsedMs / 1000;
  const stopped = result.stopped ? `; stopped by ${String(io.signal?.reason ?? 'signal')}` : '';
  const pace = fast
    ? 'simulated clock'
    : `${result.achievedPerMinute.toFixed(1)}/min (asked ${options.askedPerMinute})`;
  const { controlStats } = result;
  const control =
    controlStats === undefined || controlSink === undefined
      ? ''
      : `; control: acknowledged ${controlStats.acknowledged}, failed ${controlStats.failed}; ${controlSink.description}`;
  const outcomes = result.outcomes;
  const outcomesPart =
    outcomes === undefined || outcomeSink === undefined
      ? ''
      : `; outcomes: acknowledged ${outcomes.stats.acknowledged}, failed ${outcomes.stats.failed}, withheld ${outcomes.withheld} (--label-missing), not yet known ${outcomes.pending}; ${outcomeSink.description}`;
  const summary = `generated ${generated}, acknowledged ${stats.acknowledged}, failed ${stats.failed}; ${sink.description}; ${seconds.toFixed(1)} s, ${pace}; seed ${seed.seed}${stopped}${control}${outcomesPart}`;
  const failed = stats.failed + (controlStats?.failed ?? 0) + (outcomes?.stats.failed ?? 0);
  const unconfirmed =
    unconfirmedOf(stats) +
    (controlStats === undefined ? 0 : unconfirmedOf(controlStats)) +
    (outcomes === undefined ? 0 : unconfirmedOf(outcomes.stats));
  const fields = {
    generated,
    ...stats,
    destination: sink.description,
    seconds,
    achievedPerMinute: fast ? undefined : result.achievedPerMinute,
    askedPerMinute: options.askedPerMinute,
    latenessP99Ms: fast ? undefined : result.lateness.p99,
    seed: seed.seed,
    stoppedBy: result.stopped ? String(io.signal?.reason ?? 'signal') : undefined,
    controlAcknowledged: controlStats?.acknowledged,
    controlFailed: controlStats?.failed,
    controlDestination: controlSink?.description,
    outcomesAcknowledged: outcomes?.stats.acknowledged,
    outcomesFailed: outcomes?.stats.failed,
    outcomesWithheld: outcomes?.withheld,
    outcomesPending: outcomes?.pending,
    outcomesDestination: outcomeSink?.description,
  };
  if (failed > 0 || unconfirmed > 0) logger.warn(summary, fields);
  else logger.info(summary, fields);
  logger.debug(
    `lateness p50 ${result.lateness.p50.toFixed(2)} ms, p99 ${result.lateness.p99.toFixed(2)} ms, max ${result.lateness.max.toFixed(1)} ms`,
  );
  if (failed > 0) {
    const failing = stats.failed > 0 ? sink : (controlStats?.failed ?? 0) > 0 ? controlSink : outcomeSink;
    const reason = failing?.delivery === undefined ? 'write error' : failing.delivery.lastError;
    logger.error(undeliveredMessage(failed, reason, flags));
  }
  if (unconfirmed > 0) logger.error(unconfirmedMessage(unconfirmed));
  return failed > 0 || unconfirmed > 0 ? exitCodes.failure : exitCodes.ok;
}

/** Opens the control stream's destination: a file or stdout, or a topic on the same cluster. */
async function openControlSink(
  options: TimedCommandOptions,
  io: CliIo,
  sinkOptions: { optionalFields: readonly OptionalField[]; flushEachWrite: boolean },
): Promise<RecordSink | undefined> {
  const { control, flags } = options;
  if (control?.output !== undefined) {
    return openRecordSink({ ...flags, output: control.output, format: undefined }, io, sinkOptions, '--control-output');
  }
  if (control?.topic !== undefined) return connectKafka({ ...flags, topic: control.topic }, io);
  return undefined;
}

/** Opens the outcome stream's destination: a file or stdout, or a topic on the same cluster. */
async function openOutcomeSink(options: TimedCommandOptions, io: CliIo): Promise<RecordSink<ChurnOutcome> | undefined> {
  const { outcomes, flags } = options;
  if (outcomes === undefined) return undefined;
  const live = flags.fast !== true;
  if (outcomes.output !== undefined) {
    const sink = await openByteSink(outcomes.output, io, '--outcomes-output', live);
    return new OutcomeFileSink(sink, outcomes.format, live);
  }
  return new OutcomeKafkaSink(await connectKafka({ ...flags, topic: outcomes.topic ?? '' }, io));
}

function outcomeQueueOf(options: TimedCommandOptions): OutcomeQueue {
  const { source, outcomes } = options;
  if (outcomes === undefined || source.dueOffsetOfEvent === undefined)
    throw new Error('an outcome stream needs a source that maps event times to its timeline');
  const dueOffsetOf = source.dueOffsetOfEvent.bind(source);
  return new OutcomeQueue(outcomes.rules, dueOffsetOf);
}

/** On the real clock, outcomes of a record come up to the horizon later: say when the run will end. */
function announceOutcomeWait(options: TimedCommandOptions, logger: Logger): void {
  const { outcomes, source } = options;
  if (outcomes === undefined || source.dueOffsetOfEvent === undefined) return;
  const horizonMs = outcomes.rules.horizonDays * MS_PER_DAY;
  const last = Number.isFinite(source.count)
    ? (source.firstDueMs ?? 0) + (source.count - 1) * source.intervalMs
    : Infinity;
  const lastOutcomeMs = last + source.dueOffsetOfEvent(horizonMs) - source.dueOffsetOfEvent(0);
  const end = Number.isFinite(lastOutcomeMs)
    ? `ends at ${formatIsoTimestamp(Math.round(Date.now() + lastOutcomeMs))}`
    : 'runs until stopped';
  logger.info(
    `outcomes are known up to ${outcomes.rules.horizonDays} days after each record; the run goes on until the last one is known and ${end} (Ctrl-C stops earlier; --fast simulates it all at once)`,
  );
}

/** The manifest as pretty JSON, written like any output: complete or not at all. */
async function writeManifest(path: string, manifest: DriftManifest, io: CliIo): Promise<void> {
  const sink = await openByteSink(path, io, '--manifest');
  await sink.write(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  await sink.close();
}

/** Drops an output that never got its first record. */
async function abandon<T>(sink: RecordSink<T>): Promise<void> {
  await (sink.abort === undefined ? sink.close() : sink.abort()).catch(() => undefined);
}

/** The periodic status line: sent, acknowledged, rate, drift, mix since the last line. */
class StatusLine {
  readonly #io: CliIo;
  readonly #logger: Logger;
  readonly #asked: number;
  #levels = { low: 0, medium: 0, high: 0 };
  #lastPrintAt = 0;
  #lastPrintGenerated = 0;
  #drift: number | undefined;

  constructor(io: CliIo, logger: Logger, asked: number) {
    this.#io = io;
    this.#logger = logger;
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
    this.#logger.info(
      `sent ${progress.stats.sent} acknowledged ${progress.stats.acknowledged} failed ${progress.stats.failed} | ${rate.toFixed(1)}/min (asked ${this.#asked})${drift} | mix l/m/h ${mix}`,
      {
        ...progress.stats,
        ratePerMinute: rate,
        askedPerMinute: this.#asked,
        driftProgress: this.#drift,
        low,
        medium,
        high,
      },
    );
    this.#levels = { low: 0, medium: 0, high: 0 };
    this.#lastPrintAt = now;
    this.#lastPrintGenerated = progress.generated;
  }
}
