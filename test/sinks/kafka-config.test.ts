import { describe, expect, it } from 'vitest';
import { redactConfig, securityConfigFromEnv } from '../../src/sinks/kafka.ts';

describe('SASL/TLS settings from the environment', () => {
  it('maps SCRAM credentials and TLS files, encrypted by default', () => {
    const config = securityConfigFromEnv({
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: 's3cret',
      KAFKA_SSL_CA_LOCATION: '/etc/ca.pem',
    });
    expect(config).toEqual({
      'security.protocol': 'SASL_SSL',
      'sasl.mechanisms': 'SCRAM-SHA-512',
      'sasl.username': 'svc',
      'sasl.password': 's3cret',
      'ssl.ca.location': '/etc/ca.pem',
    });
    expect(JSON.stringify(redactConfig(config))).not.toContain('s3cret');
  });

  it('defaults the mechanism to PLAIN and keeps an explicit protocol', () => {
    expect(
      securityConfigFromEnv({
        KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
      }),
    ).toMatchObject({
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanisms': 'PLAIN',
    });
    expect(securityConfigFromEnv({})).toEqual({});
  });

  it.each([
    [{ KAFKA_SASL_MECHANISM: 'GSSAPI' }, 'KAFKA_SASL_MECHANISM must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512'],
    [{ KAFKA_SECURITY_PROTOCOL: 'TLS' }, 'KAFKA_SECURITY_PROTOCOL must be PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL'],
    [{ KAFKA_SASL_USERNAME: 'u' }, 'KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD must be set together'],
  ])('rejects %j without echoing secrets', (env, message) => {
    expect(() => securityConfigFromEnv(env)).toThrow(message);
  });
});
