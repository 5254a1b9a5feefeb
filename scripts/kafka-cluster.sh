#!/usr/bin/env bash
# Apache Kafka in KRaft mode (combined broker+controller nodes) on 127.0.0.1, from Maven Central's
# jars on Java 17, for the tests and benchmarks. Needs java (17+) and mvn.
#
#   scripts/kafka-cluster.sh install                 fetch the jars (cached by test/kafka-cluster/pom.xml's checksum)
#   scripts/kafka-cluster.sh start [options]         format and start a cluster in the background; prints
#                                                    bootstrap.servers=…, internal.servers=…, dir=…
#       --nodes N               nodes (default 1; replication factors follow, at most 3)
#       --controllers K         the first K nodes are also the KRaft controllers (default: all), the rest
#                               brokers only: with 1, every broker but node 1 can die without losing the quorum
#       --dir DIR               state folder: data, logs, PIDs (default .kafka-cluster)
#       --listener NAME:PROTO   an extra listener (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL); the first
#                               one is bootstrap.servers, its addresses also as listener.NAME=…
#       --set KEY=VALUE         a broker setting for every node (overrides the defaults)
#       --format-arg ARG        passed to StorageTool format (e.g. --add-scram …)
#   scripts/kafka-cluster.sh kill [DIR] NODE         kill -9 one node
#   scripts/kafka-cluster.sh restart [DIR] NODE      start a node again: same ports, same data
#   scripts/kafka-cluster.sh stop [DIR]              stop the cluster's own processes, by PID
#   scripts/kafka-cluster.sh tool [DIR] CLASS ARG…   run one of Kafka's Java tools with its classpath
#
# KAFKA_TEST_JVM_OPTS: the JVMs' options (default -Xmx512m).
# Every node also listens on INTERNAL (PLAINTEXT, internal.servers): inter-broker traffic and the
# tests' own consumers use it, whatever the other listeners require.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pom="$root/test/kafka-cluster/pom.xml"
log4j="$root/test/kafka-cluster/log4j2.xml"
# Outside node_modules, which `npm ci` removes: CI and later sessions reuse the jars.
cache="${CHURN_DATAGEN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/churn-datagen}/kafka-$(sha256sum "$pom" | cut -c1-16)"
read -r -a jvm_options <<<"${KAFKA_TEST_JVM_OPTS:--Xmx512m}"

die() { echo "kafka-cluster: $*" >&2; exit 1; }

install() {
  if [ -f "$cache/complete" ]; then return; fi
  command -v java >/dev/null || die "java not found: the real-Kafka tests need Java 17+ (apt-get install openjdk-17-jre-headless)"
  command -v mvn >/dev/null || die "mvn not found: the real-Kafka tests fetch Kafka's jars with Maven (apt-get install maven)"
  rm -rf "$cache.tmp"
  mvn -q -B -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$cache.tmp/lib" >&2 ||
    die "mvn could not fetch Kafka's jars (see above)"
  touch "$cache.tmp/complete"
  rm -rf "$cache"
  mv "$cache.tmp" "$cache"
}

run_java() {
  command -v java >/dev/null || die "java not found: the real-Kafka tests need Java 17+"
  java "${jvm_options[@]}" -Djava.awt.headless=true "-Dlog4j2.configurationFile=$log4j" -cp "$cache/lib/*" "$@"
}

# N free TCP ports on 127.0.0.1, space-separated (held open together so they differ).
free_ports() {
  node -e '
    const net = require("node:net");
    const servers = Array.from({ length: Number(process.argv[1]) }, () => net.createServer());
    Promise.all(servers.map((s) => new Promise((r) => s.listen(0, "127.0.0.1", () => r(s.address().port)))))
      .then((ports) => { console.log(ports.join(" ")); servers.forEach((s) => s.close()); });
  ' "$1"
}

# Kafka's cluster id: 16 random bytes, base64url without padding.
cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [ "${id:0:1}" != "-" ] && { echo "$id"; return; }
  done
}

