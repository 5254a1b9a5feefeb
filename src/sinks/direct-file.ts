/**
 * Writing a regular file with direct I/O (O_DIRECT): bytes go from our memory to the device
 * without passing through the kernel's page cache. For the gigabytes a batch writes this matters:
 * on the 2-core VMs this tool is measured on, writing 6 GB through the page cache cost 14 s of
 * kernel CPU (copying, then write-back under memory pressure), directly 0.3 s; 1.2 GB cost 1.1 s
 * against 0.07 s. That CPU is taken from the generator threads.
 *
 * Direct I/O wants memory addresses, file offsets and lengths that are multiples of the device's
 * block size. Chunks are therefore gathered in page-aligned staging memory (a WebAssembly.Memory:
 * the one allocation JavaScript can make page-aligned) and written in whole blocks; the last
 * partial block goes through an ordinary descriptor when the file is finished. Where direct I/O is
 * not available (no O_DIRECT on this platform, a file system that refuses it at open) create()
 * says so and the caller writes through the page cache as before; a file system that takes it at
 * open but refuses the writes gets them through an ordinary descriptor.
 */
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';

/** Alignment of memory, offsets and lengths: covers 512-byte and 4 KiB logical blocks. */
const BLOCK = 4096;
/**
 * One staging buffer: written when full, a large sequential transfer. 8 MiB rather than 4: half
 * the writes for the main thread to submit, and fewer waits for a free buffer when worker threads
 * fill them quickly (bench/scale.mjs times batch with workers).
 */
export const STAGING_BYTES = 8 << 20;
/**
 * Staging buffers: one filling while the others are written. A direct write returns only when
 * the device has the data, so several in flight keep the device busy while the caller goes on.
 */
const STAGING_COUNT = 3;
const WASM_PAGE = 65536;
/** Shared memory is copied out in pieces of this size (see write()). */
const SHARED_PIECE_BYTES = 256 << 10;

/** WebAssembly's Memory, which @types/node does not declare without the DOM library. */
declare const WebAssembly: { Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer } };

export class DirectFile {
  readonly #path: string;
  readonly #handle: FileHandle;
  readonly #staging: Uint8Array[];
  /** The write of each staging buffer, while in flight. */
  readonly #inFlight: (Promise<void> | undefined)[] = Array.from({ length: STAGING_COUNT }, () => undefined);
  /** The first write that failed: reported by the next write(), finish() or close(). */
  #failure: Error | undefined;
  /** The staging buffer being filled, and its bytes. */
  #current = 0;
  #staged = 0;
  /**
   * An ordinary descriptor, opened for the tail, or for everything once the file system has
   * refused a direct write (it accepted O_DIRECT at open but not the write: then the data goes
   * through the page cache instead of failing the run).
   */
  #ordinary: Promise<FileHandle> | undefined;
  #refused = false;
  /** Private memory for chunks that arrive in shared memory (see #privateCopy). */
  #bounce = new Uint8Array(0);
  /** File offset of the start of the current staging buffer (a multiple of BLOCK). */
  #offset = 0;

