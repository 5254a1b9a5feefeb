/**
 * Messages on stderr (data goes to stdout only with --output -): short human lines by default,
 * one JSON object per line with --log-format json. --quiet keeps only warnings and errors; --verbose adds
 * details (settings, timings).
 */
import type { Writable } from 'node:stream';

export const logFormats = ['text', 'json'] as const;
export type LogFormat = (typeof logFormats)[number];
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Logger {
  readonly format: LogFormat;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  format?: LogFormat | undefined;
  quiet?: boolean | undefined;
  verbose?: boolean | undefined;
  now?: (() => number) | undefined;
}

export function createLogger(stream: Writable, options: LoggerOptions = {}): Logger {
  const format = options.format ?? 'text';
  const now = options.now ?? Date.now;
  const enabled = (level: LogLevel): boolean => {
    if (level === 'error' || level === 'warn') return true;
    if (options.quiet === true) return false;
    return level !== 'debug' || options.verbose === true;
  };
  const write = (level: LogLevel, message: string, fields: LogFields = {}): void => {
    if (!enabled(level)) return;
    if (format === 'json') {
      stream.write(`${JSON.stringify({ time: new Date(now()).toISOString(), level, msg: message, ...fields })}\n`);
    } else {
      stream.write(`churn-datagen: ${message}\n`);
    }
  };
  return {
    format,
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

/**
 * The log format asked for on a command line, read before parsing so that even a parse error is
 * reported in it.
 */
export function logFormatOf(argv: readonly string[]): LogFormat {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--log-format=json' || (arg === '--log-format' && argv[i + 1] === 'json')) return 'json';
  }
  return 'text';
}