# Waits until node NODE's INTERNAL listener answers a metadata request listing at least WANT brokers.
wait_serving() {
  local dir="$1" node="$2" want="$3" address pid
  address="127.0.0.1:$(cat "$dir/node-$node/internal.port")"
  pid="$(cat "$dir/node-$node/pid")"
  for _ in $(seq 600); do
    kill -0 "$pid" 2>/dev/null || die "node $node exited; its log: $dir/node-$node/log
$(tail -n 20 "$dir/node-$node/log")"
    if kcat -b "$address" -L -m 2 2>/dev/null | grep -Eq "^ *([0-9]+) brokers:" &&
      [ "$(kcat -b "$address" -L -m 2 2>/dev/null | sed -nE 's/^ *([0-9]+) brokers:.*/\1/p')" -ge "$want" ]; then
      return
    fi
    sleep 0.2
  done
  die "node $node did not serve metadata within 120 s; its log: $dir/node-$node/log"
}

launch() {
  local dir="$1" node="$2"
  bash "$0" java kafka.Kafka "$dir/node-$node/server.properties" >"$dir/node-$node/log" 2>&1 </dev/null &
  echo $! >"$dir/node-$node/pid"
}

start() {
  local nodes=1 controllers="" dir="$root/.kafka-cluster" listeners=() sets=() format_args=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --nodes) nodes="$2"; shift 2 ;;
      --controllers) controllers="$2"; shift 2 ;;
      --dir) dir="$2"; shift 2 ;;
      --listener) listeners+=("$2"); shift 2 ;;
      --set) sets+=("$2"); shift 2 ;;
      --format-arg) format_args+=("$2"); shift 2 ;;
      *) die "unknown option '$1'" ;;
    esac
  done
  [[ "$nodes" =~ ^[1-9]$ ]] || die "--nodes must be 1 to 9, got '$nodes'"
  controllers="${controllers:-$nodes}"
  [[ "$controllers" =~ ^[1-9]$ ]] && [ "$controllers" -le "$nodes" ] || die "--controllers must be 1 to $nodes, got '$controllers'"
  install
  command -v java >/dev/null || die "java not found: the real-Kafka tests need Java 17+ (apt-get install openjdk-17-jre-headless)"
  command -v kcat >/dev/null || die "kcat not found: the harness checks that the nodes serve metadata with it (apt-get install kcat)"
  [ -f "$dir/cluster.env" ] && die "$dir already holds a cluster (stop it first: $0 stop $dir)"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  local per_node=$((2 + ${#listeners[@]})) ports rf=$((nodes < 3 ? nodes : 3)) voters="" id
  read -r -a ports <<<"$(free_ports $((nodes * per_node)))"
  for ((n = 1; n <= controllers; n++)); do
    voters+="${voters:+,}$n@127.0.0.1:${ports[(n - 1) * per_node]}"
  done
  id="$(cluster_id)"
  local bootstrap="" internal="" extra_out=()
  for ((n = 1; n <= nodes; n++)); do
    local base=$(((n - 1) * per_node)) node_dir="$dir/node-$n"
    local controller="${ports[base]}" plain="${ports[base + 1]}"
    local listen="CONTROLLER://127.0.0.1:$controller,INTERNAL://127.0.0.1:$plain" roles="broker,controller"
    if [ "$n" -gt "$controllers" ]; then listen="INTERNAL://127.0.0.1:$plain" roles="broker"; fi
    local advertised="INTERNAL://127.0.0.1:$plain" map="CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT"
    for ((l = 0; l < ${#listeners[@]}; l++)); do
      local name="${listeners[l]%%:*}" proto="${listeners[l]#*:}" port="${ports[base + 2 + l]}"
      listen+=",$name://127.0.0.1:$port"
      advertised+=",$name://127.0.0.1:$port"
      map+=",$name:$proto"
      extra_out[l]="${extra_out[l]:-}${extra_out[l]:+,}127.0.0.1:$port"
    done
    internal+="${internal:+,}127.0.0.1:$plain"
    mkdir -p "$node_dir"
    echo "$plain" >"$node_dir/internal.port"
    {
      echo "process.roles=$roles"
      echo "node.id=$n"
      echo "controller.quorum.voters=$voters"
      echo "controller.listener.names=CONTROLLER"
      echo "listeners=$listen"
      echo "advertised.listeners=$advertised"
      echo "listener.security.protocol.map=$map"
      echo "inter.broker.listener.name=INTERNAL"
      echo "log.dirs=$node_dir/data"
      echo "num.partitions=3"
      echo "default.replication.factor=$rf"
      echo "offsets.topic.replication.factor=$rf"
      echo "transaction.state.log.replication.factor=$rf"
      echo "transaction.state.log.min.isr=1"
      echo "min.insync.replicas=1"
      echo "group.initial.rebalance.delay.ms=0"
      echo "auto.create.topics.enable=true"
      # Messages carry their event time, which --start puts months or years in the past: time-based
      # retention would delete them within minutes of the broker's first retention check.
      echo "log.retention.ms=-1"
      for s in "${sets[@]}"; do echo "$s"; done
    } >"$node_dir/server.properties"
  done
  for ((l = 0; l < ${#listeners[@]}; l++)); do
    [ -z "$bootstrap" ] && bootstrap="${extra_out[l]}"
    extra_out[l]="listener.${listeners[l]%%:*}=${extra_out[l]}"
  done
  [ -z "$bootstrap" ] && bootstrap="$internal"
  {
    echo "nodes=$nodes"
    echo "bootstrap.servers=$bootstrap"
    echo "internal.servers=$internal"
    for line in "${extra_out[@]}"; do echo "$line"; done
  } >"$dir/cluster.env"

  for ((n = 1; n <= nodes; n++)); do
    run_java kafka.tools.StorageTool format -t "$id" -c "$dir/node-$n/server.properties" \
      "${format_args[@]}" >"$dir/node-$n/format.log" 2>&1 &
  done
  local failed=0
  for job in $(jobs -p); do wait "$job" || failed=1; done
  [ "$failed" = 0 ] || die "StorageTool format failed: $(cat "$dir"/node-*/format.log)"
  for ((n = 1; n <= nodes; n++)); do launch "$dir" "$n"; done
  for ((n = 1; n <= nodes; n++)); do wait_serving "$dir" "$n" "$nodes"; done
  cat "$dir/cluster.env"
  echo "dir=$dir"
}

# [DIR] then the rest: DIR is optional where the default folder is meant.
node_pid() { cat "$1/node-$2/pid" 2>/dev/null || die "no node $2 in $1"; }

stop() {
  local dir="$1" pids=()
  for file in "$dir"/node-*/pid; do
    [ -f "$file" ] || continue
    pids+=("$(cat "$file")")
    kill "$(cat "$file")" 2>/dev/null || true
  done
  # A controlled shutdown takes a few seconds; past 20 s the node is killed.
  for _ in $(seq 100); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.2
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -f "$dir"/node-*/pid "$dir/cluster.env"
}

command="${1:-}"
[ $# -gt 0 ] && shift
default_dir="$root/.kafka-cluster"
case "$command" in
  install) install; echo "$cache/lib" ;;
  start) start "$@" ;;
  kill)
    if [ $# -ge 2 ]; then dir="$1"; shift; else dir="$default_dir"; fi
    kill -9 "$(node_pid "$dir" "$1")" 2>/dev/null || true ;;
  restart)
    if [ $# -ge 2 ]; then dir="$1"; shift; else dir="$default_dir"; fi
    launch "$dir" "$1"
    wait_serving "$dir" "$1" 1 ;;
  stop) stop "${1:-$default_dir}" ;;
  tool)
    if [ -d "${1:-}" ]; then shift; fi
    install
    run_java "$@" ;;
  java) exec java "${jvm_options[@]}" -Djava.awt.headless=true "-Dlog4j2.configurationFile=$log4j" -cp "$cache/lib/*" "$@" ;;
  *) sed -n '2,23p' "$0" >&2; exit 2 ;;
esac
