#!/usr/bin/env bash
# scripts/test/cluster-test.sh — self-test of scripts/cluster.sh (the multi-node test cluster).
#
#   scripts/test/cluster-test.sh
#
# up 3 (and up again: nothing to do); all 4 nodes Ready on the manager; a global Swarm service
# (endpoint mode dnsrr, the JRE base image, --no-resolve-image) on an attachable unencrypted
# overlay runs a task on each node, and each task reaches the next node's task with busybox nc;
# stop-node 2 (SIGTERM) -> Down, start-node 2 -> Ready; the same with --kill; cut-link 3 -> Down,
# heal-link 3 -> Ready; then node 1 killed and `down`: no namespace, veth, bridge, dockerd,
# containerd, shim or container process of the cluster is left. Prints the times it measured.
# Leaves the machine without a cluster (its trap runs `down` also when a check fails).
#
# Environment: DEFPI_CLUSTER_TEST_TIMEOUT (s, per wait; 90).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CLUSTER=$ROOT/scripts/cluster.sh
readonly IMAGE=127.0.0.1:5000/defpi/jre:25
readonly SVC=defpi-ct-echo
readonly NET=defpi-ct-net
readonly WAIT=${DEFPI_CLUSTER_TEST_TIMEOUT:-90}
export DOCKER_HOST=unix:///run/defpi/cluster/node0/docker.sock
unset DOCKER_CONTEXT

now_us() { local t=${EPOCHREALTIME/./}; echo "$((10#$t))"; }
fmt_s() { printf '%d.%02d' $(($1 / 1000000)) $((($1 % 1000000) / 10000)); }
T_START=$(now_us)
TIMES=()

