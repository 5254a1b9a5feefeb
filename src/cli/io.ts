import type { Writable } from 'node:stream';

/** What a CLI run touches of the outside world; tests pass their own. */
export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable & { isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C / SIGTERM; its reason is the signal name. */
  readonly signal?: AbortSignal | undefined;
  /** Aborted on a second Ctrl-C / SIGTERM: stop waiting for the verdict on records in flight. */
  readonly stopWaiting?: AbortSignal | undefined;
  /** Wall clock, for the default start time and the summary. */
  readonly now: () => number;
}

/** Exit codes: 2 for bad input (SPEC §7), 128 + signal number when interrupted. */
export const exitCodes = {
  ok: 0,
  failure: 1,
  usage: 2,
  SIGINT: 130,
  SIGTERM: 143,
} as const;

export function interruptExitCode(signal: AbortSignal | undefined): number {
  return signal?.reason === 'SIGTERM' ? exitCodes.SIGTERM : exitCodes.SIGINT;
}
