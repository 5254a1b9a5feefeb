/**
 * Apache Kafka itself for the tests: KRaft nodes started by scripts/kafka-cluster.sh from Maven
 * Central's jars, read back by consumers that are not our code (kcat, and Kafka's own console
 * consumer). Needs java 17+, mvn and kcat; without them startKafka fails saying which is missing.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../scripts/kafka-cluster.sh', import.meta.url));
/**
 * The JVMs' options: only the C1 compiler and the serial collector, which halves a three-node
 * cluster's start-up on two cores; the tests need correctness, not the broker's peak throughput.
 */
const jvmOptions = process.env.KAFKA_TEST_JVM_OPTS ?? '-Xmx512m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

export interface KafkaClusterOptions {
  nodes?: number;
  /** The first this many nodes are also the controllers (default: all). */
  controllers?: number;
  /** Extra listeners, NAME → protocol (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL). */
  listeners?: Record<string, string>;
  /** Broker settings for every node. */
  settings?: Record<string, string | number | boolean>;
  /** Arguments for StorageTool format (e.g. --add-scram …). */
  formatArgs?: string[];
}

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KafkaCluster {
  /** The first extra listener's addresses, else the PLAINTEXT ones. */
  bootstrap: string;
  /** Every node's PLAINTEXT listener (no authentication): for the verifying consumers. */
  internal: string;
  /** Each extra listener's addresses, by name. */
  listeners: Record<string, string>;
  dir: string;
  /** kill -9 one node (1-based). */
  kill(node: number): Promise<void>;
  /** Starts a killed node again on its ports and data directory; resolves once it serves metadata. */
  restart(node: number): Promise<void>;
  stop(): Promise<void>;
  /** Runs one of Kafka's Java tools (a class name) with the cluster's classpath. */
  tool(className: string, args: string[], timeoutMs?: number): Promise<ToolResult>;
  createTopic(
    topic: string,
    options?: {
      partitions?: number;
      replicationFactor?: number;
      /** Replicas per partition, preferred leader first (instead of partitions and replication factor). */
      replicas?: number[][];
      config?: Record<string, string | number>;
    },
  ): Promise<void>;
  /** The node leading each partition of `topic`, by partition. */
  leaders(topic: string): Promise<Map<number, number>>;
  /** Each partition's in-sync replicas, by partition. */
  inSyncReplicas(topic: string): Promise<Map<number, number[]>>;
}

