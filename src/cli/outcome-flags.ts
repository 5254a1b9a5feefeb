/** The delayed outcome stream's flags (stream, drift and lifecycle). */
import type { Command } from 'commander';
import type { OutcomeRules } from '../core/outcome.ts';
import { defaultOutcomeHorizonDays } from '../core/outcome.ts';
import { UsageError } from '../errors.ts';
import type { OutcomeFormat } from '../sinks/outcomes.ts';
import { checkDistinctOutputs } from './drift-flags.ts';
import { parsePositiveNumber, parseUnitInterval } from './parse.ts';

export interface OutcomeFlags {
  outcomesOutput?: string;
  outcomesTopic?: string;
  outcomeHorizon?: string;
  labelMissing?: string;
}

/** Where the outcomes go and by which rules; undefined when the run has no outcome stream. */
export interface OutcomeStream {
  output?: string | undefined;
  format: OutcomeFormat;
  topic?: string | undefined;
  rules: OutcomeRules;
}

export function addOutcomeOptions(command: Command): Command {
  return command
    .option('--outcomes-output <file>', 'delayed outcomes, each when known (.jsonl/.csv/-)')
    .option('--outcomes-topic <topic>', 'delayed outcomes to this Kafka topic instead')
    .option('--outcome-horizon <days>', `days with no order = churned (default ${defaultOutcomeHorizonDays})`)
    .option('--label-missing <share>', 'share of outcomes that never arrive (default 0)');
}

/** The outcome stream the flags describe; every bad value names its flag. */
export function parseOutcomeFlags(
  flags: OutcomeFlags & { output?: string; topic?: string; manifest?: string; controlOutput?: string },
  seed: number,
): OutcomeStream | undefined {
  const { outcomesOutput: output, outcomesTopic: topic } = flags;
  if (output === undefined && topic === undefined) {
    const given = flags.outcomeHorizon !== undefined ? '--outcome-horizon' : '--label-missing';
    if (flags.outcomeHorizon !== undefined || flags.labelMissing !== undefined)
      throw new UsageError(`${given}: needs --outcomes-output or --outcomes-topic (where the outcomes go)`);
    return undefined;
  }
  if (output !== undefined && topic !== undefined)
    throw new UsageError('--outcomes-output: give either --outcomes-output or --outcomes-topic, not both');
  if (topic?.trim() === '') throw new UsageError("--outcomes-topic: expected a topic name, got ''");
  const horizonDays =
    flags.outcomeHorizon === undefined
      ? defaultOutcomeHorizonDays
      : parsePositiveNumber('--outcome-horizon', flags.outcomeHorizon, { max: defaultOutcomeHorizonDays });
  const labelMissing = flags.labelMissing === undefined ? 0 : parseUnitInterval('--label-missing', flags.labelMissing);
  checkDistinctOutputs(flags);
  return {
    output,
    topic,
    format: output === undefined ? 'jsonl' : outcomeFormat(output),
    rules: { horizonDays, labelMissing, seed },
  };
}

function outcomeFormat(output: string): OutcomeFormat {
  const name = output.toLowerCase();
  if (output === '-' || name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  if (name.endsWith('.csv')) return 'csv';
  throw new UsageError(`--outcomes-output: expected a .jsonl or .csv file, or - for stdout, got '${output}'`);
}
