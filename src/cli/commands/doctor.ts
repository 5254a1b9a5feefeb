/** `churn-datagen doctor`: what this installation can do, in particular whether Kafka works. */
import type { Command } from 'commander';
import { kafkaSupport, missingClient } from '../../sinks/kafka.ts';
import type { CliIo } from '../io.ts';
import { exitCodes } from '../io.ts';

export function registerDoctor(
  program: Command,
  io: CliIo,
  setExitCode: (code: number) => void,
  version: string,
): void {
  program
    .command('doctor')
    .summary('check this installation: version, Node.js, Kafka support')
    .description(
      'Print the version, the Node.js version and whether Kafka output is available (the optional native client loads) and, if not, why. Exits 1 when Kafka support is missing; files and stdout (--output) work without it.',
    )
    .action(async () => {
      const kafka = await kafkaSupport();
      const kafkaLine = kafka.available
        ? `available (@confluentinc/kafka-javascript ${kafka.clientVersion}, librdkafka ${kafka.librdkafkaVersion})`
        : `not available: Kafka output needs ${missingClient(kafka.reason)}; files and stdout (--output FILE|-) work without it`;
      io.stdout.write(`churn-datagen ${version}\nNode.js ${process.version}\nKafka support: ${kafkaLine}\n`);
      setExitCode(kafka.available ? exitCodes.ok : exitCodes.failure);
    });
}
