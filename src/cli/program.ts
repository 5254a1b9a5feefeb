/**
 * The command line as a function: run(argv, io) → exit code. main.ts binds it to the process;
 * tests call it in-process with their own streams.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { DatagenError, UsageError } from '../errors.ts';
import { registerBatch } from './commands/batch.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerLifecycle } from './commands/lifecycle.ts';
import { registerReport } from './commands/report.ts';
import { registerScore } from './commands/score.ts';
import { registerStream } from './commands/stream.ts';
import type { CliIo } from './io.ts';
import { exitCodes, interruptExitCode } from './io.ts';
import type { Logger } from './log.ts';
import { createLogger, logFormatOf } from './log.ts';

export type { CliIo } from './io.ts';

/** The package version, read from package.json (one level above src/ and dist/). */
export const version: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = exitCodes.ok;
  const program = new Command('churn-datagen')
    .description('Realistic synthetic e-commerce customers labelled low / medium / high churn risk.')
    .version(version, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: () => undefined, // reported below, as one line
    })
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `
Kafka: --kafka-servers (default $KAFKA_BOOTSTRAP_SERVERS, else localhost:9092), --topic (default
ml.predictions); SASL/TLS settings come from KAFKA_* environment variables (see README).
Run 'churn-datagen <mode> --help' for a mode's flags and examples, 'churn-datagen doctor' to check
whether Kafka support is available.`,
    );
  const setExitCode = (code: number): void => {
    exitCode = code;
  };
  registerStream(program, io, setExitCode);
  registerLifecycle(program, io, setExitCode);
  registerBatch(program, io, setExitCode);
  registerReport(program, io, setExitCode);
  registerDoctor(program, io, setExitCode, version);
  registerScore(program, io, setExitCode);

  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return exitCodes.usage;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return report(error, createLogger(io.stderr, { format: logFormatOf(argv), now: io.now }), io.signal);
  }
}

// --- internal ---

/** The flag each library option comes from, for the library's own refusals of a value. */
const flagOfOption: Readonly<Record<string, string>> = {
  count: '--count',
  seed: '--seed',
  overlap: '--overlap',
  start: '--start',
  startMs: '--start',
  ratePerMinute: '--rate',
  durationMinutes: '--duration',
  customers: '--customers',
  days: '--days',
  speed: '--speed',
  workers: '--workers',
};

function report(error: unknown, logger: Logger, signal: AbortSignal | undefined): number {
  if (error instanceof CommanderError) {
    if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code)) return exitCodes.ok;
    logger.error(error.message.replace(/^error: /, '').replace(/\n/g, ' '));
    return exitCodes.usage;
  }
  if (error instanceof UsageError) {
    logger.error(error.message);
    return exitCodes.usage;
  }
  if (error instanceof DatagenError && error.code === 'INTERRUPTED') {
    logger.warn(error.message);
    return interruptExitCode(signal);
  }
  if (error instanceof DatagenError) {
    const flag = error.code === 'INVALID_ARGUMENT' ? flagOfOption[error.option ?? ''] : undefined;
    logger.error(flag === undefined ? error.message : `${flag}: ${error.message}`);
    return error.code === 'INVALID_ARGUMENT' ? exitCodes.usage : exitCodes.failure;
  }
  // A bug, not bad input: the whole error, so it can be reported.
  logger.error(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return exitCodes.failure;
}
