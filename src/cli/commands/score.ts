/**
 * `churn-datagen score`: a drift detector's alarms against a drift manifest, beside a
 * fixed-interval and a never-firing baseline; a table on stdout, JSON with --out. Parses and checks
 * every input before anything is written.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { DatagenError, UsageError } from '../../errors.ts';
import { readManifest } from '../../report/index.ts';
import { alarmFileFormat, parseAlarms } from '../../score/alarms.ts';
import type { DetectorAlarm, Tolerance } from '../../score/score.ts';
import { alarmTimes, runOf, scoreDetector } from '../../score/score.ts';
import type { ScoredRun } from '../../score/score.ts';
import { formatScore } from '../../score/text.ts';
import type { CliIo } from '../io.ts';
import { exitCodes } from '../io.ts';
import { openByteSink } from '../options.ts';

interface ScoreFlags {
  manifest: string;
  alarms: string;
  out?: string;
  tolerance?: string;
  controlAlarms?: string;
}

export function registerScore(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('score')
    .summary("score a drift detector's alarms against a drift manifest, beside two baselines")
    .description(
      'Reads the manifest of a drift run and the alarms a detector raised on it (CSV with one column, timestamp or record, or JSON Lines of {"timestamp": …} / {"record": k}; records are 0-based indices of the run) and prints, per drift component, the detection delay, missed drifts, false alarms before onset, precision, recall and F1 within the tolerance, and MTD, MDR and MTFA overall, beside a detector firing at a fixed interval and one that never fires. An empty alarm file is a detector that never fired; alarms are sorted; alarms outside the run are refused. Definitions: docs/scoring.md.',
    )
    .requiredOption('--manifest <file>', 'the drift manifest of the run (drift --manifest)')
    .requiredOption('--alarms <file>', "the detector's alarms on the drifted stream (.csv or .jsonl)")
    .option('--out <file>', 'also write the score as JSON (- for stdout, instead of the table)')
    .option(
      '--tolerance <width>',
      'how long after an onset an alarm still detects it: a duration (90s, 10m, 2h, 1d) or records (500records); default: to the end of the run (recurring drift: of the cycle)',
    )
    .option('--control-alarms <file>', "the same detector's alarms on the control stream (every one is false)")
    .addHelpText(
      'after',
      `
Examples:
  churn-datagen drift --kind covariate --shape sudden --at 0.5 --duration 60 --rate 600 --fast --seed 1 \\
    --start 2026-01-01T00:00:00Z --output drifted.jsonl --manifest drift.json --control-output control.jsonl
  churn-datagen score --manifest drift.json --alarms alarms.csv --control-alarms control-alarms.csv \\
    --tolerance 5m --out score.json`,
    )
    .action(async (flags: ScoreFlags) => {
      setExitCode(await runScore(flags, io));
    });
}

async function runScore(flags: ScoreFlags, io: CliIo): Promise<number> {
  const tolerance = flags.tolerance === undefined ? undefined : parseTolerance(flags.tolerance);
  const manifest = await readManifest(flags.manifest).catch((error: unknown) => {
    throw asUsage('--manifest', error);
  });
  let run: ScoredRun;
  try {
    run = runOf(manifest);
  } catch (error) {
    throw asUsage('--manifest', error);
  }
  const alarms = await readAlarmFile('--alarms', flags.alarms, run);
  const controlAlarms =
    flags.controlAlarms === undefined ? undefined : await readAlarmFile('--control-alarms', flags.controlAlarms, run);
  let score;
  try {
    score = scoreDetector(manifest, alarms, { tolerance, controlAlarms });
  } catch (error) {
    throw asUsage('--manifest', error);
  }
  if (flags.out !== undefined) {
    const sink = await openByteSink(flags.out, io, '--out');
    try {
      await sink.write(Buffer.from(`${JSON.stringify(score, null, 2)}\n`));
      await sink.close();
    } catch (error) {
      await sink.abort();
      throw error;
    }
  }
  if (flags.out !== '-') io.stdout.write(formatScore(score));
  return exitCodes.ok;
}

/** `90s`, `10m`, `1.5h`, `1d`, `250ms` or `500records`. */
function parseTolerance(raw: string): Tolerance {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|min|h|d|records?)$/.exec(raw.trim());
  const value = Number(match?.[1]);
  if (match === null || !(value > 0)) {
    throw new UsageError(
      `--tolerance: expected a positive duration (90s, 10m, 2h, 1d) or record count (500records), got '${raw}'`,
    );
  }
  const unit = match[2] as string;
  if (unit.startsWith('record')) return { records: value };
  const perUnit: Record<string, number> = { ms: 0.001, s: 1, m: 60, min: 60, h: 3600, d: 86_400 };
  return { seconds: value * (perUnit[unit] as number) };
}

async function readAlarmFile(flag: string, path: string, run: ScoredRun): Promise<DetectorAlarm[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag}: cannot read '${path}' (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    const alarms = parseAlarms(text, alarmFileFormat(path, text));
    alarmTimes(run, alarms); // checked here, so the message names the flag
    return alarms;
  } catch (error) {
    throw asUsage(`${flag}: ${path}`, error);
  }
}

function asUsage(prefix: string, error: unknown): unknown {
  return error instanceof DatagenError && !(error instanceof UsageError)
    ? new UsageError(`${prefix}: ${error.message}`)
    : error;
}
