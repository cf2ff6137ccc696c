#!/usr/bin/env bash
# scripts/bench-control-plane.sh [NAME=VALUE...] — the control plane at scale, without Docker
# (docs/scaling.md): the orchestrator's own Wiring, managers and store over a seeded installation of
# 10 000 processes, 30 000 connections and 1 000 nodes, the Swarm and the registry simulated in the
# bench's JVM. One table: what, n, samples, p50, p99, max, throughput.
#
#   memory    the event bus to 1, 100 and 1 000 subscribers, the reconciler's and the node sync's
#             decisions, the traffic manager and its Prometheus meters, the registry catalog's refresh
#   h2        an H2 file in a temp dir: the API's list endpoints through the real routes over HTTP on
#             loopback (DEFPI_RECONCILE=off), traffic reports, GET /traffic and /metrics, 100 SSE
#             streams, the store reads of a reconciliation, a reconciliation pass, a node sync,
#             pending-change claims at growing queue depths
#   postgres  the same in a schema of its own (dropped after) when reachable: DEFPI_BENCH_PG (a JDBC
#             URL; user DEFPI_BENCH_PG_USER, defpi), else the test PostgreSQL on 127.0.0.1:54329
#             (scripts/postgres.sh up); skipped, and said so, when neither answers
#
# Arguments go to the bench (org.defpi.benchmarks.controlplane.ControlPlaneBench), e.g. processes=2000
# seconds=0.5 stores=h2. About three minutes on two cores, after the build (./mvnw install of the
# benchmarks and what they need, no tests, no image). It measures, it does not gate: exit 0 whatever
# the numbers. Needs no Docker, no registry and no network beyond loopback.
set -euo pipefail
cd "$(dirname "$0")/.."

JDK=${DEFPI_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
die() { echo "defpi bench control-plane: $*" >&2; exit 1; }
log() { printf '[bench] %s\n' "$*" >&2; }

[[ -x $JDK/bin/java ]] || die "no JDK at $JDK (set DEFPI_JDK)"
for arg in "$@"; do
  [[ $arg == *=* ]] || die "arguments are NAME=VALUE (e.g. processes=2000 stores=h2), not '$arg'"
done

t0=$(date +%s)
log "building the orchestrator and the benchmarks (no tests, no image)"
JAVA_HOME=$JDK bash ./mvnw -B -q -pl benchmarks -am install -DskipTests -Djib.skip=true -Ddefpi.image.skip=true \
  > /dev/null || die "the build failed (run: ./mvnw -pl benchmarks -am install -DskipTests -Djib.skip=true)"
log "built in $(($(date +%s) - t0)) s"

JAVA_HOME=$JDK bash ./mvnw -B -q -pl benchmarks exec:exec \
  -Dbench.main=org.defpi.benchmarks.controlplane.ControlPlaneBench -Dbench.args="$*" ||
  die "the bench failed"
log "done in $(($(date +%s) - t0)) s"
