/**
 * `churn-datagen stream` and `churn-datagen drift`: customers at a steady rate to Kafka (or a
 * file/stdout), optionally under the drift scenario. Flag parsing only; the work is streamSource.
 */
import type { Command } from 'commander';
import { defaultOverlap } from '../../core/customer.ts';
import { defaultRatePerMinute, streamSource } from '../../modes/stream.ts';
import { batchOptionalFields } from '../../modes/batch.ts';
import { UsageError } from '../../errors.ts';
import type { CliIo } from '../io.ts';
import type { MixFlags, OutputFlags, SeedFlags } from '../options.ts';
import {
  addMixOptions,
  addOutputOptions,
  addSeedOptions,
  checkEventTimes,
  checkOutputFlags,
  flagLimits,
  parseMix,
  resolveSeed,
} from '../options.ts';
import { parsePositiveNumber, parseUnitInterval } from '../parse.ts';
import { runTimedCommand } from '../timed-command.ts';
import type { DriftOutputFlags, DriftScheduleFlags } from '../drift-flags.ts';
import {
  addDriftOutputOptions,
  addDriftScheduleOptions,
  checkDriftOutputFlags,
  parseDriftComponents,
} from '../drift-flags.ts';
import { driftManifest } from '../../core/manifest.ts';
import { formatShard } from '../../core/shard.ts';
import { MS_PER_DAY } from '../../core/time.ts';
import type { OutcomeFlags } from '../outcome-flags.ts';
import { addOutcomeOptions, parseOutcomeFlags } from '../outcome-flags.ts';

interface StreamFlags
  extends OutputFlags, SeedFlags, MixFlags, DriftOutputFlags, OutcomeFlags, Partial<DriftScheduleFlags> {
  rate: string;
  duration?: string;
  drift?: boolean;
  fast?: boolean;
  overlap: string;
  withOutcome?: boolean;
  withPrediction?: boolean;
}

const startHelp = 'event time of the first customer (default: now)';

export function registerStream(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const stream = program
    .command('stream')
    .summary('customers at a steady rate to Kafka, a file or stdout')
    .description(
      'Stream customers at --rate per minute on a monotonic schedule (record k is due k × 60/rate s after the start), to Kafka unless --output is given. Runs until --duration ends or Ctrl-C, then delivers what is in flight and prints a summary.',
    )
    .option('--rate <n>', 'customers per minute (fractions allowed)', String(defaultRatePerMinute))
    .option('--duration <minutes>', 'minutes to run (fractions allowed; default: until stopped)')
    .option('--drift', 'apply the drift scenario over --duration: mix → 10/30/60, feature drift 0 → 1');
  addMixOptions(stream);
  addDriftOutputOptions(stream);
  addCommonTimedOptions(stream);
  stream
    .addHelpText(
      'after',
      `
Examples:
  # live demo: a slow, steady stream to the default topic
  churn-datagen stream --rate 10
  # load test: 300 customers per minute for 10 minutes
  churn-datagen stream --rate 300 --duration 10 --kafka-servers kafka:9092
  # 30 minutes of drifting data, written to a file in seconds instead
  churn-datagen stream --rate 120 --duration 30 --drift --fast --seed 7 --start 2026-01-01T00:00:00Z --output drift.jsonl`,
    )
    .action(async (flags: StreamFlags) => {
      setExitCode(await runStreamCommand(flags, io, flags.drift === true, flags.duration, false));
    });

  const drift = program
    .command('drift')
    .summary('a drift experiment: chosen kinds and shape of drift, with ground truth and a control')
    // Lines kept under 80 columns: Commander rewraps longer ones and would break the kind list.
    .description(
      `A drift experiment for testing drift detectors. By default the SPEC scenario:
the risk mix moves from 50/30/20 to 10/30/60 (low/medium/high) over --duration
and every level's behaviour drifts riskier. --kind picks kinds, alone or mixed:
  prior              the risk mix moves toward --target-mix
  covariate          label-independent drivers of --features move
  concept            the same behaviour gets a riskier (or healthier) label
  class-conditional  every level's behaviour drifts; labels stay
Records carry drift_progress and drift_phase; --manifest writes the schedule.`,
    )
    .option('--duration <minutes>', 'minutes (fractions allowed)', '30')
    .option('--rate <n>', 'customers per minute', String(defaultRatePerMinute));
  addDriftScheduleOptions(drift);
  addMixOptions(drift);
  addDriftOutputOptions(drift);
  addCommonTimedOptions(drift);
  drift
    .addHelpText(
      'after',
      `
Examples:
  # the 30-minute scenario to Kafka, for a drift detector watching the topic
  churn-datagen drift --duration 30
  # concept drift halfway, as files in seconds, with ground truth and a control
  churn-datagen drift --kind concept --shape sudden --at 0.5 --duration 60 \\
    --rate 600 --fast --seed 1 --start 2026-01-01T00:00:00Z \\
    --output drifted.jsonl --manifest drift.json --control-output control.jsonl
  # then draw what drifted when
  churn-datagen report drifted.jsonl --manifest drift.json --out report.html`,
    )
    .action(async (flags: StreamFlags) => {
      setExitCode(await runStreamCommand(flags, io, true, flags.duration, true));
    });
}