function run(args: string[], timeoutMs = 180_000): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      [script, ...args],
      {
        maxBuffer: 1 << 30,
        timeout: timeoutMs,
        encoding: 'utf8',
        env: { ...process.env, KAFKA_TEST_JVM_OPTS: jvmOptions },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export async function startKafka(options: KafkaClusterOptions = {}): Promise<KafkaCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'kafka-cluster-'));
  const args = ['start', '--dir', dir, '--nodes', String(options.nodes ?? 1)];
  if (options.controllers !== undefined) args.push('--controllers', String(options.controllers));
  for (const [name, protocol] of Object.entries(options.listeners ?? {}))
    args.push('--listener', `${name}:${protocol}`);
  for (const [key, value] of Object.entries(options.settings ?? {})) args.push('--set', `${key}=${String(value)}`);
  for (const arg of options.formatArgs ?? []) args.push('--format-arg', arg);
  const started = await run(args);
  if (started.code !== 0) {
    await run(['stop', dir]);
    throw new Error(`could not start Apache Kafka for the tests: ${started.stderr.trim() || started.stdout.trim()}`);
  }
  const values = Object.fromEntries(
    started.stdout
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  ) as Record<string, string>;
  const listeners = Object.fromEntries(
    Object.entries(values)
      .filter(([key]) => key.startsWith('listener.'))
      .map(([key, value]) => [key.slice('listener.'.length), value]),
  );
  const internal = values['internal.servers']!;
  const checked = async (step: Promise<ToolResult>, what: string): Promise<ToolResult> => {
    const result = await step;
    if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}): ${result.stderr}${result.stdout}`);
    return result;
  };
  const partitionsOf = async (topic: string) => {
    const listed = await checked(kcat(['-b', internal, '-L', '-J', '-t', topic]), `reading ${topic}'s metadata`);
    const metadata = JSON.parse(listed.stdout) as {
      topics: { topic: string; partitions: { partition: number; leader: number; isrs: { id: number }[] }[] }[];
    };
    return metadata.topics.find((t) => t.topic === topic)?.partitions ?? [];
  };
  const cluster: KafkaCluster = {
    bootstrap: values['bootstrap.servers']!,
    internal,
    listeners,
    dir,
    kill: async (node) => {
      await checked(run(['kill', dir, String(node)]), `killing node ${node}`);
    },
    restart: async (node) => {
      await checked(run(['restart', dir, String(node)]), `restarting node ${node}`);
    },
    stop: async () => {
      await run(['stop', dir]);
    },
    tool: (className, toolArgs, timeoutMs) => run(['tool', className, ...toolArgs], timeoutMs),
    createTopic: async (topic, topicOptions = {}) => {
      const topicArgs = ['--bootstrap-server', internal, '--create', '--topic', topic];
      if (topicOptions.replicas === undefined) {
        topicArgs.push('--partitions', String(topicOptions.partitions ?? 3));
        topicArgs.push('--replication-factor', String(topicOptions.replicationFactor ?? 1));
      } else {
        topicArgs.push('--replica-assignment', topicOptions.replicas.map((nodes) => nodes.join(':')).join(','));
      }
      for (const [key, value] of Object.entries(topicOptions.config ?? {}))
        topicArgs.push('--config', `${key}=${value}`);
      await checked(cluster.tool('org.apache.kafka.tools.TopicCommand', topicArgs), `creating topic '${topic}'`);
    },
    leaders: async (topic) => new Map((await partitionsOf(topic)).map((p) => [p.partition, p.leader])),
    inSyncReplicas: async (topic) =>
      new Map((await partitionsOf(topic)).map((p) => [p.partition, p.isrs.map((r) => r.id)])),
  };
  return cluster;
}

function kcat(args: string[], timeoutMs = 60_000): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile('kcat', args, { maxBuffer: 1 << 30, timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

export interface RawMessage {
  partition: number;
  offset: number;
  key: string;
  /** The value exactly as stored (UTF-8). */
  value: string;
  timestamp: number;
  headers: Record<string, string>;
}

/** Everything in `topic` from the beginning, read by kcat until the end of every partition. */
export async function consumeAll(bootstrap: string, topic: string): Promise<RawMessage[]> {
  const result = await kcat([
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
    '%p\t%o\t%T\t%k\t%h\t%s\n',
  ]);
  if (result.code !== 0) throw new Error(`kcat could not read '${topic}': ${result.stderr}`);
  return result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [partition, offset, timestamp, key, headers, ...value] = line.split('\t');
      return {
        partition: Number(partition),
        offset: Number(offset),
        timestamp: Number(timestamp),
        key: key ?? '',
        headers: Object.fromEntries(
          (headers ?? '')
            .split(',')
            .filter((pair) => pair.includes('='))
            .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
        ),
        value: value.join('\t'),
      };
    });
}

/**
 * How many messages `topic` (or one of its partitions) holds, counting no further than `limit`:
 * 0 while the topic does not exist yet or no broker answers. To wait for a run to be mid-stream.
 */
export async function storedUpTo(bootstrap: string, topic: string, limit: number, partition?: number): Promise<number> {
  const args = ['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-c', String(limit)];
  if (partition !== undefined) args.push('-p', String(partition));
  const result = await kcat([...args, '-X', 'fetch.wait.max.ms=10', '-f', '.\n'], 10_000);
  return result.code === 0 ? result.stdout.split('\n').filter((line) => line !== '').length : 0;
}

/** Lines as a sorted list: a multiset to compare. */
export function multiset(lines: Iterable<string>): string[] {
  return [...lines].sort();
}
