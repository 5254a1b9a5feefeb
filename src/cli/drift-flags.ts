/**
 * The drift experiment's flags: kinds, shape and strength of the schedule (drift mode), and the
 * ground truth and control outputs (drift mode and `stream --drift`).
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CovariateFeature, DriftComponent, DriftKind, DriftShape } from '../core/drift-schedule.ts';
import { covariateFeatures, driftKinds, driftShapeTypes, recurringPeriods } from '../core/drift-schedule.ts';
import type { RiskMix } from '../core/profiles.ts';
import { normaliseRiskMix } from '../core/profiles.ts';
import { UsageError } from '../errors.ts';
import { flagLimits, resolveFormat } from './options.ts';
import { parseDirection, parsePositiveFraction, parseUnitInterval } from './parse.ts';

export interface DriftScheduleFlags {
  kind: string;
  shape: string;
  at: string;
  width: string;
  period: string;
  magnitude: string;
  direction: string;
  /** Absent unless given (the defaults apply to the kinds that use them). */
  targetMix?: string | undefined;
  features?: string | undefined;
}

const defaultTargetMix = '10/30/60';

export interface DriftOutputFlags {
  manifest?: string;
  controlOutput?: string;
  controlTopic?: string;
}

const specKinds = 'prior,class-conditional';

export function addDriftScheduleOptions(command: Command): Command {
  return command
    .option('--kind <list>', 'kinds (see above)', specKinds)
    .option('--shape <shape>', `how it grows: ${driftShapeTypes.join(', ')}`, 'linear')
    .option('--at <progress>', 'sudden: when; sigmoid: midpoint', '0.5')
    .option('--width <progress>', 'sigmoid: rise time (0..1)', '0.1')
    .option('--period <cycle>', `recurring: ${Object.keys(recurringPeriods).join(' or ')}`, 'daily')
    .option('--magnitude <m>', 'strength when fully on, 0..1', '1')
    .option('--direction <d>', '1 riskier/up, -1 healthier/down', '1')
    .option('--target-mix <l/m/h>', `prior: mix at full strength (default ${defaultTargetMix})`)
    .option('--features <list>', 'covariate: whose drivers move (default: all)');
}

export function addDriftOutputOptions(command: Command): Command {
  return command
    .option('--manifest <file>', 'write the schedule (ground truth) as JSON')
    .option('--control-output <file>', 'also write the customers with drift off here')
    .option('--control-topic <topic>', 'also send the customers with drift off here');
}

/** The components the flags describe; every bad value names its flag. */
export function parseDriftComponents(flags: DriftScheduleFlags): DriftComponent[] {
  const kinds = parseList('--kind', flags.kind, driftKinds);
  const shape = parseShape(flags);
  const magnitude = parsePositiveFraction('--magnitude', flags.magnitude);
  const direction = parseDirection('--direction', flags.direction);
  const targetMix = parseTargetMix(flags.targetMix ?? defaultTargetMix);
  const features: CovariateFeature[] = parseList(
    '--features',
    flags.features ?? covariateFeatures.join(','),
    covariateFeatures,
  );
  refuseUnused(flags.features, '--features', 'covariate', kinds, flags.kind);
  refuseUnused(flags.targetMix, '--target-mix', 'prior', kinds, flags.kind);
  return kinds.map((kind: DriftKind) => ({
    kind,
    shape,
    magnitude,
    direction,
    ...(kind === 'prior' ? { targetMix } : {}),
    ...(kind === 'covariate' ? { features } : {}),
  }));
}

/** Checks the output flags of a drift run before anything is opened. */
export function checkDriftOutputFlags(
  flags: DriftOutputFlags & { output?: string; topic?: string },
  drifting: boolean,
): void {
  const given = (['manifest', 'controlOutput', 'controlTopic'] as const).find((name) => flags[name] !== undefined);
  if (!drifting && given !== undefined) {
    throw new UsageError(`--${kebab(given)}: needs --drift (there is no drift schedule without it)`);
  }
  if (flags.controlOutput !== undefined && flags.controlTopic !== undefined) {
    throw new UsageError('--control-output: give either --control-output or --control-topic, not both');
  }
  if (flags.controlOutput !== undefined) resolveFormat(flags.controlOutput, undefined, '--control-output');
  if (flags.controlTopic !== undefined && flags.controlTopic.trim() === '') {
    throw new UsageError("--control-topic: expected a topic name, got ''");
  }
  checkDistinctOutputs(flags);
}

/**
 * Two outputs in one place lose one of them: refuses --output, --control-output, --manifest and
 * --outcomes-output naming the same file (however it is spelt: `./x` and `x`, through a symlink) or
 * both stdout, and a control or outcomes topic that is the data topic or each other.
 */
