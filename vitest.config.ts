import { defineConfig } from 'vitest/config';

/**
 * Tests that need more than Node: a Kafka broker (librdkafka's mock cluster or Apache Kafka), a
 * browser, a packed install, or Python (.venv-ci's packages, Debian's pandas and SciPy).
 * `npm test` runs the rest (the `fast` project); `npm run test:integration` runs these; .ci/run
 * runs both.
 */
const integration = [
  'test/kafka/**/*.test.ts',
  'test/kafka-real/**/*.test.ts',
  'test/metrics/metrics.test.ts',
  'test/report/report.test.ts',
  'test/package/pack.test.ts',
  'test/package/quick-start.test.ts',
  'test/model/**/*.test.ts',
  'test/monitors/**/*.test.ts',
  'test/sinks/parquet.test.ts',
  // read back by Python (json, csv, pandas, SciPy)
  'test/encoders/encoders.test.ts',
  'test/report/statistics.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/support/build-once.ts', 'test/support/temp-root.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: integration } },
      { extends: true, test: { name: 'integration', include: integration } },
    ],
  },
});
