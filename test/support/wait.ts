/**
 * Waiting for a condition instead of for a fixed time: a test that sleeps "long enough" for a
 * child to be mid-run is slow when the machine is idle and wrong when it is busy. waitFor polls
 * what the condition can be seen in (a child's output, a metrics endpoint, a topic, a file) and
 * fails naming what it waited for.
 */

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface WaitOptions {
  /** What is awaited, for the failure message: "some records stored in topic 'x'". */
  what: string;
  /** Default 30 s. */
  timeoutMs?: number;
  /** Between two probes; default 100 ms. */
  intervalMs?: number;
  /** The last state seen, added to the failure message. */
  state?: () => string;
  /**
   * Settles when the condition can no longer come (a child's exit): the wait then fails at once
   * rather than at the timeout. A string it resolves to (a child's stderr) goes into the message.
   */
  abandonedBy?: Promise<unknown>;
}

/**
 * Calls `probe` until it returns something other than undefined, null or false, and resolves to
 * that. An error thrown by the probe fails the wait, naming what was awaited.
 */
export async function waitFor<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: WaitOptions,
): Promise<T> {
  const { what, timeoutMs = 30_000, intervalMs = 100 } = options;
  const deadline = performance.now() + timeoutMs;
  let ended: { value: unknown } | undefined;
  void options.abandonedBy?.then(
    (value) => (ended = { value }),
    (error: unknown) => (ended = { value: error instanceof Error ? error.message : String(error) }),
  );
  const fail = (why: string): Error => {
    const state = options.state === undefined ? '' : `; last seen: ${options.state()}`;
    const output = typeof ended?.value === 'string' && ended.value !== '' ? `\n${ended.value}` : '';
    return new Error(`gave up waiting for ${what}: ${why}${state}${output}`);
  };
  for (;;) {
    const settledBefore = ended !== undefined;
    let value;
    try {
      value = await probe();
    } catch (error) {
      throw fail(error instanceof Error ? error.message : String(error));
    }
    if (value !== undefined && value !== null && value !== false) return value;
    if (settledBefore) throw fail('what it depends on ended first');
    if (performance.now() >= deadline) throw fail(`not so within ${timeoutMs / 1000} s`);
    await sleep(intervalMs);
  }
}
