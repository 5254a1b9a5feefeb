/**
 * The progress bar: drawn on stderr only when it is a terminal (cli-progress is loaded only then).
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.ts';

/** A stream that keeps what is written to it, claiming to be a terminal or not. */
function stderrLike(isTTY: boolean): Writable & { isTTY: boolean; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, {
    isTTY,
    columns: 80,
    cursorTo: () => true,
    clearLine: () => true,
    text: () => chunks.join(''),
  });
}

describe('createProgress', () => {
  it('draws a bar with the count on a terminal', async () => {
    const stderr = stderrLike(true);
    const progress = await createProgress(stderr, 1000, true);
    progress.update(500);
    progress.stop();
    expect(stderr.text()).toContain('/1000 records');
  });

  it('writes nothing when stderr is not a terminal, or when disabled (--quiet)', async () => {
    for (const [isTTY, enabled] of [
      [false, true],
      [true, false],
    ] as const) {
      const stderr = stderrLike(isTTY);
      const progress = await createProgress(stderr, 1000, enabled);
      progress.update(500);
      progress.stop();
      expect(stderr.text()).toBe('');
    }
  });
});
