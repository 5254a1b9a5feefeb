/** Runs the CLI in-process (run()) or as a child process (the built executable). */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/program.ts';

export const binPath = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runInProcess(
  args: string[],
  options: { signal?: AbortSignal; now?: () => number } = {},
): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await run(args, { stdout, stderr, env: {}, signal: options.signal, now: options.now ?? Date.now });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

export interface ChildOptions {
  cwd?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Sends this signal once stderr/stdout shows the child is running (or after `afterMs`). */
  signal?: NodeJS.Signals;
  afterMs?: number;
  /** Called with each piece of stderr as it comes, to watch the child mid-run. */
  onStderr?: (text: string) => void;
}

export function runChild(args: string[], options: ChildOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
    if (options.env?.KAFKA_BOOTSTRAP_SERVERS === undefined) delete env.KAFKA_BOOTSTRAP_SERVERS;
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      err.push(chunk);
      options.onStderr?.(chunk.toString());
    });
    if (options.signal !== undefined) {
      const signal = options.signal;
      setTimeout(() => child.kill(signal), options.afterMs ?? 500);
    }
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({
        code: code ?? (signal === null ? -1 : 128),
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      });
    });
  });
}

export function tempDir(prefix = 'churn-datagen-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
