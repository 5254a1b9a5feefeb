/**
 * Where encoded text goes. A sink accepts chunks with backpressure (write resolves when the
 * sink can take more), then is either closed (output complete) or aborted (output discarded).
 */
export interface Sink {
  /** Human-readable destination for messages, e.g. "customers.jsonl" or "stdout". */
  readonly description: string;
  /** Bytes accepted so far. */
  readonly bytesWritten: number;
  /** True once the destination stopped taking data (a reader closed its pipe): stop early. */
  readonly closedByReader: boolean;
  /** Where the bytes go until close() when that is not the destination (a file's temporary name). */
  readonly temporaryPath?: string | undefined;
  /**
   * Accepts a chunk. The sink may keep reading `chunk` until the next write() or close()
   * resolves, so a caller alternates between two buffers (or copies).
   */
  write(chunk: Uint8Array): Promise<void>;
  /**
   * Optional zero-copy path (a file written with direct I/O): resolves to memory of at least
   * `bytes` where the next output may be written in place, then handed over with commit(bytes
   * written). Undefined when the sink cannot lend that much; then write() as usual. Memory lent
   * and not committed is simply not used: the next write() or borrow() starts at the same place.
   */
  borrow?(bytes: number): Promise<Uint8Array | undefined>;
  commit?(bytes: number): Promise<void>;
  /**
   * Optional: writes everything and closes the file, still under its temporary name, so that
   * outputs written together appear only once all are complete; close() then renames it.
   */
  finish?(): Promise<void>;
  /** Finishes the output; for a regular file this is when it appears under its name. */
  close(): Promise<void>;
  /** Stops without completing: a regular file's temporary copy is removed. Never throws. */
  abort(): Promise<void>;
}