log() { printf '[cluster-test] %s\n' "$1"; }
fail() {
  printf '[cluster-test] FAIL: %s\n' "$1" >&2
  exit 1
}
ok() { printf '[cluster-test] ok   %s\n' "$1"; }
timing() { TIMES+=("$(printf '%-62s %6s s' "$1" "$2")"); ok "$1: $2 s"; }
nd() {
  local k=$1
  shift
  DOCKER_HOST=unix:///run/defpi/cluster/node$k/docker.sock docker "$@" < /dev/null
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  docker service rm "$SVC" > /dev/null 2>&1 || true
  docker network rm "$NET" > /dev/null 2>&1 || true
  if ! bash "$CLUSTER" down > /dev/null 2>&1; then echo "[cluster-test] down failed in cleanup" >&2; rc=1; fi
  if ((rc)); then echo "[cluster-test] FAILED (exit $rc) after $(fmt_s $(($(now_us) - T_START))) s; cluster removed" >&2; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# node_state K: as the manager sees node K (ready, down, unknown)
node_state() { docker node inspect "defpi-node$1" --format '{{.Status.State}}' 2> /dev/null || echo '?'; }
# wait_node K STATE [T0]: seconds from T0 (default now) until the manager shows it, as 12.34
wait_node() {
  local k=$1 want=$2 t0=${3:-$(now_us)} deadline
  deadline=$((t0 + WAIT * 1000000))
  until [[ $(node_state "$k") == "$want" ]]; do
    (($(now_us) < deadline)) || fail "node$k not $want within $WAIT s (it is $(node_state "$k"))"
    sleep 0.1
  done
  fmt_s $(($(now_us) - t0))
}
# running_on: the nodes with a running task of the service, sorted
running_on() {
  docker service ps "$SVC" --filter desired-state=running --format '{{.Node}} {{.CurrentState}}' 2> /dev/null |
    awk '$2 == "Running" { print $1 }' | sort -u | tr '\n' ' '
}
# task_container K: the id of the service's running container on node K
task_container() { nd "$1" ps -q --filter "label=com.docker.swarm.service.name=$SVC" --filter status=running | head -n 1; }

# ---------------------------------------------------------------------------------------------
log "1. up 3 (from $(if ip netns list | grep -q defpi-; then echo "a cluster that is there"; else echo "nothing"; fi))"
t0=$(now_us)
bash "$CLUSTER" up 3
timing "up 3" "$(fmt_s $(($(now_us) - t0)))"
t0=$(now_us)
out=$(bash "$CLUSTER" up 3)
echo "$out"
grep -q 'engines  running (4 engines)' <<< "$out" || fail "second up was not a no-op"
timing "up again (healthy: nothing done)" "$(fmt_s $(($(now_us) - t0)))"

# ---------------------------------------------------------------------------------------------
log "2. all 4 nodes Ready"
docker node ls
ready=$(docker node ls --format '{{.Hostname}} {{.Status}}' | awk '$2 == "Ready"' | wc -l)
((ready == 4)) || fail "$ready of 4 nodes Ready"
for k in 0 1 2 3; do [[ $(node_state "$k") == ready ]] || fail "node$k is $(node_state "$k")"; done
ok "4 nodes Ready (defpi-node0 manager, defpi-node1..3 workers)"

# ---------------------------------------------------------------------------------------------
log "3. global service ($IMAGE, dnsrr) on attachable overlay $NET"
docker service rm "$SVC" > /dev/null 2>&1 || true
for _ in $(seq 50); do docker network rm "$NET" > /dev/null 2>&1 || true; docker network inspect "$NET" > /dev/null 2>&1 || break; sleep 0.2; done
docker network create -d overlay --attachable "$NET" > /dev/null
t0=$(now_us)
# each task answers "pong from <its node>" on 7000, one connection after another
docker service create -d --name "$SVC" --mode global --endpoint-mode dnsrr --no-resolve-image \
  --network "$NET" --hostname '{{.Node.Hostname}}' --restart-delay 1s --stop-grace-period 1s \
  "$IMAGE" sh -c 'while :; do echo "pong from $(hostname)" | nc -l -p 7000; done' > /dev/null
deadline=$(($(now_us) + WAIT * 1000000))
until [[ $(running_on) == "defpi-node0 defpi-node1 defpi-node2 defpi-node3 " ]]; do
  (($(now_us) < deadline)) || { docker service ps --no-trunc "$SVC" >&2; fail "service not running on all 4 nodes (on: $(running_on))"; }
  sleep 0.1
done
timing "global service: a task running on all 4 nodes" "$(fmt_s $(($(now_us) - t0)))"

# reach_ring: each node's task reaches the next node's task on 7000 (retried until WAIT)
declare -A ip cid
reach_ring() {
  local k next got deadline=$(($(now_us) + WAIT * 1000000))
  for k in 0 1 2 3; do
    cid[$k]=$(task_container "$k")
    [[ -n ${cid[$k]} ]] || fail "no running container of $SVC on node$k"
    ip[$k]=$(nd "$k" inspect "${cid[$k]}" --format "{{(index .NetworkSettings.Networks \"$NET\").IPAddress}}")
  done
  for k in 0 1 2 3; do
    next=$(((k + 1) % 4))
    while :; do
      got=$(nd "$k" exec "${cid[$k]}" sh -c "nc -w 2 ${ip[$next]} 7000 < /dev/null" 2> /dev/null || true)
      [[ $got == "pong from defpi-node$next" ]] && break
      (($(now_us) < deadline)) || fail "node$k's task did not reach node$next's task at ${ip[$next]}:7000 within $WAIT s (got '$got')"
      sleep 0.5
    done
    ok "node$k's task -> node$next's task (${ip[$next]}) over $NET: '$got'"
  done
}
t0=$(now_us)
reach_ring
names=$(nd 1 exec "${cid[1]}" nslookup "tasks.$SVC" 2> /dev/null | grep -c '^Address.*: [0-9]' || true)
ok "tasks.$SVC resolves on node1 to $names addresses (embedded DNS, dnsrr)"
timing "overlay: 4 cross-node connections" "$(fmt_s $(($(now_us) - t0)))"

# ---------------------------------------------------------------------------------------------
log "4. stop-node 2 (SIGTERM) -> Down; start-node 2 -> Ready"
t0=$(now_us)
bash "$CLUSTER" stop-node 2
timing "stop-node 2 (SIGTERM) returns" "$(fmt_s $(($(now_us) - t0)))"
timing "node2 Down after SIGTERM (from stop-node's start)" "$(wait_node 2 down "$t0")"
t0=$(now_us)
bash "$CLUSTER" start-node 2
timing "start-node 2: engine answering" "$(fmt_s $(($(now_us) - t0)))"
timing "node2 Ready after start-node (from its start)" "$(wait_node 2 ready "$t0")"
out=$(bash "$CLUSTER" start-node 2)
[[ $out == *"nothing to do"* ]] || fail "start-node on a running node did something: $out"
ok "start-node on a running node: $out"

log "5. stop-node 2 --kill (SIGKILL) -> Down; start-node 2 -> Ready"
wait_node 2 ready > /dev/null
# its task back on node2 first, so the kill leaves a container behind
t0=$(now_us)
deadline=$(($(now_us) + WAIT * 1000000))
until [[ $(running_on) == *defpi-node2* ]]; do
  (($(now_us) < deadline)) || fail "the service's task did not come back on node2 within $WAIT s"
  sleep 0.2
done
timing "task running on node2 again (from node2 Ready)" "$(fmt_s $(($(now_us) - t0)))"
t0=$(now_us)
bash "$CLUSTER" stop-node 2 --kill
orphans=$({ grep -l '/defpi-cluster-node2/' /proc/[0-9]*/cgroup 2> /dev/null || true; } | wc -l)
log "node2 killed: $orphans processes left in its containers' cgroups (orphans)"
timing "node2 Down after SIGKILL" "$(wait_node 2 down "$t0")"
out=$(bash "$CLUSTER" stop-node 2 --kill)
[[ $out == *"not running"* ]] || fail "stop-node on a stopped node: $out"
t0=$(now_us)
bash "$CLUSTER" start-node 2
timing "start-node 2 after SIGKILL: engine answering" "$(fmt_s $(($(now_us) - t0)))"
timing "node2 Ready after start-node (after SIGKILL, from its start)" "$(wait_node 2 ready "$t0")"

# ---------------------------------------------------------------------------------------------
log "6. cut-link 3 -> Down; heal-link 3 -> Ready"
t0=$(now_us)
bash "$CLUSTER" cut-link 3
bash "$CLUSTER" cut-link 3
timing "node3 Down after its link was cut" "$(wait_node 3 down "$t0")"
bash "$CLUSTER" status || true
t0=$(now_us)
bash "$CLUSTER" heal-link 3
bash "$CLUSTER" heal-link 3
timing "node3 Ready after heal-link" "$(wait_node 3 ready "$t0")"
t0=$(now_us)
deadline=$(($(now_us) + WAIT * 1000000))
until [[ $(running_on) == "defpi-node0 defpi-node1 defpi-node2 defpi-node3 " ]]; do
  (($(now_us) < deadline)) || fail "service after the outages runs on: $(running_on) (not all 4 within $WAIT s)"
  sleep 0.5
done
timing "global service back on all 4 nodes (after heal)" "$(fmt_s $(($(now_us) - t0)))"
bash "$CLUSTER" status || fail "status: not every node ready"
t0=$(now_us)
reach_ring
timing "overlay after the outages: 4 cross-node connections" "$(fmt_s $(($(now_us) - t0)))"

# ---------------------------------------------------------------------------------------------
log "7. node1 killed, then down: nothing of the cluster left"
docker service rm "$SVC" > /dev/null
bash "$CLUSTER" stop-node 1 --kill
t0=$(now_us)
bash "$CLUSTER" down
timing "down (one node killed)" "$(fmt_s $(($(now_us) - t0)))"
out=$(bash "$CLUSTER" down)
[[ $out == *"nothing to do"* ]] || fail "second down did something: $out"
left=$(ip netns list | grep -E '^defpi-' || true)
[[ -z $left ]] || fail "namespaces left: $left"
left=$(ip -o link show | grep -E 'defpi-br|veth-node' || true)
[[ -z $left ]] || fail "links left on the host: $left"
left=$(pgrep -a -f '/run/defpi/cluster/' || true)
[[ -z $left ]] || fail "processes left: $left"
# (zombies excepted: this machine's init reaps orphans lazily, a dead engine may show as one briefly)
left=$(ps -eo pid=,stat=,comm=,args= | awk '$2 !~ /^Z/ && $3 ~ /^(dockerd|containerd)/' |
  grep -v -e ' --pidfile /var/run/docker.pid$' -e '/var/run/docker/containerd/' || true)
[[ -z $left ]] || fail "engines left besides the machine's own: $left"
left=
for f in $(grep -l '/defpi-cluster-node' /proc/[0-9]*/cgroup 2> /dev/null || true); do
  stat=$(< "${f%/cgroup}/stat") 2> /dev/null || continue
  stat=${stat##*) }
  [[ $stat == [ZX]* ]] || left+="${f%/cgroup} ($(< "${f%/cgroup}/comm")) "
done
[[ -z $left ]] || fail "container processes left: $left"
left=$(grep -E '/run/defpi/cluster|/var/lib/defpi/cluster' /proc/self/mounts || true)
[[ -z $left ]] || fail "mounts left: $left"
ok "no namespace, veth, bridge, engine, shim, container process or mount of the cluster left"

trap - EXIT
log "passed in $(fmt_s $(($(now_us) - T_START))) s; times:"
printf '[cluster-test]   %s\n' "${TIMES[@]}"
