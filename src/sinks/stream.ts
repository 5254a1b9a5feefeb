/**
 * Sink over a Node writable stream (stdout, a pipe, a socket). Honours backpressure: write
 * resolves once the stream has taken the chunk or drained. A reader that goes away (EPIPE, as
 * with `| head`) ends the output early; `closedByReader` tells the caller so.
 */
import type { Writable } from 'node:stream';
import { DatagenError } from '../errors.ts';
import { messageOf } from './file.ts';
import type { Sink } from './types.ts';

export class StreamSink implements Sink {
  readonly description: string;
  #bytesWritten = 0;
  readonly #stream: Writable;
  #error: Error | undefined;
  #closedByReader = false;

  constructor(stream: Writable, description = 'stdout') {
    this.#stream = stream;
    this.description = description;
    stream.on('error', this.#onError);
  }

  get bytesWritten(): number {
    return this.#bytesWritten;
  }

  /** True when the reader closed the pipe; further writes are dropped. */
  get closedByReader(): boolean {
    return this.#closedByReader;
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.#throwIfFailed();
    if (this.#closedByReader) return;
    this.#bytesWritten += chunk.length;
    // A stream may hold on to what it is given until flushed: hand it a copy.
    if (!this.#stream.write(Buffer.from(chunk))) {
      await new Promise<void>((resolveDrain) => {
        const done = (): void => {
          this.#stream.off('drain', done);
          this.#stream.off('error', done);
          this.#stream.off('close', done);
          resolveDrain();
        };
        this.#stream.on('drain', done);
        this.#stream.on('error', done);
        this.#stream.on('close', done);
      });
    }
    this.#throwIfFailed();
  }

  /** Waits until everything written has been handed to the OS; leaves stdout itself open. */
  async close(): Promise<void> {
    if (!this.#closedByReader && !this.#stream.destroyed) {
      await new Promise<void>((resolveFlush) => this.#stream.write('', () => resolveFlush()));
    }
    this.#stream.off('error', this.#onError);
    this.#throwIfFailed();
  }

  async abort(): Promise<void> {
    await this.close().catch(() => undefined);
  }

  // --- internal ---

  readonly #onError = (error: Error & { code?: string }): void => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') this.#closedByReader = true;
    else this.#error = error;
  };

  #throwIfFailed(): void {
    if (this.#error !== undefined) {
      throw new DatagenError('OUTPUT', `writing ${this.description} failed: ${messageOf(this.#error)}`, {
        cause: this.#error,
      });
    }
  }
}
