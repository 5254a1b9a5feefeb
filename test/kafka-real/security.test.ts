/**
 * A secured Apache Kafka node: SASL_PLAINTEXT (SCRAM-SHA-512 and PLAIN) and SSL listeners, a CA
 * and broker certificate made here with openssl, StandardAuthorizer ACLs, no topic auto-creation.
 * Credentials reach the CLI only through the KAFKA_* environment variables the README documents.
 * Then what Kafka refuses: a topic that does not exist, a principal without WRITE, a message over
 * the topic's max.message.bytes.
 */
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, runChild, tempDir } from '../support/cli.ts';
import type { KafkaCluster } from '../support/kafka-cluster.ts';
import { consumeAll, startKafka } from '../support/kafka-cluster.ts';
import { sampleValue, scrape } from '../support/metrics.ts';
import { waitFor } from '../support/wait.ts';

const users = {
  writer: { scram: 'writer-scram-Secret-1', plain: 'writer-plain-Secret-2' },
  reader: { scram: 'reader-scram-Secret-3', plain: 'reader-plain-Secret-4' },
};
const keystorePassword = 'keystore-Secret-5';
const topic = 'secured';
let kafka: KafkaCluster;
let caFile: string;

/** A CA, and a broker certificate for 127.0.0.1 signed by it, in a PKCS12 keystore. */
function makeCertificates(dir: string): { ca: string; keystore: string } {
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=churn-datagen test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  writeFileSync(join(dir, 'broker.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    'broker.key',
    '-out',
    'broker.csr',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    'broker.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'broker.ext',
    '-out',
    'broker.pem',
  );
  openssl(
    'pkcs12',
    '-export',
    '-in',
    'broker.pem',
    '-inkey',
    'broker.key',
    '-name',
    'broker',
    '-passout',
    `pass:${keystorePassword}`,
    '-out',
    'broker.p12',
  );
  return { ca: join(dir, 'ca.pem'), keystore: join(dir, 'broker.p12') };
}

beforeAll(async () => {
  const certificates = makeCertificates(tempDir());
  caFile = certificates.ca;
  const plainUsers = Object.entries(users)
    .map(([name, passwords]) => `user_${name}="${passwords.plain}"`)
    .join(' ');
  kafka = await startKafka({
    listeners: { SASL: 'SASL_PLAINTEXT', TLS: 'SSL' },
    settings: {
      'listener.name.sasl.sasl.enabled.mechanisms': 'SCRAM-SHA-512,PLAIN',
      'listener.name.sasl.scram-sha-512.sasl.jaas.config':
        'org.apache.kafka.common.security.scram.ScramLoginModule required;',
      'listener.name.sasl.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required ${plainUsers};`,
      'listener.name.tls.ssl.keystore.type': 'PKCS12',
      'listener.name.tls.ssl.keystore.location': certificates.keystore,
      'listener.name.tls.ssl.keystore.password': keystorePassword,
      'listener.name.tls.ssl.key.password': keystorePassword,
      'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      // The PLAINTEXT listeners (controller, inter-broker, the tests' consumer) and the SSL one
      // (no client certificates) authenticate nobody: ANONYMOUS.
      'super.users': 'User:ANONYMOUS;User:writer',
      'auto.create.topics.enable': false,
    },
    formatArgs: Object.entries(users).flatMap(([name, passwords]) => [
      '--add-scram',
      `SCRAM-SHA-512=[name=${name},password=${passwords.scram}]`,
    ]),
  });
  await kafka.createTopic(topic);
  await kafka.createTopic('small-messages', { config: { 'max.message.bytes': 300 } });
  // The reader may read and describe the topic, not write to it.
  const acl = await kafka.tool('org.apache.kafka.tools.AclCommand', [
    '--bootstrap-server',
    kafka.internal,
    '--add',
    '--allow-principal',
    'User:reader',
    '--operation',
    'Read',
    '--operation',
    'Describe',
    '--topic',
    topic,
  ]);
  expect(acl.code, acl.stderr).toBe(0);
}, 180_000);
afterAll(async () => {
  await kafka.stop();
});

const sasl = (mechanism: string, user: string, password: string): Record<string, string> => ({
  KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
  KAFKA_SASL_MECHANISM: mechanism,
  KAFKA_SASL_USERNAME: user,
  KAFKA_SASL_PASSWORD: password,
});

async function sendBatch(servers: string, env: Record<string, string>, count = 300, to = topic) {
  const started = Date.now();
  const result = await runChild(['batch', '--count', String(count), '--kafka-servers', servers, '--topic', to], {
    env,
  });
  return { ...result, seconds: (Date.now() - started) / 1000 };
}

