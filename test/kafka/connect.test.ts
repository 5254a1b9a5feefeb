/**
 * What a user sees when the producer cannot start: nothing listening, a broker that does not
 * answer, TLS or SASL settings the broker's listener does not speak. One line each, at once.
 */
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestBroker } from '../support/broker.ts';
import { startBroker } from '../support/broker.ts';
import { runChild } from '../support/cli.ts';

let broker: TestBroker;
beforeAll(async () => {
  broker = await startBroker();
});
afterAll(async () => {
  await broker.stop();
});

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
}

/** A port that was just free: connections to it are refused. */
async function refusingPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function timed<T>(work: Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work;
  return [result, performance.now() - started];
}

describe('Kafka connection failures', () => {
  it('nothing listening: one line at once, naming --output FILE|- as the way to run without Kafka', async () => {
    const port = await refusingPort();
    const [result, ms] = await timed(runChild(['stream', '--rate', '10', '--kafka-servers', `127.0.0.1:${port}`]));
    expect(ms).toBeLessThan(2000);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`cannot reach Kafka at 127.0.0.1:${port} (connection refused`);
    expect(result.stderr).toContain('--output FILE|-');
  });

  it('Ctrl-C while a broker does not answer: stops within two seconds and prints the summary', async () => {
    const silent = createServer(() => undefined); // accepts connections, never answers
    const port = await listen(silent);
    try {
      const started = performance.now();
      const result = await runChild(['stream', '--rate', '10', '--kafka-servers', `127.0.0.1:${port}`], {
        signal: 'SIGINT',
        afterMs: 1500,
      });
      expect(performance.now() - started).toBeLessThan(1500 + 2500); // not the 10 s connect timeout
      expect(result.code).toBe(130);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(
        `generated 0, acknowledged 0, failed 0; stopped by SIGINT while connecting to Kafka at 127.0.0.1:${port}`,
      );
    } finally {
      silent.close();
    }
  });

  it('SASL against a listener without SASL is reported as a SASL problem, at once', async () => {
    const [result, ms] = await timed(
      runChild(['stream', '--rate', '10', '--kafka-servers', broker.bootstrap], {
        env: { KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', KAFKA_SASL_USERNAME: 'user', KAFKA_SASL_PASSWORD: 'pw' },
      }),
    );
    expect(ms).toBeLessThan(3000);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/SASL authentication with Kafka at \S+ failed \(.*SASL.*\); check KAFKA_SECURITY/);
    expect(result.stderr).not.toContain('cannot reach Kafka');
    expect(result.stderr).not.toContain('pw');
  });

  it('credentials (SASL_SSL by default) against a listener without TLS: reported as a TLS handshake problem', async () => {
    const [result, ms] = await timed(
      runChild(['stream', '--rate', '10', '--kafka-servers', broker.bootstrap], {
        env: { KAFKA_SASL_USERNAME: 'user', KAFKA_SASL_PASSWORD: 'pw' },
      }),
    );
    expect(ms).toBeLessThan(3000);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/the TLS handshake with Kafka at \S+ failed .*SASL_PLAINTEXT/);
    expect(result.stderr).not.toContain('cannot reach Kafka');
  });
});
