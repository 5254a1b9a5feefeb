/** churn-datagen's public API. */
export { SyntheticDataGenerator, randomSeed, defaultIntervalMs } from './generator.ts';
export type { GeneratorOptions } from './generator.ts';
export { defaultOverlap, customerIdOf, generateCustomerRecord, modelVersion } from './core/customer.ts';
export type { GenerationParams } from './core/customer.ts';
export { makeDrift, noDrift, driftDirections, driftBandsAtFullFactor } from './core/drift.ts';
export type { Drift, DriftDirection } from './core/drift.ts';
export {
  riskLevels,
  defaultRiskMix,
  normaliseRiskMix,
  keyFeatureProfiles,
  churnProbabilityCutoffs,
  productCategories,
  paymentMethods,
  shippingMethods,
} from './core/profiles.ts';
export type {
  RiskLevel,
  RiskMix,
  KeyFeature,
  ProductCategory,
  PaymentMethod,
  ShippingMethod,
} from './core/profiles.ts';
export { CounterRng, rngAlgorithm, streamDomains } from './core/random.ts';
export { recordFields, decimalPlaces, driftPhases, numericFeatures, categoricalFeatures } from './core/schema.ts';
export type { CustomerRecord, FieldSpec, FieldKind, DriftPhase } from './core/schema.ts';
export { createEncoder, formatFromPath, outputFormats } from './encoders/index.ts';
export type { OutputFormat, RecordEncoder, OptionalField } from './encoders/index.ts';
export { encodeJsonObject } from './encoders/json.ts';
export { FileSink } from './sinks/file.ts';
export { StreamSink } from './sinks/stream.ts';
export type { Sink } from './sinks/types.ts';
export { writeBatch, batchRecords } from './modes/batch.ts';
export type { BatchOptions, WriteBatchOptions, BatchResult } from './modes/batch.ts';
export { EncodedOutput, writeRecords } from './modes/encoded-output.ts';
export type { WriteRecordsOptions, WriteRecordsResult } from './modes/encoded-output.ts';
export { DatagenError, UsageError, errorCodes } from './errors.ts';
export type { ErrorCode } from './errors.ts';
export { KafkaProducerService } from './kafka-producer-service.ts';
export type { KafkaProducerServiceOptions, StreamCustomersOptions } from './kafka-producer-service.ts';
export {
  KafkaRecordSink,
  securityConfigFromEnv,
  redactConfig,
  compressionCodecs,
  loadKafkaClient,
} from './sinks/kafka.ts';
export type { KafkaSinkOptions, CompressionCodec } from './sinks/kafka.ts';
export { EncodedRecordSink } from './sinks/record-sink.ts';
export type { RecordSink, DeliveryStats } from './sinks/record-sink.ts';
export { streamSource, defaultRatePerMinute } from './modes/stream.ts';
export type { StreamOptions } from './modes/stream.ts';
export { lifecycleSource, lifecycleDefaults } from './modes/lifecycle.ts';
export type { LifecycleOptions } from './modes/lifecycle.ts';
export { runTimed, timedRecords } from './modes/timed.ts';
export type { TimedSource, TimedRunOptions, TimedRunResult, TimedProgress } from './modes/timed.ts';
export { CustomerJourney, simulateLifecycle, snapshotDays } from './core/lifecycle.ts';
export {
  driftKinds,
  driftShapeTypes,
  recurringPeriods,
  covariateFeatures,
  covariateDrivers,
  driftScenarioEndMix,
  specDriftComponents,
  makeDriftSchedule,
  driftEffectsAt,
  shapeValue,
} from './core/drift-schedule.ts';
export type {
  DriftKind,
  DriftShape,
  DriftShapeType,
  DriftComponent,
  DriftSchedule,
  DriftEffects,
  CovariateFeature,
  CovariateScales,
  RecurringPeriod,
} from './core/drift-schedule.ts';
export { driftManifest, manifestFormat } from './core/manifest.ts';
export type { DriftManifest, ManifestComponent, ManifestPoint, ManifestRun } from './core/manifest.ts';
export { realClock, SimulatedClock } from './schedule/clock.ts';
export type { Clock } from './schedule/clock.ts';
export { sendBatch } from './modes/batch.ts';
export type { SendBatchOptions, SendBatchResult } from './modes/batch.ts';
export { KafkaLinesSink } from './sinks/kafka.ts';
export { writeBatchParallel } from './modes/parallel-batch.ts';
export type { ParallelBatchOptions } from './modes/parallel-batch.ts';
export { ParquetRecordSink, defaultRowGroupSize } from './sinks/parquet.ts';
export { RunMetrics, startMetricsServer, metricNames } from './metrics/metrics.ts';
export type { MetricsServer, RunMetricsSource } from './metrics/metrics.ts';
export { makeShard, wholeShard, shardSize, globalIndex } from './core/shard.ts';
export type { Shard } from './core/shard.ts';
export { batchSize } from './modes/batch.ts';
export { buildDriftReport, readManifest, defaultAlpha, reportFormat } from './report/index.ts';
export type {
  DriftReport,
  DriftReportOptions,
  ReportSummary,
  FeatureFinding,
  WindowSummary,
  Verdict,
} from './report/index.ts';
export { scoreDetector } from './score/score.ts';
export type { DetectorScore, ScoreOptions } from './score/score.ts';
export { ksTwoSample, kolmogorovSurvival, populationStabilityIndex, chiSquareHomogeneity } from './core/statistics.ts';
export type { KsResult } from './core/statistics.ts';
