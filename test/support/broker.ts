/**
 * Starts the project's test broker (scripts/test-broker.sh: librdkafka's mock cluster on
 * 127.0.0.1) and consumes topics back with kcat, an independent client.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { CustomerRecord } from '../../src/core/schema.ts';

const script = fileURLToPath(new URL('../../scripts/test-broker.sh', import.meta.url));

export interface TestBroker {
  bootstrap: string;
  /** Takes the broker down (connections refused) until up(). */
  down(): void;
  up(): void;
  stop(): Promise<void>;
}

export async function startBroker(topics: string[] = [], partitions = 3): Promise<TestBroker> {
  const child: ChildProcess = spawn('bash', [script, 'run', '--partitions', String(partitions), ...topics], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const bootstrap = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /bootstrap\.servers=(\S+)/.exec(text);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`test broker exited with ${code}`)));
    setTimeout(() => reject(new Error('test broker did not start in 60 s')), 60_000);
  });
  return {
    bootstrap,
    down: () => child.kill('SIGUSR1'),
    up: () => child.kill('SIGUSR2'),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.on('exit', () => {
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Whether `bootstrap` (host:port) refuses a TCP connection, as the test broker does while down. */
export function refusesConnections(bootstrap: string): Promise<boolean> {
  const at = bootstrap.lastIndexOf(':');
  return new Promise((resolve) => {
    const socket = connect(Number(bootstrap.slice(at + 1)), bootstrap.slice(0, at));
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

export interface ConsumedMessage {
  key: string;
  record: CustomerRecord;
  partition: number;
  /** The message timestamp, ms. */
  timestamp: number;
  /** Message headers (name → value). */
  headers: Record<string, string>;
}

/** Everything in `topic` from the beginning, read by kcat until the end of every partition. */
export function consume(bootstrap: string, topic: string): Promise<ConsumedMessage[]> {
  return new Promise((resolve, reject) => {
    execFile(
      'kcat',
      [
        '-b',
        bootstrap,
        '-C',
        '-t',
        topic,
        '-o',
        'beginning',
        '-e',
        '-q',
        '-X',
        'fetch.wait.max.ms=10',
        '-f',
        '%p\t%T\t%k\t%h\t%s\n',
      ],
      { maxBuffer: 1 << 30, timeout: 60_000, encoding: 'utf8' },
      (error: Error | null, stdout: string) => {
        if (error) {
          reject(error);
          return;
        }
        resolve(
          stdout
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => {
              const [partition, timestamp, key, headers, value] = line.split('\t');
              return {
                key: key ?? '',
                headers: Object.fromEntries(
                  (headers ?? '')
                    .split(',')
                    .filter((pair) => pair.includes('='))
                    .map((pair) => pair.split('=', 2) as [string, string]),
                ),
                partition: Number(partition),
                timestamp: Number(timestamp),
                record: JSON.parse(value ?? 'null') as CustomerRecord,
              };
            }),
        );
      },
    );
  });
}
