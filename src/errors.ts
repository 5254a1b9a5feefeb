/** Every failure the library reports carries one of these codes, so callers can branch on it. */
export const errorCodes = [
  /** An argument or option is outside what the API accepts. */
  'INVALID_ARGUMENT',
  /** A command-line flag, mode or value is wrong (the CLI exits with code 2). */
  'USAGE',
  /** Writing the output failed (disk full, permission, closed pipe). */
  'OUTPUT',
  /** The run was stopped by a signal before it finished. */
  'INTERRUPTED',
  /** Kafka is unreachable, the client is missing, or records were not delivered. */
  'KAFKA',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export class DatagenError extends Error {
  readonly code: ErrorCode;
  /** With INVALID_ARGUMENT: the option that was refused (e.g. "count"), where one was. */
  readonly option: string | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; option?: string }) {
    super(message, options);
    this.name = 'DatagenError';
    this.code = code;
    this.option = options?.option;
  }
}

/** Bad user input at the command line: one line naming the flag and the value, exit code 2. */
export class UsageError extends DatagenError {
  constructor(message: string) {
    super('USAGE', message);
    this.name = 'UsageError';
  }
}