  private constructor(path: string, handle: FileHandle) {
    this.#path = path;
    this.#handle = handle;
    // One page-aligned allocation, cut into buffers at multiples of BLOCK.
    const memory = new WebAssembly.Memory({ initial: (STAGING_COUNT * STAGING_BYTES) / WASM_PAGE }).buffer;
    this.#staging = Array.from(
      { length: STAGING_COUNT },
      (_, i) => new Uint8Array(memory, i * STAGING_BYTES, STAGING_BYTES),
    );
  }

  /**
   * Creates `path` (which must not exist) for direct writing; undefined when this platform or file
   * system has no direct I/O. Other errors (permissions, a missing directory) are thrown.
   */
  static async create(path: string): Promise<DirectFile | undefined> {
    const direct = (constants as { O_DIRECT?: number }).O_DIRECT;
    if (direct === undefined) return undefined;
    let handle: FileHandle;
    try {
      handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | direct, 0o644);
    } catch (error) {
      if (codeOf(error) === 'EINVAL') return undefined;
      throw error;
    }
    return new DirectFile(path, handle);
  }

  /**
   * Appends `chunk` (any length, any alignment). It is copied before this resolves, so the caller
   * may reuse it at once; full staging buffers are written in the background.
   */
  async write(chunk: Uint8Array): Promise<void> {
    this.#throwIfFailed();
    if (!(chunk.buffer instanceof SharedArrayBuffer)) return this.#append(chunk);
    // Shared memory in pieces, so that each piece is still in the CPU cache for its second copy.
    for (let at = 0; at < chunk.length; at += SHARED_PIECE_BYTES) {
      await this.#append(this.#privateCopy(chunk.subarray(at, at + SHARED_PIECE_BYTES)));
    }
  }

  /** write() of private memory: copied into staging, full staging buffers submitted. */
  async #append(chunk: Uint8Array): Promise<void> {
    let from = 0;
    while (from < chunk.length) {
      const length = Math.min(chunk.length - from, STAGING_BYTES - this.#staged);
      this.#buffer().set(chunk.subarray(from, from + length), this.#staged);
      this.#staged += length;
      from += length;
      if (this.#staged === STAGING_BYTES) await this.#submitWholeBlocks();
    }
  }

  /**
   * Zero-copy writing: staging memory for at least `bytes` more bytes at the end of the file (the
   * start of the next staging buffer if this one has too little left), to be filled and handed
   * back with commit(). Undefined when `bytes` exceeds what a staging buffer can take.
   */
  async borrow(bytes: number): Promise<Uint8Array | undefined> {
    this.#throwIfFailed();
    if (bytes > STAGING_BYTES - BLOCK) return undefined;
    if (STAGING_BYTES - this.#staged < bytes) await this.#submitWholeBlocks();
    return this.#buffer().subarray(this.#staged);
  }

  /** The first `bytes` of the memory borrow() returned are output. */
  async commit(bytes: number): Promise<void> {
    this.#throwIfFailed();
    this.#staged += bytes;
    if (this.#staged === STAGING_BYTES) await this.#submitWholeBlocks();
  }

  /** Writes what is staged (the last partial block through an ordinary descriptor) and closes the file. */
  async finish(): Promise<void> {
    if (this.#staged >= BLOCK) await this.#submitWholeBlocks();
    await this.#settle();
    try {
      this.#throwIfFailed();
      if (this.#staged > 0)
        await writeAll(await this.#ordinaryHandle(), this.#buffer().subarray(0, this.#staged), this.#offset);
    } finally {
      await this.close();
    }
  }

  /** Closes without writing what is staged (the caller discards the file). */
  async close(): Promise<void> {
    await this.#settle();
    await this.#handle.close();
    const ordinary = this.#ordinary;
    this.#ordinary = undefined;
    if (ordinary !== undefined) await (await ordinary).close();
  }

  /** True once the file system refused a direct write and the rest went through the page cache. */
  get refusedDirectWrites(): boolean {
    return this.#refused;
  }

  // --- internal ---

  /**
   * A chunk in shared memory (worker threads' output), copied to private memory first. V8 copies
   * out of shared memory with relaxed atomics: word by word when source and target are equally
   * aligned, byte by byte when not (bench/micro.mjs: shared-copy), and the target's alignment in the staging memory
   * follows the file offset. Into an equally aligned private buffer the copy is word by word, and
   * from there into staging it is a plain memcpy.
   */
  #privateCopy(chunk: Uint8Array): Uint8Array {
    const shift = chunk.byteOffset % 8;
    if (this.#bounce.length < shift + chunk.length) this.#bounce = new Uint8Array(shift + chunk.length);
    this.#bounce.set(chunk, shift);
    return this.#bounce.subarray(shift, shift + chunk.length);
  }

  /** Whole blocks at `position`: directly, or through the page cache once a direct write was refused. */
  async #writeBlocks(bytes: Uint8Array, position: number): Promise<void> {
    if (!this.#refused) {
      try {
        await writeAll(this.#handle, bytes, position);
        return;
      } catch (error) {
        if (codeOf(error) !== 'EINVAL') throw error;
        this.#refused = true;
      }
    }
    await writeAll(await this.#ordinaryHandle(), bytes, position);
  }

  #ordinaryHandle(): Promise<FileHandle> {
    this.#ordinary ??= open(this.#path, constants.O_WRONLY);
    return this.#ordinary;
  }

  #buffer(): Uint8Array {
    return this.#staging[this.#current] as Uint8Array;
  }

  /**
   * Starts writing the current buffer's whole blocks and moves on to the next buffer (waiting for
   * its previous write), carrying the partial block over to its front.
   */
  async #submitWholeBlocks(): Promise<void> {
    const buffer = this.#buffer();
    const whole = this.#staged - (this.#staged % BLOCK);
    const index = this.#current;
    const write = this.#writeBlocks(buffer.subarray(0, whole), this.#offset).then(
      () => {
        this.#inFlight[index] = undefined;
      },
      (error: unknown) => {
        this.#inFlight[index] = undefined;
        this.#failure ??= error instanceof Error ? error : new Error('direct write failed', { cause: error });
      },
    );
    this.#inFlight[index] = write;
    this.#offset += whole;
    const carried = this.#staged - whole;
    this.#current = (index + 1) % STAGING_COUNT;
    await this.#inFlight[this.#current];
    this.#throwIfFailed();
    this.#buffer().set(buffer.subarray(whole, whole + carried), 0);
    this.#staged = carried;
  }

  async #settle(): Promise<void> {
    await Promise.all(this.#inFlight.filter((write) => write !== undefined));
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }
}

/** All of `bytes`, at `position` or (without one) at the file's current position: a write may take only part. */
export async function writeAll(handle: FileHandle, bytes: Uint8Array, position?: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const at = position === undefined ? null : position + done;
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, at);
    done += bytesWritten;
  }
}

function codeOf(error: unknown): unknown {
  return error instanceof Error && 'code' in error ? error.code : undefined;
}
