/*
 * A Kafka-protocol test broker: librdkafka's mock cluster, hosted in a tiny process.
 *
 *   mock-broker [--partitions N] [topic ...]
 *
 * Listens on 127.0.0.1 (a port the OS picks), pre-creates the topics with N partitions (default 3;
 * others are auto-created on first use), prints "bootstrap.servers=127.0.0.1:PORT" on stdout, then:
 *   SIGUSR1 takes the broker down (connections refused/closed), SIGUSR2 brings it back on the
 *   same port, SIGTERM/SIGINT stop it. Limits of the mock: no CreateTopics/DeleteTopics API and
 *   5 MiB kept per partition.
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  int partitions = 3;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGUSR1);
  sigaddset(&signals, SIGUSR2);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  /* Block before librdkafka starts its threads, so only sigwait below receives these. */
  pthread_sigmask(SIG_BLOCK, &signals, NULL);

  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  if (rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
    fprintf(stderr, "mock-broker: %s\n", errstr);
    return 1;
  }
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!rk) {
    fprintf(stderr, "mock-broker: %s\n", errstr);
    return 1;
  }
  rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(rk, 1);
  if (!cluster) {
    fprintf(stderr, "mock-broker: could not create the mock cluster\n");
    return 1;
  }
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--partitions") == 0 && i + 1 < argc) {
      partitions = atoi(argv[++i]);
      continue;
    }
    rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(cluster, argv[i], partitions, 1);
    if (err) {
      fprintf(stderr, "mock-broker: topic %s: %s\n", argv[i], rd_kafka_err2str(err));
      return 1;
    }
  }
  printf("bootstrap.servers=%s\n", rd_kafka_mock_cluster_bootstraps(cluster));
  fflush(stdout);

  for (;;) {
    int received = 0;
    if (sigwait(&signals, &received) != 0) continue;
    if (received == SIGUSR1) {
      rd_kafka_mock_broker_set_down(cluster, 1);
      fprintf(stderr, "mock-broker: down\n");
    } else if (received == SIGUSR2) {
      rd_kafka_mock_broker_set_up(cluster, 1);
      fprintf(stderr, "mock-broker: up\n");
    } else {
      break;
    }
  }
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(rk);
  return 0;
}
