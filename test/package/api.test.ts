/**
 * The public API is what src/index.ts exports: a short list a user can rely on. Adding or removing
 * a name is a deliberate change to this list (and to docs/library.md).
 */
import { describe, expect, it } from 'vitest';
import * as library from '../../src/index.ts';

describe('the public API', () => {
  it('exports exactly the documented values', () => {
    expect(Object.keys(library).sort()).toEqual([
      'DatagenError',
      'FileSink',
      'KafkaProducerService',
      'SimulatedClock',
      'StreamSink',
      'SyntheticDataGenerator',
      'batchRecords',
      'buildDriftReport',
      'defaultRiskMix',
      'driftManifest',
      'errorCodes',
      'lifecycleSource',
      'modelVersion',
      'readManifest',
      'realClock',
      'recordFields',
      'riskLevels',
      'scoreDetector',
      'specDriftComponents',
      'streamSource',
      'timedRecords',
      'writeBatch',
      'writeBatchParallel',
    ]);
  });
});
