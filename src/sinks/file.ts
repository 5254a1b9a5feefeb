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
import type { Sink } from './types.ts';

export class FileSink implements Sink {
  readonly description: string;
  #bytesWritten = 0;
  readonly #handle: FileHandle;
  readonly #targetPath: string;
  /** Where bytes go until close(); undefined when writing a special file directly. */
  readonly #temporaryPath: string | undefined;
  /** The write in flight: one chunk is written while the next is being generated. */
  #pending: Promise<void> = Promise.resolve();
  #finished = false;

  private constructor(handle: FileHandle, targetPath: string, temporaryPath: string | undefined, description: string) {
    this.#handle = handle;
    this.#targetPath = targetPath;
    this.#temporaryPath = temporaryPath;
    this.description = description;
  }

  /**
   * Opens `path` for writing.
   * @throws {DatagenError} INVALID_ARGUMENT when the directory does not exist, the path is a
   *   directory, or it cannot be written; the message says which.
   */
  static async open(path: string): Promise<FileSink> {
    const targetPath = resolve(path);
    const existing = await stat(targetPath).catch(() => undefined);
    if (existing?.isDirectory()) {
      throw new DatagenError('INVALID_ARGUMENT', `'${path}' is a directory`);
    }
    if (existing !== undefined && !existing.isFile()) {
      const handle = await openOrExplain(targetPath, 'w', path);
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
    const handle = await openOrExplain(temporaryPath, 'wx', path);
    return new FileSink(handle, targetPath, temporaryPath, path);
  }

  get bytesWritten(): number {
    return this.#bytesWritten;
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

  async close(): Promise<void> {
    if (this.#finished) return;
    try {
      await this.#pending;
      await this.#handle.close();
      this.#finished = true;
      if (this.#temporaryPath !== undefined) await rename(this.#temporaryPath, this.#targetPath);
    } catch (error) {
      await this.abort();
      throw new DatagenError('OUTPUT', `writing ${this.description} failed: ${messageOf(error)}`, { cause: error });
    }
  }

  async abort(): Promise<void> {
    await this.#pending.catch(() => undefined);
    if (!this.#finished) {
      this.#finished = true;
      await this.#handle.close().catch(() => undefined);
    }
    if (this.#temporaryPath !== undefined) await unlink(this.#temporaryPath).catch(() => undefined);
  }

  // --- internal ---

  async #writeAll(bytes: Uint8Array): Promise<void> {
    try {
      let offset = 0;
      while (offset < bytes.length) {
        const { bytesWritten } = await this.#handle.write(bytes, offset, bytes.length - offset);
        offset += bytesWritten;
      }
    } catch (error) {
      throw new DatagenError('OUTPUT', `writing ${this.description} failed: ${messageOf(error)}`, { cause: error });
    }
  }
}

async function openOrExplain(path: string, flags: string, shownPath: string): Promise<FileHandle> {
  try {
    return await open(path, flags, 0o644);
  } catch (error) {
    throw new DatagenError('INVALID_ARGUMENT', `cannot write '${shownPath}': ${messageOf(error)}`, { cause: error });
  }
}

function messageOf(error: unknown): string {
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
