/** `churn-datagen report`: the drift report of a file of records, as HTML and JSON. */
import { realpath, stat } from 'node:fs/promises';
import { dirname, basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { DatagenError, UsageError } from '../../errors.ts';
import {
  buildDriftReport,
  defaultAlpha,
  defaultMaxPerWindow,
  defaultWindowCount,
  maxSamplePerWindow,
  maxWindowCount,
  readManifest,
  TooFewRecordsError,
} from '../../report/index.ts';
import type { CliIo } from '../io.ts';
import { exitCodes } from '../io.ts';
import { logFormats } from '../log.ts';
import { loggerFor, openByteSink } from '../options.ts';
import { parsePositiveInteger, parseUnitInterval } from '../parse.ts';

interface ReportFlags {
  manifest?: string;
  out: string;
  json?: string;
  windows: string;
  alpha: string;
  maxPerWindow: string;
  quiet?: boolean;
  logFormat: string;
}

export function registerReport(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('report')
    .summary('draw what drifted when: charts, KS and PSI per window, detected vs scheduled')
    .description(
      'Reads a file of customers (JSON Lines, or CSV or Parquet by extension; e.g. from `drift --output x.jsonl`), cuts it into equal time windows and compares each with the first: per-feature distributions as charts, KS and PSI of each window against the reference, the risk mix over time, the accuracy of a classifier trained on the reference, and — with --manifest — detected vs scheduled drift. Writes one self-contained HTML file (opens offline) and a JSON summary.',
    )
    .argument('<input>', 'customer records: JSON Lines, .csv or .parquet')
    .option('--manifest <file>', 'the drift manifest of the run (ground truth)')
    .option('--out <file>', 'HTML report to write', 'report.html')
    .option('--json <file>', 'JSON summary to write (default: --out with .json)')
    .option('--windows <n>', 'number of equal time windows (the first is the reference)', String(defaultWindowCount))
    .option('--alpha <p>', 'significance bar of each test', String(defaultAlpha))
    .option('--max-per-window <n>', 'records sampled per window (bounds memory)', String(defaultMaxPerWindow))
    .option('--quiet', 'nothing on stderr but warnings and errors')
    .option('--log-format <format>', `log lines as ${logFormats.join(' or ')}`, 'text')
    .addHelpText(
      'after',
      `
Examples:
  churn-datagen drift --kind covariate --duration 60 --rate 600 --fast --seed 1 --start 2026-01-01T00:00:00Z \\
    --output drifted.jsonl --manifest drift.json
  churn-datagen report drifted.jsonl --manifest drift.json --out report.html`,
    )
    .action(async (input: string, flags: ReportFlags) => {
      setExitCode(await runReport(input, flags, io));
    });
}

async function runReport(input: string, flags: ReportFlags, io: CliIo): Promise<number> {
  const logger = loggerFor(flags, io);
  const windows = parsePositiveInteger('--windows', flags.windows);
  if (windows < 2 || windows > maxWindowCount)
    throw new UsageError(
      `--windows: expected 2 to ${maxWindowCount} (a reference and at least one to compare), got '${flags.windows}'`,
    );
  const alpha = parseUnitInterval('--alpha', flags.alpha);
  const maxPerWindow = parsePositiveInteger('--max-per-window', flags.maxPerWindow);
  if (maxPerWindow > maxSamplePerWindow)
    throw new UsageError(`--max-per-window: expected at most ${maxSamplePerWindow}, got '${flags.maxPerWindow}'`);
  const jsonPath = flags.json ?? `${flags.out.replace(/\.html?$/i, '')}.json`;
  let inputStats;
  try {
    inputStats = await stat(input);
  } catch {
    throw new UsageError(`input: cannot read '${input}'`);
  }
  if (!inputStats.isFile()) throw new UsageError(`input: '${input}' is not a regular file (a directory?)`);
  // No output may replace an input, nor the other output.
  const inputs = [{ flag: 'the input', path: input }];
  if (flags.manifest !== undefined) inputs.push({ flag: '--manifest', path: flags.manifest });
  for (const output of [
    { flag: '--out', path: flags.out },
    { flag: '--json', path: jsonPath },
  ]) {
    for (const other of inputs)
      if (await sameFile(output.path, other.path))
        throw new UsageError(`${output.flag}: '${output.path}' is ${other.flag} too; write the report elsewhere`);
    inputs.push(output);
  }
  let manifest;
  try {
    manifest = flags.manifest === undefined ? undefined : await readManifest(flags.manifest);
  } catch (error) {
    if (error instanceof DatagenError) throw new UsageError(`--manifest: ${error.message}`);
    throw error;
  }
  // Open both outputs first, so a bad path fails before the (long) analysis.
  const html = await openByteSink(flags.out, io, '--out');
  const json = await openByteSink(jsonPath, io, '--json').catch(async (error: unknown) => {
    await html.abort();
    throw error;
  });
  try {
    const report = await buildDriftReport(input, { manifest, windows, alpha, maxPerWindow }).catch((error: unknown) => {
      if (!(error instanceof TooFewRecordsError)) throw error;
      if (error.records < 2)
        throw new UsageError(
          `input: '${input}' holds ${error.records} record(s); a report needs at least 2 (a reference and a window to compare)`,
        );
      throw new UsageError(
        `--windows: expected at most the ${error.records} records of '${input}' (a record per window at least), got '${flags.windows}'`,
      );
    });
    await html.write(Buffer.from(report.html));
    await json.write(Buffer.from(`${JSON.stringify(report.summary, null, 2)}\n`));
    await html.close();
    await json.close();
    const { summary } = report;
    const drifted = summary.features.filter((f) => f.detected).map((f) => f.name);
    const score =
      summary.score === null
        ? ''
        : `; vs manifest: ${summary.score.detected} detected, ${summary.score.missed} missed, ${summary.score['false alarm']} false alarms`;
    logger.info(
      `report of ${summary.records} records in ${windows} windows: drift detected in ${drifted.length} of ${summary.features.length} features${summary.label.detected ? ' and the risk mix' : ''}${score}; ${flags.out}, ${jsonPath}`,
      { records: summary.records, detected: drifted.join(','), out: flags.out, json: jsonPath },
    );
    return exitCodes.ok;
  } catch (error) {
    await html.abort();
    await json.abort();
    throw error;
  }
}

/** Whether two paths name the same file (after symbolic links; hard links by device and inode). */
async function sameFile(a: string, b: string): Promise<boolean> {
  const [left, right] = await Promise.all([canonical(a), canonical(b)]);
  if (left === right) return true;
  const [leftStats, rightStats] = await Promise.all([stat(a).catch(() => null), stat(b).catch(() => null)]);
  return (
    leftStats !== null && rightStats !== null && leftStats.dev === rightStats.dev && leftStats.ino === rightStats.ino
  );
}

/** The path with its directory's symbolic links resolved (the file itself may not exist yet). */
async function canonical(path: string): Promise<string> {
  const absolute = resolve(path);
  const whole = await realpath(absolute).catch(() => null);
  if (whole !== null) return whole;
  const directory = await realpath(dirname(absolute)).catch(() => dirname(absolute));
  return join(directory, basename(absolute));
}
