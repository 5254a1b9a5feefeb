/**
 * Progress on stderr, only when stderr is a terminal (never in pipes, logs or with --quiet).
 * cli-progress is loaded only then, so other runs do not pay for loading it.
 */
import type { Writable } from 'node:stream';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

const silent: Progress = { update: () => undefined, stop: () => undefined };

export async function createProgress(
  stderr: Writable & { isTTY?: boolean },
  total: number,
  enabled: boolean,
): Promise<Progress> {
  if (!enabled || stderr.isTTY !== true) return silent;
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream: stderr,
      format: ' {bar} {percentage}% | {value}/{total} records | {eta_formatted} left',
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}