describe('a secured Kafka, credentials from the environment', () => {
  let delivered = 0;

  it.each([
    ['SCRAM-SHA-512', users.writer.scram],
    ['PLAIN', users.writer.plain],
  ])('SASL_PLAINTEXT with %s: every record acknowledged', async (mechanism, password) => {
    const result = await sendBatch(kafka.listeners.SASL!, sasl(mechanism, 'writer', password));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/generated 300, acknowledged 300, failed 0/);
    expect(result.stderr).not.toContain(password);
    delivered += 300;
    expect(await consumeAll(kafka.internal, topic)).toHaveLength(delivered);
  });

  it('a stream with --verbose and --metrics-port: the password is in neither the output nor the metrics', async () => {
    const password = users.writer.scram;
    const child = spawn(
      process.execPath,
      [binPath, 'stream', '--rate', '600', '--duration', '0.05', '--kafka-servers', kafka.listeners.SASL!].concat([
        '--topic',
        topic,
        '--metrics-port',
        '0',
        '--log-format',
        'json',
        '--verbose',
      ]),
      { env: { ...process.env, ...sasl('SCRAM-SHA-512', 'writer', password) }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    const abandonedBy = closed.then(() => output);
    const url = await waitFor(() => /"metricsUrl":"([^"]+)"/.exec(output)?.[1], {
      what: 'the metrics URL',
      abandonedBy,
    });
    // Mid-run (30 records over 3 s), records acknowledged.
    const metrics = await waitFor(
      async () => {
        const text = await scrape(url);
        return sampleValue(text, 'churn_datagen_records_delivered_total') > 0 && text;
      },
      { what: 'a scrape counting records acknowledged', abandonedBy },
    );
    expect(metrics).toMatch(/churn_datagen_/);
    expect(await closed, output).toBe(0);
    expect(output).toMatch(/"generated":30,"sent":30,"acknowledged":30,"failed":0/);
    for (const text of [metrics, output]) {
      expect(text).not.toContain(password);
      expect(text).not.toContain(encodeURIComponent(password));
    }
    delivered += 30;
    expect(await consumeAll(kafka.internal, topic)).toHaveLength(delivered);
  });

  it('SSL, the broker certificate checked against a CA file', async () => {
    const result = await sendBatch(kafka.listeners.TLS!, {
      KAFKA_SECURITY_PROTOCOL: 'SSL',
      KAFKA_SSL_CA_LOCATION: caFile,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/generated 300, acknowledged 300, failed 0/);
    delivered += 300;
    expect(await consumeAll(kafka.internal, topic)).toHaveLength(delivered);
  });
});

describe('what Kafka refuses', () => {
  it('a principal without WRITE on the topic: an authorization error naming the topic, exit 1', async () => {
    const result = await sendBatch(kafka.listeners.SASL!, sasl('SCRAM-SHA-512', 'reader', users.reader.scram), 50);
    expect(result.code).toBe(1);
    // Without WRITE anywhere, the cluster already refuses the idempotent producer its id. That
    // fatal error reaches the run either at a produce call ("producing to 'secured' failed: …") or,
    // when every record was already queued, as the reason the purged records were not delivered.
    expect(result.stderr).toMatch(
      /producing to 'secured' failed: .*authorization failed|topic 'secured'.*\n.*records were not delivered \(.*authorization failed/i,
    );
    expect(await consumeAll(kafka.internal, topic)).toHaveLength(930); // what the runs above delivered
    expect(result.stderr).not.toContain(users.reader.scram);
  });

  it('messages over the topic’s max.message.bytes: reported, counted as failed', async () => {
    const result = await sendBatch(kafka.internal, {}, 20, 'small-messages');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/generated 20, acknowledged 0, failed 20/);
    expect(result.stderr).toMatch(/too large/i);
    expect(await consumeAll(kafka.internal, 'small-messages')).toHaveLength(0);
  });
});

// Each waits for the client's connect or topic timeout: side by side, not one after the other.
describe.concurrent('refusals that take seconds', () => {
  it('SSL without the CA: refused, one line, non-zero exit', async () => {
    const result = await sendBatch(kafka.listeners.TLS!, { KAFKA_SECURITY_PROTOCOL: 'SSL' });
    expect(result.code).not.toBe(0);
    expect(result.seconds).toBeLessThan(15);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(kafka.listeners.TLS!);
    expect(result.stderr).toMatch(/TLS handshake .*certificate verify failed.*KAFKA_SSL_CA_LOCATION/);
  });

  it.each([
    ['SCRAM-SHA-512', 'wrong-scram-Secret-6'],
    ['PLAIN', 'wrong-plain-Secret-7'],
  ])(
    'a wrong password with %s: one line naming the mechanism and the broker, exit 1 within 15 s',
    async (mechanism, password) => {
      const result = await sendBatch(kafka.listeners.SASL!, sasl(mechanism, 'writer', password));
      expect(result.code).toBe(1);
      expect(result.seconds).toBeLessThan(15);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(mechanism);
      expect(result.stderr).toContain(kafka.listeners.SASL!);
      expect(result.stderr).toMatch(/authentication/i);
      expect(result.stdout + result.stderr).not.toContain(password);
    },
  );

  it('a topic that does not exist (no auto-creation): a clear error naming the topic', async () => {
    const result = await sendBatch(kafka.internal, {}, 10, 'no-such-topic');
    expect(result.code).not.toBe(0);
    expect(result.seconds).toBeLessThan(60);
    expect(result.stderr).toContain("'no-such-topic'");
    expect(result.stderr).toMatch(/unknown topic|does not exist/i);
  });
});
