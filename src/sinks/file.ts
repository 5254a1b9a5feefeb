/**
 * File sink. A regular file is written under a temporary name in the target's directory and
 * renamed over the target only when complete, so a reader never sees half a file and an error or
 * Ctrl-C leaves the old file (or none) in place. Special files (/dev/null, a FIFO, /dev/stdout)
 * cannot be renamed over and are written directly.
 */
import { randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { DatagenError } from '../errors.ts';
import { DirectFile, writeAll } from './direct-file.ts';
import type { Sink } from './types.ts';

export interface FileSinkOptions {
  /**
   * Write a regular file with direct I/O where the platform and file system allow it (default
   * true): far less kernel CPU for large files; see direct-file.ts. Direct I/O gathers whole
   * blocks before writing, so a file that someone follows while it grows (a timed run on the real
   * clock) is written through the page cache instead: each write is in the file at once.
   */
  directIo?: boolean | undefined;
}

export class FileSink implements Sink {
  readonly description: string;
  #bytesWritten = 0;
  /** The file, written through the page cache or (for a regular file, where possible) directly. */
  readonly #file: FileHandle | DirectFile;
  readonly #targetPath: string;
  /** Where bytes go until close(); undefined when writing a special file directly. */
  readonly #temporaryPath: string | undefined;
  /** The write in flight: one chunk is written while the next is being generated. */
  #pending: Promise<void> = Promise.resolve();
  #finished = false;
  #renamed = false;

  private constructor(
    file: FileHandle | DirectFile,
    targetPath: string,
    temporaryPath: string | undefined,
    description: string,
  ) {
    this.#file = file;
    this.#targetPath = targetPath;
    this.#temporaryPath = temporaryPath;
    this.description = description;
  }

  /**
   * Opens `path` for writing.
   * @throws {DatagenError} INVALID_ARGUMENT when the directory does not exist, the path is a
   *   directory, or it cannot be written; the message says which.
   */
  static async open(path: string, options: FileSinkOptions = {}): Promise<FileSink> {
    const targetPath = resolve(path);
    const existing = await stat(targetPath).catch(() => undefined);
    if (existing?.isDirectory()) {
      throw new DatagenError('INVALID_ARGUMENT', `'${path}' is a directory`);
    }
    if (existing !== undefined && !existing.isFile()) {
      const handle = await openOrExplain(path, () => open(targetPath, 'w', 0o644));
      return new FileSink(handle, targetPath, undefined, path);
    }
    const directory = dirname(targetPath);
    const directoryStat = await stat(directory).catch(() => undefined);
    if (directoryStat === undefined) {
      throw new DatagenError('INVALID_ARGUMENT', `directory '${dirname(path)}' does not exist`);
    }
    if (!directoryStat.isDirectory()) {
      throw new DatagenError('INVALID_ARGUMENT', `'${dirname(path)}' is not a directory`);
    }
    const temporaryPath = join(
      directory,
      `.${basename(targetPath)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
    );
    const direct =
      options.directIo === false ? undefined : await openOrExplain(path, () => DirectFile.create(temporaryPath));
    const file = direct ?? (await openOrExplain(path, () => open(temporaryPath, 'wx', 0o644)));
    return new FileSink(file, targetPath, temporaryPath, path);
  }

  get bytesWritten(): number {
    return this.#bytesWritten;
  }

  /** The temporary name the file grows under until close() renames it (undefined for a special file). */
  get temporaryPath(): string | undefined {
    return this.#temporaryPath;
  }

  /** True while the file is written with direct I/O (false also once the file system refused a direct write). */
  get direct(): boolean {
    return this.#file instanceof DirectFile && !this.#file.refusedDirectWrites;
  }

  /** A file has no reader to go away (a FIFO's reader leaving shows as a write error). */
  get closedByReader(): boolean {
    return false;
  }

  async write(chunk: Uint8Array): Promise<void> {
    await this.#pending;
    this.#bytesWritten += chunk.length;
    this.#pending = this.#writeAll(chunk);
    // Surface a failure of this write at the next write or close, not as an unhandled rejection.
    this.#pending.catch(() => undefined);
  }

  async borrow(bytes: number): Promise<Uint8Array | undefined> {
    await this.#pending;
    if (!(this.#file instanceof DirectFile)) return undefined;
    try {
      // A background write that failed (a full disk) is reported here.
      return await this.#file.borrow(bytes);
    } catch (error) {
      throw this.#outputError(error);
    }
  }

  async commit(bytes: number): Promise<void> {
    await this.#pending;
    if (!(this.#file instanceof DirectFile)) throw new Error('FileSink.commit() without borrow()');
    this.#bytesWritten += bytes;
    try {
      await this.#file.commit(bytes);
    } catch (error) {
      throw this.#outputError(error);
    }
  }

  async finish(): Promise<void> {
    if (this.#finished) return;
    try {
      await this.#pending;
      this.#finished = true;
      if (this.#file instanceof DirectFile) await this.#file.finish();
      else await this.#file.close();
    } catch (error) {
      await this.abort();
      throw this.#outputError(error);
    }
  }

  async close(): Promise<void> {
    await this.finish();
    if (this.#temporaryPath === undefined || this.#renamed) return;
    try {
      await rename(this.#temporaryPath, this.#targetPath);
      this.#renamed = true;
    } catch (error) {
      await this.abort();
      throw this.#outputError(error);
    }
  }

  async abort(): Promise<void> {
    await this.#pending.catch(() => undefined);
    if (!this.#finished) {
      this.#finished = true;
      await this.#file.close().catch(() => undefined);
    }
    if (this.#temporaryPath !== undefined) await unlink(this.#temporaryPath).catch(() => undefined);
  }

  // --- internal ---

  async #writeAll(bytes: Uint8Array): Promise<void> {
    try {
      if (this.#file instanceof DirectFile) await this.#file.write(bytes);
      else await writeAll(this.#file, bytes);
    } catch (error) {
      throw this.#outputError(error);
    }
  }

  #outputError(error: unknown): DatagenError {
    return new DatagenError('OUTPUT', `writing ${this.description} failed: ${messageOf(error)}`, { cause: error });
  }
}

/** Opens with `opening`, explaining a failure (permissions, a read-only file system) as bad input naming `shownPath`. */
async function openOrExplain<T>(shownPath: string, opening: () => Promise<T>): Promise<T> {
  try {
    return await opening();
  } catch (error) {
    throw new DatagenError('INVALID_ARGUMENT', `cannot write '${shownPath}': ${messageOf(error)}`, { cause: error });
  }
}

/** An I/O error in words (`no space left on device`), else its message. */
export function messageOf(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof error.code === 'string') {
    const reasons: Record<string, string> = {
      EACCES: 'permission denied',
      EROFS: 'read-only file system',
      ENOSPC: 'no space left on device',
      EDQUOT: 'disk quota exceeded',
      EISDIR: 'is a directory',
    };
    return reasons[error.code] ?? error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
