/**
 * Progress on stderr, only when stderr is a terminal (never in pipes, logs or with --quiet).
 */
import type { Writable } from 'node:stream';
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

const silent: Progress = { update: () => undefined, stop: () => undefined };

export function createProgress(stderr: Writable & { isTTY?: boolean }, total: number, enabled: boolean): Progress {
  if (!enabled || stderr.isTTY !== true) return silent;
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