function addCommonTimedOptions(command: Command): void {
  command
    .option('--fast', 'simulated clock: same records, no waiting')
    .option('--overlap <share>', 'label noise share (0..1)', String(defaultOverlap))
    .option('--with-outcome', 'add churned and churn_probability')
    .option('--with-prediction', 'add predicted_churn(_probability) of the start');
  addOutcomeOptions(command);
  addSeedOptions(command, startHelp);
  addOutputOptions(command, true);
}

async function runStreamCommand(
  flags: StreamFlags,
  io: CliIo,
  driftProgression: boolean,
  durationRaw: string | undefined,
  chooseKinds: boolean,
): Promise<number> {
  const ratePerMinute = parsePositiveNumber('--rate', flags.rate, flagLimits.ratePerMinute);
  const durationMinutes =
    durationRaw === undefined ? undefined : parsePositiveNumber('--duration', durationRaw, flagLimits.durationMinutes);
  if (driftProgression && durationMinutes === undefined)
    throw new UsageError('--drift: needs --duration (the scenario runs from 0 to 1 over it)');
  if (flags.fast === true && durationMinutes === undefined)
    throw new UsageError('--fast: needs --duration (a simulated stream without an end never stops)');
  const mix = parseMix(flags);
  const overlap = parseUnitInterval('--overlap', flags.overlap);
  const driftComponents = chooseKinds ? parseDriftComponents(flags as DriftScheduleFlags) : undefined;
  checkOutputFlags(flags);
  checkDriftOutputFlags(flags, driftProgression);
  const seed = resolveSeed(flags, Math.floor(io.now()));
  const outcomes = parseOutcomeFlags(flags, seed.seed);
  const lastEventMs =
    durationMinutes === undefined
      ? undefined
      : seed.startMs + durationMinutes * 60_000 + (outcomes?.rules.horizonDays ?? 0) * MS_PER_DAY;
  checkEventTimes(
    flags,
    seed,
    lastEventMs,
    `--duration ${durationRaw ?? ''}${outcomes === undefined ? '' : ` and the outcome horizon`}`,
  );
  const streamOptions = {
    seed: seed.seed,
    ratePerMinute,
    durationMinutes,
    riskDistribution: mix,
    driftProgression,
    driftComponents,
    overlap,
    withOutcome: flags.withOutcome === true,
    withPrediction: flags.withPrediction === true,
    startMs: seed.startMs,
    shard: seed.shard,
  };
  const source = streamSource(streamOptions);
  const withControl = flags.controlOutput !== undefined || flags.controlTopic !== undefined;
  const { schedule } = source;
  const askedPerMinute = ratePerMinute / seed.shard.count; // this shard's share
  return runTimedCommand(
    {
      flags,
      seed,
      source,
      optionalFields: [
        ...(driftProgression ? (['drift_progress', 'drift_phase'] as const) : []),
        ...batchOptionalFields({ withOutcome: flags.withOutcome, withPrediction: flags.withPrediction }),
      ],
      askedPerMinute,
      schedule,
      // On the simulated clock every event time goes out at once; on the real one they keep their
      // lead over the clock from the start.
      furthestEventMs: flags.fast === true && lastEventMs !== undefined ? lastEventMs : seed.startMs,
      control: withControl
        ? {
            source: streamSource({ ...streamOptions, control: true }),
            output: flags.controlOutput,
            topic: flags.controlTopic,
          }
        : undefined,
      manifest:
        flags.manifest === undefined || schedule === undefined
          ? undefined
          : {
              path: flags.manifest,
              content: driftManifest(schedule, {
                seed: seed.seed,
                ratePerMinute,
                shard: formatShard(seed.shard),
                outcomes: outcomes?.rules,
              }),
            },
      outcomes,
    },
    io,
  );
}
