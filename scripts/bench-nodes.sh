#!/usr/bin/env bash
# scripts/bench-nodes.sh [quick] — the data path between two nodes: two network namespaces joined by
# a veth pair, one JVM in each, 200-byte messages one way (throughput) and ping-pong (round-trip
# p50/p99/p99.9) on three paths: raw TCP, two defpi SDK processes in plain TCP, and two in TLS 1.3.
# Prints one table (benchmarks/README.md, "Between two nodes").
#
#   namespaces  defpi-bench-a (eth0 <net>.1/30) and defpi-bench-b (eth0 <net>.2/30), a veth pair made
#               inside them (never on the host), loopback up, no default route: nothing leaves the
#               link. <net> is DEFPI_BENCH_NODES_NET (three octets, default 10.214.0); the /30 must not
#               overlap an address or route of the machine. Left-overs of an earlier run are removed
#               first; everything is removed at the end, also on failure or Ctrl-C.
#   authority   one certificate authority for both nodes, made first into a temp dir (0700): each
#               JVM's in-process orchestrator issues its own process's certificate from it, so the
#               TLS data connection between the nodes is mutually authenticated as in a deployment.
#   node B      org.defpi.benchmarks.NodePeer: listens on every path and answers.
#   node A      org.defpi.benchmarks.NodesBench: connects, measures, prints.
#
# Builds what it runs first (./mvnw package of benchmarks and what it needs, no tests, no image; the
# JVMs run the worktree's own jars, not ~/.m2's), skipped when the sources are those of the last build
# here. About 2 minutes 10 s after the build; quick about 25 s (the build: 35-70 s on two shared cores).
# It measures, it does not gate: exit 0 whatever the numbers. Must run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: scripts/bench-nodes.sh [quick]" >&2; exit 2; }
(($# <= 1)) || usage
QUICK=
case ${1:-} in
  '') ;;
  quick) QUICK=quick ;;
  *) usage ;;
esac

