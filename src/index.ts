/**
 * churn-datagen's public API: what a program needs to generate customers, write or stream them,
 * run drift experiments and read their results. Everything else is internal and may change.
 */

// Customers, one at a time or in batches.
export { SyntheticDataGenerator } from './generator.ts';
export type { GeneratorOptions } from './generator.ts';
export { batchRecords, writeBatch } from './modes/batch.ts';
export type { BatchOptions, BatchResult, WriteBatchOptions } from './modes/batch.ts';
export { writeBatchParallel } from './modes/parallel-batch.ts';
export type { ParallelBatchOptions } from './modes/parallel-batch.ts';

// The record.
export type { CustomerRecord, DriftPhase } from './core/schema.ts';
export { recordFields } from './core/schema.ts';
export type { RiskLevel, RiskMix } from './core/profiles.ts';
export { riskLevels, defaultRiskMix } from './core/profiles.ts';
export { modelVersion } from './core/customer.ts';

// Where records go.
export { FileSink } from './sinks/file.ts';
export { StreamSink } from './sinks/stream.ts';
export type { Sink } from './sinks/types.ts';
export type { OutputFormat } from './encoders/index.ts';
export { KafkaProducerService } from './kafka-producer-service.ts';
export type { KafkaProducerServiceOptions, StreamCustomersOptions } from './kafka-producer-service.ts';
export type { KafkaSinkOptions, CompressionCodec } from './sinks/kafka.ts';
export type { DeliveryStats } from './sinks/record-sink.ts';

// Timed modes: a stream, a drift experiment or journeys as schedules, iterated or paced.
export { streamSource } from './modes/stream.ts';
export type { StreamOptions } from './modes/stream.ts';
export { lifecycleSource } from './modes/lifecycle.ts';
export type { LifecycleOptions } from './modes/lifecycle.ts';
export { timedRecords } from './modes/timed.ts';
export type { TimedSource, TimedRunOptions } from './modes/timed.ts';
export { realClock, SimulatedClock } from './schedule/clock.ts';
export type { Clock } from './schedule/clock.ts';

// Drift experiments: the schedule, its ground truth, the report and a detector's score.
export { specDriftComponents } from './core/drift-schedule.ts';
export type { DriftComponent, DriftKind, DriftShape, CovariateFeature } from './core/drift-schedule.ts';
export { driftManifest } from './core/manifest.ts';
export type { DriftManifest } from './core/manifest.ts';
export { buildDriftReport, readManifest } from './report/index.ts';
export type { DriftReport, DriftReportOptions } from './report/index.ts';
export { scoreDetector } from './score/score.ts';
export type { DetectorScore, ScoreOptions } from './score/score.ts';

// Errors.
export { DatagenError, errorCodes } from './errors.ts';
export type { ErrorCode } from './errors.ts';
