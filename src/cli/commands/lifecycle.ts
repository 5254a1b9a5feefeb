/** `churn-datagen lifecycle`: weekly snapshots of customers declining from loyal to churning. */
import type { Command } from 'commander';
import { snapshotIntervalDays } from '../../core/lifecycle.ts';
import { MS_PER_DAY } from '../../core/time.ts';
import { lifecycleDefaults, lifecycleSource } from '../../modes/lifecycle.ts';
import { batchOptionalFields } from '../../modes/batch.ts';
import type { CliIo } from '../io.ts';
import type { OutputFlags, SeedFlags } from '../options.ts';
import {
  addOutputOptions,
  addSeedOptions,
  checkEventTimes,
  checkOutputFlags,
  flagLimits,
  resolveSeed,
} from '../options.ts';
import { parseNonNegativeInteger, parsePositiveInteger, parsePositiveNumber } from '../parse.ts';
import { runTimedCommand } from '../timed-command.ts';
import type { OutcomeFlags } from '../outcome-flags.ts';
import { addOutcomeOptions, parseOutcomeFlags } from '../outcome-flags.ts';

interface LifecycleFlags extends OutputFlags, SeedFlags, OutcomeFlags {
  customers: string;
  days: string;
  speed: string;
  fast?: boolean;
  withOutcome?: boolean;
  withPrediction?: boolean;
}

export function registerLifecycle(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const command = program
    .command('lifecycle')
    .summary('weekly snapshots of customers going from loyal to churning')
    .description(
      'Simulate each customer as a journey from low to high risk (own onset and pace of decline) and emit weekly snapshots (day 0, 7, 14, …) of all customers on one timeline, --speed simulated days per real second. Snapshots carry snapshot_day and are keyed by customer_id.',
    )
    .option('--customers <n>', 'number of customers', String(lifecycleDefaults.customers))
    .option('--days <n>', 'days each journey lasts', String(lifecycleDefaults.days))
    .option('--speed <days-per-second>', 'simulated days per real second', String(lifecycleDefaults.speed))
    .option('--fast', 'simulated clock: no waiting, same snapshots and event times')
    .option('--with-outcome', 'add churned and churn_probability')
    .option('--with-prediction', 'add predicted_churn(_probability) of the start');
  addOutcomeOptions(command);
  addSeedOptions(command, 'event time of day 0 (default: now); a snapshot of day d is stamped start + d days');
  addOutputOptions(command, true);
  command
    .addHelpText(
      'after',
      `
Examples:
  # 10 customers over 180 days, 3 seconds of real time
  churn-datagen lifecycle --customers 10 --days 180
  # A/B simulation input: 50 journeys over 90 days, to a file at once
  churn-datagen lifecycle --customers 50 --days 90 --fast --seed 3 --output journeys.csv`,
    )
    .action(async (flags: LifecycleFlags) => {
      const customers = parsePositiveInteger('--customers', flags.customers, flagLimits.customers);
      const days = parseNonNegativeInteger('--days', flags.days, flagLimits.days);
      const speed = parsePositiveNumber('--speed', flags.speed, flagLimits.speed);
      checkOutputFlags(flags);
      const seed = resolveSeed(flags, Math.floor(io.now()));
      const outcomes = parseOutcomeFlags(flags, seed.seed);
      const reachDays = days + (outcomes?.rules.horizonDays ?? 0);
      const lastEventMs = seed.startMs + reachDays * MS_PER_DAY;
      checkEventTimes(flags, seed, lastEventMs, `${reachDays} days`);
      const source = lifecycleSource({
        seed: seed.seed,
        customers,
        days,
        speed,
        startMs: seed.startMs,
        shard: seed.shard,
        withOutcome: flags.withOutcome === true,
        withPrediction: flags.withPrediction === true,
      });
      // Snapshots per minute: customers × (speed / 7) per second × 60.
      const askedPerMinute = Math.round(((customers * speed) / snapshotIntervalDays / seed.shard.count) * 60 * 10) / 10;
      setExitCode(
        await runTimedCommand(
          {
            flags,
            seed,
            source,
            optionalFields: [
              'snapshot_day',
              ...batchOptionalFields({ withOutcome: flags.withOutcome, withPrediction: flags.withPrediction }),
            ],
            askedPerMinute,
            outcomes,
            // Simulated days pass faster than real ones: the last snapshots lead the clock most.
            furthestEventMs: lastEventMs,
          },
          io,
        ),
      );
    });
}