readonly JDK=${DEFPI_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
readonly NET=${DEFPI_BENCH_NODES_NET:-10.214.0}
readonly NS_A=defpi-bench-a NS_B=defpi-bench-b
readonly ADDR_A=$NET.1 ADDR_B=$NET.2
readonly LOCK=/run/defpi-bench-nodes.lock
readonly PEER_LIFETIME_S=900 # node B exits by itself after this, whatever becomes of this script
JVM_OPTS=(-Xmx512m)

die() { echo "defpi bench nodes: $*" >&2; exit 1; }
log() { printf '[bench] %s\n' "$*" >&2; }

if ! [[ $NET =~ ^([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})$ ]] ||
  ((BASH_REMATCH[1] > 255 || BASH_REMATCH[2] > 255 || BASH_REMATCH[3] > 255)); then
  die "DEFPI_BENCH_NODES_NET must be three octets like 10.214.0, not '$NET'"
fi
((EUID == 0)) || die "must run as root (network namespaces)"
[[ -x $JDK/bin/java ]] || die "no JDK at $JDK (set DEFPI_JDK)"
command -v ip > /dev/null || die "ip is missing (apt-get install iproute2)"
# JMH is not used here, but protobuf reads through sun.misc.Unsafe, which JDK 23+ warns about at start
if [[ $("$JDK/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p') =~ ^[0-9]+$ ]] &&
  ((BASH_REMATCH[0] >= 23)); then
  JVM_OPTS+=(--sun-misc-unsafe-memory-access=allow)
fi

exec 9> "$LOCK"
flock -n 9 || die "another bench nodes run is going (lock $LOCK)"

# ---------------------------------------------------------------------------------------------
# clean-up: the namespaces' processes (the JVMs this script started, by pid), the namespaces (and
# with them the veth pair), the temp dir

RUN=
ns_exists() { [[ -e /run/netns/$1 ]]; }
ns_pids() { if ns_exists "$1"; then ip netns pids "$1" 2> /dev/null || true; fi; }
cleanup() {
  local ns pids pid
  for ns in "$NS_A" "$NS_B"; do
    pids=$(ns_pids "$ns")
    for pid in $pids; do kill -TERM "$pid" 2> /dev/null || true; done
  done
  for _ in $(seq 1 50); do
    [[ -z $(ns_pids "$NS_A")$(ns_pids "$NS_B") ]] && break
    sleep 0.1
  done
  for ns in "$NS_A" "$NS_B"; do
    pids=$(ns_pids "$ns")
    for pid in $pids; do kill -KILL "$pid" 2> /dev/null || true; done
    if ns_exists "$ns"; then ip netns del "$ns" || echo "defpi bench nodes: could not remove namespace $ns" >&2; fi
  done
  if [[ -n $RUN ]]; then rm -rf "$RUN"; fi
}
on_exit() { trap - EXIT INT TERM; cleanup; }
on_signal() { trap - EXIT INT TERM; echo >&2; log "interrupted: cleaning up"; cleanup; exit 130; }
trap on_exit EXIT
trap on_signal INT TERM

# ---------------------------------------------------------------------------------------------
# the link's /30 must be free on the machine (its addresses and routes, not the default route)

ip2int() {
  local IFS=.
  # shellcheck disable=SC2206
  local o=($1)
  echo $(((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]))
}
# overlaps CIDR: whether CIDR overlaps the link's <net>.0/30
overlaps() {
  local net=${1%/*} len=32 a mask lo hi mine
  [[ $1 == */* ]] && len=${1#*/}
  ((len == 0)) && return 0
  a=$(ip2int "$net")
  mask=$(((0xffffffff << (32 - len)) & 0xffffffff))
  lo=$((a & mask))
  hi=$((lo | (~mask & 0xffffffff)))
  mine=$(ip2int "$NET.0")
  ((lo <= mine + 3 && hi >= mine))
}
check_range() {
  local c hits=()
  while read -r c; do
    [[ -n $c && $c != default && $c != 0.0.0.0/0 ]] || continue
    overlaps "$c" && hits+=("$c")
  done < <({
    ip -4 -o addr show | awk '{ print $4 }'
    ip -4 route show table all | awk '$1 ~ /^[0-9]/ { print $1 }'
  } | sort -u)
  ((${#hits[@]} == 0)) || die "$NET.0/30 overlaps ${hits[*]} on this machine: set DEFPI_BENCH_NODES_NET (e.g. 10.215.0)"
}

make_link() {
  ip netns add "$NS_A"
  ip netns add "$NS_B"
  ip -n "$NS_A" link set lo up
  ip -n "$NS_B" link set lo up
  ip -n "$NS_A" link add eth0 type veth peer name eth0 netns "$NS_B"
  ip -n "$NS_A" addr add "$ADDR_A/30" dev eth0
  ip -n "$NS_B" addr add "$ADDR_B/30" dev eth0
  ip -n "$NS_A" link set eth0 up
  ip -n "$NS_B" link set eth0 up
}

# ---------------------------------------------------------------------------------------------

t0=$(date +%s)
cleanup # an earlier run's left-overs: under the lock, no other run is going
rm -rf /tmp/defpi-bench-nodes.*
check_range

RUN=$(mktemp -d /tmp/defpi-bench-nodes.XXXXXX) # 0700: the authority's key is in it
# package, not install: the JVMs run this worktree's jars (target/classpath.txt), and ~/.m2 is left alone.
# Skipped when what the build reads is as it was at the last build here and its jars are all there.
BUILD_INPUTS=(pom.xml .mvn wire sdk web orchestrator benchmarks)
STAMP=benchmarks/target/bench-nodes.stamp
source_stamp() {
  git rev-parse --is-inside-work-tree > /dev/null 2>&1 || { date +%s%N; return; } # not a clone: always build
  {
    git ls-tree HEAD -- "${BUILD_INPUTS[@]}"
    git diff HEAD --binary -- "${BUILD_INPUTS[@]}"
    git ls-files -o --exclude-standard -z -- "${BUILD_INPUTS[@]}" | xargs -0 -r sha256sum
  } | sha256sum | cut -c1-32
}
built_jars_there() {
  local entry entries
  [[ -f benchmarks/target/classpath.txt ]] || return 1
  IFS=: read -r -a entries < benchmarks/target/classpath.txt
  for entry in "${entries[@]}"; do [[ -e $entry ]] || return 1; done
}
stamp=$(source_stamp)
if [[ -f $STAMP && $(< "$STAMP") == "$stamp" ]] && built_jars_there; then
  log "build: up to date (the sources of the last build here)"
else
  log "building benchmarks and what it needs (no tests, no image)"
  if ! JAVA_HOME=$JDK bash ./mvnw -B -q -pl benchmarks -am package -DskipTests -Djib.skip=true \
    -Ddefpi.image.skip=true > "$RUN/build.log" 2>&1; then
    tail -n 20 "$RUN/build.log" >&2
    die "the build failed (run: ./mvnw -pl benchmarks -am package -DskipTests -Djib.skip=true)"
  fi
  built_jars_there || die "the build wrote no benchmarks/target/classpath.txt, or a jar it names is missing"
  echo "$stamp" > "$STAMP"
  log "built in $(($(date +%s) - t0)) s"
fi
CP=$PWD/benchmarks/target/classes:$(< benchmarks/target/classpath.txt)

t1=$(date +%s)
"$JDK/bin/java" "${JVM_OPTS[@]}" -cp "$CP" org.defpi.benchmarks.BenchAuthority "$RUN" ||
  die "could not make the certificate authority"
make_link
log "namespaces $NS_A ($ADDR_A/30) and $NS_B ($ADDR_B/30) joined by a veth pair"

ip netns exec "$NS_B" "$JDK/bin/java" "${JVM_OPTS[@]}" -cp "$CP" org.defpi.benchmarks.NodePeer \
  "$RUN" "$PEER_LIFETIME_S" > "$RUN/peer.log" 2>&1 &
peer=$!
for _ in $(seq 1 600); do
  [[ -e $RUN/peer.ready ]] && break
  kill -0 "$peer" 2> /dev/null || die "node B's JVM exited: $(tail -n 5 "$RUN/peer.log" | tr '\n' ' ')"
  sleep 0.1
done
[[ -e $RUN/peer.ready ]] || die "node B did not listen within 60 s: $(tail -n 5 "$RUN/peer.log" | tr '\n' ' ')"
log "node B listening after $(($(date +%s) - t1)) s"

ip netns exec "$NS_A" "$JDK/bin/java" "${JVM_OPTS[@]}" -cp "$CP" org.defpi.benchmarks.NodesBench \
  "peer=$ADDR_B" "dir=$RUN" "link=namespaces $NS_A -> $NS_B, a veth pair ($ADDR_A -> $ADDR_B/30)" ${QUICK:+quick} ||
  die "node A's bench failed$( [[ -s $RUN/peer.log ]] && echo "; node B said: $(tail -n 5 "$RUN/peer.log" | tr '\n' ' ')")"
log "done in $(($(date +%s) - t0)) s"
