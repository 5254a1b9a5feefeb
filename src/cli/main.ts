#!/usr/bin/env node
/**
 * The churn-datagen executable: binds run() to this process. The only place that touches
 * process signals and the exit code; it sets process.exitCode instead of calling exit(), so
 * sinks flush first.
 */
import { messageOf } from '../sinks/file.ts';
import { run } from './program.ts';

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => controller.abort(signal));
}

// A reader that goes away (`churn-datagen --help | head`) is not an error: the output sinks notice
// it on their own and stop; anything else printed to a closed pipe is simply dropped. Other write
// errors (stdout on a full disk) are reported by the output sink writing stdout; one that hits
// other output (help text) is reported below, in one line.
let outputError: NodeJS.ErrnoException | undefined;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') outputError ??= error;
});
process.stderr.on('error', () => undefined);

const exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
  now: Date.now,
});
if (exitCode === 0 && outputError !== undefined) {
  process.stderr.write(`churn-datagen: writing stdout failed: ${messageOf(outputError)}\n`);
  process.exitCode = 1;
} else {
  process.exitCode = exitCode;
}