export function checkDistinctOutputs(
  flags: DriftOutputFlags & { output?: string; topic?: string; outcomesOutput?: string; outcomesTopic?: string },
): void {
  const outputs: [flag: string, path: string | undefined][] = [
    ['--output', flags.output],
    ['--control-output', flags.controlOutput],
    ['--manifest', flags.manifest],
    ['--outcomes-output', flags.outcomesOutput],
  ];
  const seen = new Map<string, [flag: string, path: string]>();
  for (const [flag, path] of outputs) {
    if (path === undefined) continue;
    const identity = path === '-' ? 'stdout' : fileIdentity(path);
    const earlier = seen.get(identity);
    if (earlier !== undefined) {
      const place = identity === 'stdout' ? 'stdout' : `'${earlier[1]}' and '${path}' are one file`;
      throw new UsageError(`${flag}: same output as ${earlier[0]} (${place}); give each its own`);
    }
    seen.set(identity, [flag, path]);
  }
  const dataTopic = flags.topic?.trim();
  if (flags.output === undefined && flags.controlTopic !== undefined && flags.controlTopic.trim() === dataTopic) {
    throw new UsageError(
      `--control-topic: same topic as --topic ('${flags.controlTopic}'); the control stream needs its own topic`,
    );
  }
  if (flags.output === undefined && flags.outcomesTopic !== undefined && flags.outcomesTopic.trim() === dataTopic) {
    throw new UsageError(
      `--outcomes-topic: same topic as --topic ('${flags.outcomesTopic}'); the outcomes need their own topic`,
    );
  }
  if (flags.controlTopic !== undefined && flags.controlTopic.trim() === flags.outcomesTopic?.trim()) {
    throw new UsageError(
      `--outcomes-topic: same topic as --control-topic ('${flags.controlTopic}'); the outcomes need their own topic`,
    );
  }
}

/** The file a path names: symlinks and `.`/`..` resolved, for a file not there yet through its directory. */
function fileIdentity(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    // Not there yet (or unreadable): the directory's real path and the name.
  }
  try {
    return join(realpathSync(dirname(absolute)), basename(absolute));
  } catch {
    return absolute;
  }
}

// --- internal ---

function parseList<T extends string>(flag: string, raw: string, allowed: readonly T[]): T[] {
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  const picked = items.map((item) => {
    const match = allowed.find((value) => value === item);
    if (match === undefined) throw new UsageError(`${flag}: expected a list of ${allowed.join(', ')}, got '${raw}'`);
    return match;
  });
  if (picked.length === 0) throw new UsageError(`${flag}: expected a list of ${allowed.join(', ')}, got '${raw}'`);
  const twice = picked.find((item, i) => picked.indexOf(item) !== i);
  if (twice !== undefined) throw new UsageError(`${flag}: '${twice}' is listed twice in '${raw}'`);
  return picked;
}

/** A flag that only one kind of drift reads, given without that kind, would be silently ignored. */
function refuseUnused(
  value: string | undefined,
  flag: string,
  kind: DriftKind,
  kinds: readonly DriftKind[],
  rawKinds: string,
): void {
  if (value === undefined || kinds.includes(kind)) return;
  throw new UsageError(`${flag}: applies to --kind ${kind} only, got ${flag} '${value}' with --kind '${rawKinds}'`);
}

function parseShape(flags: DriftScheduleFlags): DriftShape {
  switch (flags.shape) {
    case 'linear':
      return { type: 'linear' };
    case 'sudden':
      return { type: 'sudden', at: parseUnitInterval('--at', flags.at) };
    case 'sigmoid': {
      const width = parsePositiveFraction('--width', flags.width);
      return { type: 'sigmoid', center: parseUnitInterval('--at', flags.at), width };
    }
    case 'recurring': {
      if (flags.period !== 'daily' && flags.period !== 'weekly')
        throw new UsageError(`--period: expected daily or weekly, got '${flags.period}'`);
      return { type: 'recurring', period: flags.period };
    }
    default:
      throw new UsageError(`--shape: expected one of ${driftShapeTypes.join(', ')}, got '${flags.shape}'`);
  }
}

/** `10/30/60` (any non-negative weights, normalised). */
function parseTargetMix(raw: string): RiskMix {
  const parts = raw.split('/').map((part) => (/^\d+(\.\d+)?$/.test(part.trim()) ? Number(part) : Number.NaN));
  if (parts.some((part) => part > flagLimits.share)) {
    throw new UsageError(`--target-mix: expected shares up to ${flagLimits.share} each, got '${raw}'`);
  }
  const [low, medium, high] = parts;
  if (
    parts.length !== 3 ||
    low === undefined ||
    medium === undefined ||
    high === undefined ||
    parts.some(Number.isNaN) ||
    low + medium + high <= 0
  ) {
    throw new UsageError(`--target-mix: expected low/medium/high shares such as 10/30/60, got '${raw}'`);
  }
  return normaliseRiskMix({ low, medium, high });
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
