#!/usr/bin/env node
/**
 * The churn-datagen executable: binds run() to this process. The only place that touches
 * process signals and the exit code; it sets process.exitCode instead of calling exit(), so
 * sinks flush first.
 */
import { messageOf } from '../sinks/file.ts';
import { run } from './program.ts';

// The first signal stops generating (what is in flight is still delivered); the second stops
// waiting for that; a third gets the default action.
const controller = new AbortController();
const impatience = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    controller.abort(signal);
    for (const again of ['SIGINT', 'SIGTERM'] as const) process.once(again, () => impatience.abort(again));
  });
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
  stopWaiting: impatience.signal,
  now: Date.now,
});
if (exitCode === 0 && outputError !== undefined) {
  process.stderr.write(`churn-datagen: writing stdout failed: ${messageOf(outputError)}\n`);
  process.exitCode = 1;
} else {
  process.exitCode = exitCode;
}
// Everything is written and reported by now. A Kafka connection attempt given up on (Ctrl-C, a
// rejected TLS or SASL handshake) still occupies a native thread until its own timeout; it must
// not keep the process alive after the command has finished.
setTimeout(() => process.exit(), 200).unref();
