#!/usr/bin/env bash
# scripts/cluster.sh — a test cluster of real Docker engines on this machine (ARCHITECTURE.md,
# "Test cluster"): one manager and N workers, each a dockerd in its own network namespace, joined
# into one Swarm. The machine's own dockerd, its swarm and its containers are never touched.
#
#   scripts/cluster.sh up [N]          start (or complete) the cluster with N workers (default 3, or
#                                      as many as it has); a healthy cluster is left as it is
#   scripts/cluster.sh status          one line per node: address, pid, socket, swarm node id, state
#                                      and availability as the manager sees them; exit 0 when all Ready
#   scripts/cluster.sh load IMAGE...   copy images from the machine's engine into every node
#                                      (docker save | docker load), skipped where a node has them
#   scripts/cluster.sh stop-node K [--kill]   stop node K's engine: SIGTERM (containers stopped), or
#                                      SIGKILL (its containers stay as orphans, like a crashed engine)
#   scripts/cluster.sh start-node K    start node K's engine again (same data: the same swarm node)
#   scripts/cluster.sh cut-link K      take node K's link to the bridge down (the engine keeps running)
#   scripts/cluster.sh heal-link K     bring it up again
#   scripts/cluster.sh down [--purge]  stop every engine (and orphaned shims and containers), remove
#                                      namespaces, veths and bridge; --purge also removes the data
#   scripts/cluster.sh publish K PORT [HOSTPORT]  make node K's 127.0.0.1:PORT answer on the machine's
#                                      127.0.0.1:HOSTPORT (default PORT): a forwarder, kept until
#                                      unpublish or down
#   scripts/cluster.sh unpublish HOSTPORT
#   scripts/cluster.sh env             the DOCKER_HOST line for the manager's API (eval-able)
#
# Nodes: K = 0 is the manager, 1..N the workers. Namespaces defpi-lan (the bridge) and
# defpi-nodeK; node K's address is <range>.0.(10+K), the bridge's <range>.0.1; no default route,
# so nothing leaves the test network. Engine K: socket /run/defpi/cluster/nodeK/docker.sock (the
# manager's is the API for the host: DOCKER_HOST=unix:///run/defpi/cluster/node0/docker.sock),
# exec root /run/defpi/cluster/nodeK/exec, data root /var/lib/defpi/cluster/nodeK/docker, log
# /var/lib/defpi/cluster/nodeK/dockerd.log, hostname defpi-nodeK. The registry: the machine's
# 127.0.0.1:5000 answers on each node's own 127.0.0.1:5000 (so images are named and pulled as on the
# machine) and on the bridge's <range>.0.1:5000 (for containers: the orchestrator), through socat
# forwarders over a unix socket (namespaces do not share loopback; unix sockets are files). Engines
# pull what they run from there; `up` pulls 127.0.0.1:5000/defpi/jre:25 into every node first (the
# layers every service image shares).
#
# Environment: DEFPI_CLUSTER_RANGE (first two octets of the /16 the cluster owns, default 10.213:
#              lan <range>.0.0/24, docker0 <range>.1.0/24, local pools <range>.16.0/20, overlays
#              <range>.128.0/17), DEFPI_CLUSTER_IMAGES (images `up` loads, space-separated; default
#              127.0.0.1:5000/defpi/jre:25), DEFPI_CLUSTER_HEARTBEAT (Swarm dispatcher heartbeat,
#              whole seconds, default 2s; Swarm's own is 5s), DEFPI_CLUSTER_TIMEOUT (s, 60), DEFPI_CLUSTER_KEEP=1 (a
#              failed `up` leaves what it made, for debugging).
set -euo pipefail
shopt -s nullglob

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly SELF="$SCRIPT_DIR/cluster.sh"

readonly RANGE=${DEFPI_CLUSTER_RANGE:-10.213}
[[ $RANGE =~ ^([0-9]{1,3})\.([0-9]{1,3})$ ]] && ((BASH_REMATCH[1] < 256 && BASH_REMATCH[2] < 256)) ||
  { echo "scripts/cluster.sh: DEFPI_CLUSTER_RANGE must be two octets like 10.213, not '$RANGE'" >&2; exit 2; }
readonly LAN_GW=$RANGE.0.1
readonly BIP=$RANGE.1.1/24
readonly LOCAL_POOL=$RANGE.16.0/20
readonly SWARM_POOL=$RANGE.128.0/17
readonly IMAGES=${DEFPI_CLUSTER_IMAGES:-127.0.0.1:5000/defpi/jre:25}
readonly HEARTBEAT=${DEFPI_CLUSTER_HEARTBEAT:-2s}
[[ $HEARTBEAT =~ ^([1-9][0-9]{0,2})s$ ]] ||
  { echo "scripts/cluster.sh: DEFPI_CLUSTER_HEARTBEAT must be whole seconds like 2s, not '$HEARTBEAT'" >&2; exit 2; }
readonly HEARTBEAT_NS=$((BASH_REMATCH[1] * 1000000000))
readonly TIMEOUT=${DEFPI_CLUSTER_TIMEOUT:-60}
readonly KEEP_ON_FAIL=${DEFPI_CLUSTER_KEEP:-0}

readonly LAN_NS=defpi-lan
readonly BRIDGE=defpi-br
readonly NODE_NS_PREFIX=defpi-node
readonly DATA=/var/lib/defpi/cluster
readonly RUN=/run/defpi/cluster
readonly LOCK=/run/lock/defpi-cluster.lock
readonly MAX_WORKERS=50
readonly HOST_SOCK=/var/run/docker.sock
readonly FWD=$RUN/forward
readonly REGISTRY_PORT=5000

case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin ;; esac
export PATH
unset DOCKER_CONTEXT DOCKER_HOST

# ---------------------------------------------------------------------------------------------
# output and small helpers (the conventions of scripts/env.sh)

STEP_COUNT=0
# shellcheck disable=SC2034 # read by lib/progress.sh
LOG_TAG=cluster STEP_WIDTH=8
# shellcheck source=lib/progress.sh
source "$SCRIPT_DIR/lib/progress.sh"
say() { printf '[cluster] %s\n' "$1"; }

ns_name() { echo "$NODE_NS_PREFIX$1"; }
node_addr() { echo "$RANGE.0.$((10 + $1))"; }
node_run() { echo "$RUN/node$1"; }
node_data() { echo "$DATA/node$1"; }
node_sock() { echo "$RUN/node$1/docker.sock"; }
node_pidfile() { echo "$RUN/node$1/docker.pid"; }
node_log() { echo "$DATA/node$1/dockerd.log"; }
veth_name() { echo "veth-node$1"; }
ns_exists() { [[ -e /run/netns/$1 ]]; }

# nd K ARGS...: the docker CLI against node K's engine
nd() {
  local k=$1
  shift
  DOCKER_HOST=unix://$(node_sock "$k") docker "$@" < /dev/null
}
node_ok() { [[ -S $(node_sock "$1") ]] && nd "$1" info --format '{{.ID}}' > /dev/null 2>&1; }
hd() { DOCKER_HOST=unix://$HOST_SOCK docker "$@" < /dev/null; }

# node_pid K: the live dockerd of node K, or nothing
node_pid() {
  local pid
  pid=$(pid_from "$(node_pidfile "$1")")
  if [[ -n $pid ]] && is_proc "$pid" dockerd; then echo "$pid"; fi
}

# the nodes there are (namespaces or run directories), in order
known_nodes() {
  local f k
  local -A seen=()
  for f in /run/netns/"$NODE_NS_PREFIX"* "$RUN"/node*; do
    k=${f##*node}
    [[ $k =~ ^[0-9]+$ && -z ${seen[$k]:-} ]] || continue
    seen[$k]=1
  done
  ((${#seen[@]})) || return 0
  printf '%s\n' "${!seen[@]}" | sort -n
}
workers_now() {
  local n
  n=$(pid_from "$RUN/workers")
  [[ -n $n ]] && echo "$n"
}

check_k() {
  [[ ${1:-} =~ ^[0-9]+$ ]] || die "node number expected (0 = manager, 1.. = workers), not '${1:-}'"
  ns_exists "$(ns_name "$1")" || die "node $1 does not exist (scripts/cluster.sh status; up)"
}

lock() {
  mkdir -p "${LOCK%/*}" 2> /dev/null || true
  exec 9> "$LOCK"
  flock -w 300 9 || die "another scripts/cluster.sh is still running after 300 s"
}

need_root() { ((EUID == 0)) || die "must run as root (network namespaces, dockerd)"; }

# ---------------------------------------------------------------------------------------------
# address range: nothing on the host may overlap <range>.0.0/16

ip2int() {
  local IFS=.
  # shellcheck disable=SC2206
  local o=($1)
  echo $(((o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3]))
}
# overlaps CIDR: whether CIDR overlaps our /16
overlaps() {
  local net=${1%/*} len=${1#*/}
  [[ $1 == */* ]] || len=32
  local a b lo hi mine_lo mine_hi
  a=$(ip2int "$net")
  ((len == 0)) && return 0
  b=$(((0xffffffff << (32 - len)) & 0xffffffff))
  lo=$((a & b))
  hi=$((lo | (~b & 0xffffffff)))
  mine_lo=$(ip2int "$RANGE.0.0")
  mine_hi=$((mine_lo | 0xffff))
  ((lo <= mine_hi && hi >= mine_lo))
}
check_range() {
  local c hits=()
  # the host's addresses and routes (not the default route) and the host engine's networks
  while read -r c; do
    [[ -n $c && $c != default && $c != 0.0.0.0/0 ]] || continue
    overlaps "$c" && hits+=("$c")
  done < <({
    ip -4 -o addr show | awk '{ print $4 }'
    ip -4 route show table all | awk '$1 ~ /^[0-9]/ { print $1 }'
    hd network ls -q 2> /dev/null | xargs -r docker -H "unix://$HOST_SOCK" network inspect \
      --format '{{range .IPAM.Config}}{{.Subnet}}{{"\n"}}{{end}}' 2> /dev/null | grep -E '^[0-9.]+/' || true
  } | sort -u)
  ((${#hits[@]} == 0)) || die "$RANGE.0.0/16 overlaps ${hits[*]} on this machine: set DEFPI_CLUSTER_RANGE (e.g. 10.214)"
}

# ---------------------------------------------------------------------------------------------
# network namespaces

ensure_lan() {
  local made=
  if ! ns_exists "$LAN_NS"; then ip netns add "$LAN_NS"; made=1; fi
  ip -n "$LAN_NS" link set lo up
  if ! ip -n "$LAN_NS" link show "$BRIDGE" > /dev/null 2>&1; then
    ip -n "$LAN_NS" link add "$BRIDGE" type bridge
    made=1
  fi
  ip -n "$LAN_NS" -4 addr show dev "$BRIDGE" | grep -q "inet $LAN_GW/24" ||
    ip -n "$LAN_NS" addr add "$LAN_GW/24" dev "$BRIDGE"
  ip -n "$LAN_NS" link set "$BRIDGE" up
  echo "${made:+made}"
}

# ensure_node_net K: namespace, veth pair (veth-nodeK on the bridge, eth0 in the node), address
ensure_node_net() {
  local k=$1 ns veth addr made=
  ns=$(ns_name "$k")
  veth=$(veth_name "$k")
  addr=$(node_addr "$k")
  if ! ns_exists "$ns"; then ip netns add "$ns"; made=1; fi
  ip -n "$ns" link set lo up
  if ! ip -n "$LAN_NS" link show "$veth" > /dev/null 2>&1 || ! ip -n "$ns" link show eth0 > /dev/null 2>&1; then
    # a half pair: remove both ends and make it again (made inside the namespaces: never on the host)
    ip -n "$LAN_NS" link del "$veth" > /dev/null 2>&1 || true
    ip -n "$ns" link del eth0 > /dev/null 2>&1 || true
    ip -n "$LAN_NS" link add "$veth" type veth peer name eth0 netns "$ns"
    made=1
  fi
  ip -n "$LAN_NS" link set "$veth" master "$BRIDGE"
  ip -n "$LAN_NS" link set "$veth" up
  ip -n "$ns" -4 addr show dev eth0 | grep -q "inet $addr/24" || ip -n "$ns" addr add "$addr/24" dev eth0
  ip -n "$ns" link set eth0 up
  echo "${made:+made}"
}

# ---------------------------------------------------------------------------------------------
# engines

write_config() {
  local k=$1 d
  d=$(node_data "$k")
  mkdir -p "$d/docker" "$(node_run "$k")"
  # deprecated-key-path: each engine its own key, so its own engine id; dns: an address of the
  # test network (nothing answers there; nothing outside it is reachable anyway)
  jq -n --arg key "$d/key.json" --arg dns "$LAN_GW" --arg bip "$BIP" --arg pool "$LOCAL_POOL" \
    --arg cg "/defpi-cluster-node$k" '{
      "deprecated-key-path": $key, dns: [$dns], bip: $bip, "cgroup-parent": $cg,
      "default-address-pools": [{base: $pool, size: 24}],
      "shutdown-timeout": 2, "log-driver": "json-file", "log-opts": {"max-size": "10m", "max-file": "2"}
    }' > "$d/daemon.json.new"
  mv -f "$d/daemon.json.new" "$d/daemon.json"
}

# clear_stale K: pidfiles of engines that are gone (dockerd would wait for a containerd it
# believes alive); orphans of a killed engine are left for its new containerd to reap
clear_stale() {
  local k=$1 r pid
  r=$(node_run "$k")
  if [[ -e $r/docker.pid && -z $(node_pid "$k") ]]; then rm -f "$r/docker.pid"; fi
  pid=$(pid_from "$r/exec/containerd/containerd.pid")
  if [[ -e $r/exec/containerd/containerd.pid ]] && ! is_proc "$pid" containerd; then
    rm -f "$r/exec/containerd/containerd.pid"
  fi
}

# launch K: start node K's dockerd in its namespace (own UTS and mount namespaces)
launch() {
  local k=$1 d r log
  d=$(node_data "$k")
  r=$(node_run "$k")
  log=$(node_log "$k")
  write_config "$k"
  clear_stale "$k"
  if [[ -f $log ]] && (($(stat -c %s "$log") > 20 * 1024 * 1024)); then mv -f "$log" "$log.1"; fi
  printf '\n==== %s scripts/cluster.sh starting node%s ====\n' "$(date -u +%FT%TZ)" "$k" >> "$log"
  # setsid: no signals from our terminal; 8>&- 9>&-: not our saved stderr (a CI pipe) nor our lock
  setsid nsenter --net="/run/netns/$(ns_name "$k")" \
    unshare --uts --mount --propagation slave \
    sh -c 'hostname "$1"; shift; exec "$@"' sh "$(ns_name "$k")" \
    dockerd -H "unix://$r/docker.sock" --pidfile "$r/docker.pid" --exec-root "$r/exec" \
    --data-root "$d/docker" --config-file "$d/daemon.json" \
    < /dev/null >> "$log" 2>&1 8>&- 9>&- &
}

# wait_engine K T0: until node K answers; dies with its log on failure
wait_engine() {
  local k=$1 deadline=$(($(now_us) + TIMEOUT * 1000000)) had_pid=
  until node_ok "$k"; do
    if [[ -n $(node_pid "$k") ]]; then had_pid=1; fi
    if [[ -n $had_pid && -z $(node_pid "$k") ]] || (($(now_us) > deadline)); then
      echo "---- last lines of $(node_log "$k") ----" >&2
      grep -v 'module=grpc' "$(node_log "$k")" | tail -n 20 >&2 || true
      [[ -n $(node_pid "$k") ]] && die "node$k's dockerd did not answer within $TIMEOUT s"
      die "node$k's dockerd exited during start-up (log $(node_log "$k"))"
    fi
    sleep 0.1
  done
}

# answers_within K SECONDS: whether node K's engine answers within that time
answers_within() {
  local k=$1 deadline=$(($(now_us) + $2 * 1000000))
  until node_ok "$k"; do
    (($(now_us) < deadline)) && [[ -n $(node_pid "$k") ]] || return 1
    sleep 0.2
  done
}

# procs_of K: pids of every process of node K's engine: dockerd, containerd, shims (by their
# exec root on the command line) and the processes in its namespace
procs_of() {
  local k=$1 r p cmd
  r=$(node_run "$k")
  for p in /proc/[0-9]*; do
    case $(< "$p/comm") in dockerd | containerd | containerd-shim* | runc | docker-proxy) ;; *) continue ;; esac 2> /dev/null
    cmd=$(tr '\0' ' ' < "$p/cmdline" 2> /dev/null) || continue
    [[ $cmd == *"$r/"* ]] && echo "${p#/proc/}"
  done
  ns_exists "$(ns_name "$k")" && ip netns pids "$(ns_name "$k")" 2> /dev/null || true
}
# children PID...: direct children (a shim's container init)
children() {
  local p stat ppid want=" $* "
  for p in /proc/[0-9]*; do
    { stat=$(< "$p/stat"); } 2> /dev/null || continue
    stat=${stat##*) }
    ppid=$(echo "$stat" | cut -d' ' -f2)
    [[ $want == *" $ppid "* ]] && echo "${p#/proc/}"
  done
}

# kill_all K: SIGKILL node K's engine, containerd, shims and their containers; waits until gone
kill_all() {
  local k=$1 pids kids tries=0
  while :; do
    mapfile -t pids < <(procs_of "$k" | sort -un)
    ((${#pids[@]})) || break
    mapfile -t kids < <(children "${pids[@]}")
    kill -KILL "${kids[@]}" "${pids[@]}" 2> /dev/null || true
    tries=$((tries + 1))
    ((tries < 100)) || die "node$k: processes ${pids[*]} do not go away"
    sleep 0.1
  done
  rm -f "$(node_pidfile "$k")" "$(node_sock "$k")"
}

# stop_engine K: SIGTERM and wait (dockerd stops its containers, shutdown-timeout 2 s)
stop_engine() {
  local k=$1 pid deadline
  pid=$(node_pid "$k")
  [[ -n $pid ]] || return 0
  kill -TERM "$pid"
  deadline=$(($(now_us) + 30 * 1000000))
  while is_proc "$pid" dockerd; do
    if (($(now_us) > deadline)); then
      note "node$k's dockerd (pid $pid) did not stop within 30 s after SIGTERM: SIGKILL"
      kill -KILL "$pid" 2> /dev/null || true
    fi
    sleep 0.1
  done
}

# ---------------------------------------------------------------------------------------------
# forwarders: socat processes carrying TCP between the machine and the namespaces over unix sockets
# (a file is reachable from every network namespace), each with a pidfile under $FWD

# forward NAME NS LISTEN CONNECT: start socat in namespace NS (- for the machine's) from LISTEN to
# CONNECT unless NAME runs already; echoes NAME when it started one
forward() {
  local name=$1 ns=$2 listen=$3 connect=$4 pidf=$FWD/$1.pid pid
  pid=$(pid_from "$pidf")
  [[ -n $pid ]] && is_proc "$pid" socat && return 0
  mkdir -p "$FWD"
  local pre=()
  [[ $ns == - ]] || pre=(nsenter "--net=/run/netns/$ns")
  # setsid: out of the caller's process group, so a test's Ctrl-C does not take the network with it;
  # not holding the lock (fd 9) or the saved stderr (fd 8), which would outlive this script
  setsid "${pre[@]}" socat "$listen" "$connect" < /dev/null > /dev/null 2>> "$FWD/$name.log" 8>&- 9>&- &
  echo $! > "$pidf"
  echo "$name"
}

# stop_forward NAME: stop it and wait until it is gone
stop_forward() {
  local pidf=$FWD/$1.pid pid
  pid=$(pid_from "$pidf")
  if [[ -n $pid ]] && is_proc "$pid" socat; then
    kill -TERM "$pid" 2> /dev/null || true
    while is_proc "$pid" socat; do sleep 0.05; done
  fi
  rm -f "$pidf" "$FWD/$1.sock"
}

# wait_sock PATH: until a unix socket is there (1 s at most)
wait_sock() {
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -S $1 ]] && return 0
    sleep 0.02
  done
  return 1
}

# answers NS HOST PORT: a TCP connect to HOST:PORT from namespace NS (- the machine's) succeeds
answers() {
  local pre=()
  [[ $1 == - ]] || pre=(nsenter "--net=/run/netns/$1")
  "${pre[@]}" timeout 2 bash -c 'exec 3<> "/dev/tcp/$1/$2"' _ "$2" "$3" 2> /dev/null
}

# ensure_registry K...: the machine's registry on each node's 127.0.0.1:5000 and on the bridge
ensure_registry() {
  local started=() k sock=$FWD/registry.sock r
  r=$(forward registry - "UNIX-LISTEN:$sock,fork,unlink-early,mode=600" "TCP:127.0.0.1:$REGISTRY_PORT")
  [[ -z $r ]] || started+=(machine)
  wait_sock "$sock" || die "the registry forwarder did not start ($FWD/registry.log)"
  r=$(forward registry-lan "$LAN_NS" "TCP-LISTEN:$REGISTRY_PORT,bind=$LAN_GW,reuseaddr,fork" "UNIX-CONNECT:$sock")
  [[ -z $r ]] || started+=(bridge)
  for k in "$@"; do
    r=$(forward "registry-node$k" "$(ns_name "$k")" "TCP-LISTEN:$REGISTRY_PORT,bind=127.0.0.1,reuseaddr,fork" "UNIX-CONNECT:$sock")
    [[ -z $r ]] || started+=("node$k")
  done
  # the whole path, from the last node: socat listening, the machine's registry answering
  local last=${*: -1} deadline=$(($(now_us) + 5 * 1000000))
  until answers "$(ns_name "$last")" 127.0.0.1 "$REGISTRY_PORT" &&
    nsenter "--net=/run/netns/$(ns_name "$last")" curl -sf --max-time 2 "http://127.0.0.1:$REGISTRY_PORT/v2/" > /dev/null; do
    (($(now_us) > deadline)) && die "the registry does not answer through the forwarders on node$last" \
      "is it up on the machine? (scripts/env.sh up; curl http://127.0.0.1:$REGISTRY_PORT/v2/)"
    sleep 0.1
  done
  if ((${#started[@]})); then echo "forwarders started (${started[*]})"; else echo "forwarders running"; fi
}

# ---------------------------------------------------------------------------------------------
# swarm

swarm_state() { nd "$1" info --format '{{.Swarm.LocalNodeState}}' 2> /dev/null || echo unknown; }
cluster_id() { nd "$1" info --format '{{if .Swarm.Cluster}}{{.Swarm.Cluster.ID}}{{end}}' 2> /dev/null || true; }
node_id() { nd "$1" info --format '{{.Swarm.NodeID}}' 2> /dev/null || true; }

swarm_init() {
  nd 0 swarm init --advertise-addr "$(node_addr 0)" --listen-addr "$(node_addr 0):2377" \
    --default-addr-pool "$SWARM_POOL" --default-addr-pool-mask-length 24 \
    --dispatcher-heartbeat "$HEARTBEAT" > /dev/null
}

# wait_state K STATE...: until node K's local swarm state is one of them (or the timeout)
wait_state() {
  local k=$1 s deadline=$(($(now_us) + 20 * 1000000))
  shift
  while :; do
    s=$(swarm_state "$k")
    [[ " $* " == *" $s "* ]] && return 0
    (($(now_us) > deadline)) && return 1
    sleep 0.2
  done
}

# ---------------------------------------------------------------------------------------------
# images

# pull_into IMAGE K...: each node pulls the image from the registry (through its forwarder), in
# parallel; a node that has it checks the registry's digest only
pull_into() {
  local image=$1 k t0 tmp rc=0 pids=()
  shift
  t0=$(now_us)
  tmp=$(mktemp -d /var/tmp/defpi-cluster-pull.XXXXXX)
  for k in "$@"; do
    nd "$k" pull -q "$image" > "$tmp/pull$k.out" 2>&1 &
    pids+=($!)
  done
  for k in "${!pids[@]}"; do wait "${pids[$k]}" || rc=1; done
  if ((rc)); then
    cat "$tmp"/pull*.out >&2
    rm -rf "$tmp"
    die "docker pull $image failed on a node (is it in the registry? scripts/env.sh up)"
  fi
  rm -rf "$tmp"
  echo "pulled by $# nodes in $(fmt_s $(($(now_us) - t0))) s"
}

# load_into IMAGE K...: docker save from the machine's engine into those nodes lacking it
load_into() {
  local image=$1 id k todo=() t0
  shift
  id=$(hd image inspect --format '{{.Id}}' "$image" 2> /dev/null) ||
    die "image $image is not in the machine's engine (scripts/env.sh up; or docker pull it there first)"
  for k in "$@"; do
    [[ $(nd "$k" image inspect --format '{{.Id}}' "$image" 2> /dev/null) == "$id" ]] || todo+=("$k")
  done
  if ((${#todo[@]} == 0)); then
    echo "present"
    return
  fi
  t0=$(now_us)
  local tmp
  tmp=$(mktemp -d /var/tmp/defpi-cluster-load.XXXXXX)
  # one save, then a load per node in parallel
  hd save -o "$tmp/image.tar" "$image" || { rm -rf "$tmp"; die "docker save $image failed"; }
  local pids=() rc=0
  for k in "${todo[@]}"; do
    DOCKER_HOST=unix://$(node_sock "$k") docker load -q -i "$tmp/image.tar" > "$tmp/load$k.out" 2>&1 &
    pids+=($!)
  done
  for k in "${!pids[@]}"; do wait "${pids[$k]}" || rc=1; done
  if ((rc)); then
    cat "$tmp"/load*.out >&2
    rm -rf "$tmp"
    die "docker load of $image failed on a node"
  fi
  rm -rf "$tmp"
  local names
  names=$(printf 'node%s,' "${todo[@]}")
  echo "loaded into ${names%,} in $(fmt_s $(($(now_us) - t0))) s"
}

# ---------------------------------------------------------------------------------------------
# commands

UP_DONE=0
on_up_exit() {
  local rc=$?
  ((UP_DONE || rc == 0)) && return
  trap - EXIT INT TERM
  if [[ $KEEP_ON_FAIL == 1 ]]; then
    echo "[cluster] up failed (exit $rc); DEFPI_CLUSTER_KEEP=1: leaving the half-made cluster" >&8
    return
  fi
  # to the saved stderr: the trap may run inside a function call whose output goes to /dev/null
  echo "[cluster] up failed or was interrupted (exit $rc): removing what there is (down)" >&8
  STEP_NAME=
  teardown > /dev/null 2>&1 || echo "[cluster] down after the failed up failed too: run scripts/cluster.sh down" >&8
}

cmd_up() {
  need_root
  local n=${1:-}
  if [[ -z $n ]]; then n=$(workers_now) || n=3; fi
  [[ $n =~ ^[0-9]+$ ]] && ((n >= 0 && n <= MAX_WORKERS)) || die "worker count must be 0..$MAX_WORKERS, not '$n'"
  lock
  local k nodes=() have
  for ((k = 0; k <= n; k++)); do nodes+=("$k"); done
  while read -r have; do
    [[ -n $have ]] && ((have > n)) &&
      die "the cluster has node$have, more than $n workers: scripts/cluster.sh down first (or up $have)"
  done < <(known_nodes)
  exec 8>&2
  STEP_COUNT=7

  step check
  local c
  for c in dockerd containerd docker ip nsenter unshare jq flock setsid socat curl; do
    command -v "$c" > /dev/null || die "$c is not installed (scripts/env.sh up installs docker.io)"
  done
  [[ -S $HOST_SOCK ]] && hd info --format '{{.ID}}' > /dev/null 2>&1 ||
    die "the machine's engine does not answer (scripts/env.sh up): images come from it"
  local was
  # the engines' swarm state holds their addresses: another range needs fresh data
  was=$(cat "$DATA/range" 2> /dev/null || true)
  [[ -z $was || $was == "$RANGE" ]] ||
    die "the cluster's data ($DATA) is of $was.0.0/16, not $RANGE.0.0/16: scripts/cluster.sh down --purge first"
  check_range
  local image
  for image in $IMAGES; do
    hd image inspect --format '{{.Id}}' "$image" > /dev/null 2>&1 ||
      die "image $image is not in the machine's engine (scripts/env.sh up; or docker pull it there)"
  done
  mkdir -p "$RUN" "$DATA"
  echo "$n" > "$RUN/workers"
  echo "$RANGE" > "$DATA/range"
  done_step "range $RANGE.0.0/16 free; manager + $n workers"

  # From here on a failure or an interrupt removes the cluster (checks above leave it alone)
  trap on_up_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  step network
  local made=0 r
  r=$(ensure_lan)
  [[ -z $r ]] || made=$((made + 1))
  for k in "${nodes[@]}"; do
    r=$(ensure_node_net "$k")
    [[ -z $r ]] || made=$((made + 1))
  done
  if ((made)); then done_step "$LAN_NS ($BRIDGE $LAN_GW), node0..node$n at $(node_addr 0)..$(node_addr "$n")"
  else done_step "present ($LAN_NS, node0..node$n)"; fi

  step engines
  # The manager first, and its swarm back (if it has one) before the workers start: workers that
  # come up before it find no gossip peer and stay out of the overlay networks' gossip for up to a
  # minute (libnetwork retries its bootstrap join every 60 s): their tasks then reach nobody.
  local started=() times=() k0
  for k0 in 0 workers; do
    local group=()
    if [[ $k0 == 0 ]]; then group=(0); else group=("${nodes[@]:1}"); fi
    local batch=()
    for k in "${group[@]}"; do
      node_ok "$k" && continue
      # alive but not answering: starting, or wedged; give it the timeout, then start afresh
      if [[ -n $(node_pid "$k") ]] && answers_within "$k" "$TIMEOUT"; then continue; fi
      kill_all "$k"
      launch "$k"
      batch+=("$k")
    done
    for k in "${batch[@]}"; do
      wait_engine "$k"
      times+=("node$k $(fmt_s $(($(now_us) - STEP_T0)))")
    done
    started+=("${batch[@]}")
    if [[ $k0 == 0 && ${#batch[@]} -gt 0 && $(swarm_state 0) == pending ]]; then
      wait_state 0 active error || die "node0's swarm did not become active within 20 s"
      times+=("(swarm $(fmt_s $(($(now_us) - STEP_T0))))")
    fi
  done
  if ((${#started[@]})); then done_step "started (answering after: ${times[*]} s)"
  else done_step "running (${#nodes[@]} engines)"; fi

  step registry
  r=$(ensure_registry "${nodes[@]}") || exit 1
  done_step "on each node's 127.0.0.1:$REGISTRY_PORT and $LAN_GW:$REGISTRY_PORT: $r"

  step swarm
  local what=() s cid wt
  s=$(swarm_state 0)
  if [[ $s == pending || $s == error ]]; then wait_state 0 active || true; s=$(swarm_state 0); fi
  if [[ $s != active ]]; then
    if [[ $s != inactive ]]; then
      note "manager's swarm is '$s': leaving it and starting a new one"
      nd 0 swarm leave --force > /dev/null 2>&1 || true
    fi
    local t0
    t0=$(now_us)
    swarm_init || die "docker swarm init on node0 failed"
    what+=("init $(fmt_s $(($(now_us) - t0))) s")
  fi
  [[ $(nd 0 info --format '{{.Swarm.ControlAvailable}}') == true ]] || die "node0 is not a swarm manager"
  cid=$(cluster_id 0)
  wt=$(nd 0 swarm join-token -q worker) || die "docker swarm join-token on node0 failed"
  local joined=()
  for k in "${nodes[@]:1}"; do
    s=$(swarm_state "$k")
    if [[ $s == pending ]]; then wait_state "$k" active inactive error || true; s=$(swarm_state "$k"); fi
    if [[ $s == active ]]; then
      # a member of this swarm if the manager knows its node id (Ready, or Down for a heartbeat
      # or two after a restart: step ready waits for it); unknown: it leaves and joins again
      local id
      id=$(node_id "$k")
      [[ -n $id ]] && nd 0 node inspect "$id" > /dev/null 2>&1 && continue
    fi
    if [[ $s != inactive ]]; then nd "$k" swarm leave --force > /dev/null 2>&1 || true; fi
    local t0
    t0=$(now_us)
    nd "$k" swarm join --token "$wt" --advertise-addr "$(node_addr "$k")" --listen-addr "$(node_addr "$k"):2377" \
      "$(node_addr 0):2377" > /dev/null || die "node$k could not join the swarm at $(node_addr 0):2377"
    joined+=("node$k $(fmt_s $(($(now_us) - t0)))")
  done
  ((${#joined[@]} == 0)) || what+=("joined ${joined[*]} s")
  # nodes the manager lists that are no engine of ours any more (the old entry of a worker that
  # left and joined again): removed, so node ls shows each node once
  local id host
  local -A live=()
  for k in "${nodes[@]}"; do live[$(node_id "$k")]=1; done
  while read -r id host; do
    [[ -n $id && -z ${live[$id]:-} ]] || continue
    nd 0 node rm --force "$id" > /dev/null 2>&1 && what+=("removed stale entry $id ($host)")
  done < <(nd 0 node ls --format '{{.ID}} {{.Hostname}}')
  # the heartbeat of an existing swarm follows the setting
  if [[ $(nd 0 info --format '{{.Swarm.Cluster.Spec.Dispatcher.HeartbeatPeriod}}') != "$HEARTBEAT_NS" ]]; then
    nd 0 swarm update --dispatcher-heartbeat "$HEARTBEAT" > /dev/null || die "docker swarm update --dispatcher-heartbeat $HEARTBEAT failed"
    what+=("heartbeat set to $HEARTBEAT")
  fi
  ((${#what[@]})) || what=("active, cluster ${cid:0:12}, heartbeat $HEARTBEAT")
  done_step "${what[*]}"

  step images
  local out=()
  for image in $IMAGES; do
    if [[ $image == "127.0.0.1:$REGISTRY_PORT/"* ]]; then
      r=$(pull_into "$image" "${nodes[@]}") || exit 1
    else
      r=$(load_into "$image" "${nodes[@]}") || exit 1
    fi
    out+=("$image $r")
  done
  done_step "${out[*]}"

  step ready
  local deadline=$(($(now_us) + TIMEOUT * 1000000)) notready
  while :; do
    notready=()
    for k in "${nodes[@]}"; do
      id=$(node_id "$k")
      state=$(nd 0 node inspect "$id" --format '{{.Status.State}}' 2> /dev/null || true)
      [[ $state == ready ]] || notready+=("node$k:${state:-?}")
    done
    ((${#notready[@]} == 0)) && break
    (($(now_us) > deadline)) && die "nodes not Ready after $TIMEOUT s: ${notready[*]}"
    sleep 0.2
  done
  for k in "${nodes[@]}"; do node_id "$k" > "$(node_data "$k")/node-id"; done
  done_step "all ${#nodes[@]} nodes Ready"
  UP_DONE=1
  trap - EXIT INT TERM
  printf '[cluster] up in %s s: manager DOCKER_HOST=unix://%s\n' "$(fmt_s $(($(now_us) - T_START)))" "$(node_sock 0)"
}

teardown() {
  local k nodes=() stopped=0
  mapfile -t nodes < <(known_nodes)
  # SIGTERM first (quick, containers stopped cleanly), then SIGKILL whatever is left, orphans too
  for k in "${nodes[@]}"; do
    [[ -n $k && -n $(node_pid "$k") ]] || continue
    kill -TERM "$(node_pid "$k")" 2> /dev/null || true
    stopped=$((stopped + 1))
  done
  local deadline=$(($(now_us) + 15 * 1000000)) alive
  while (($(now_us) < deadline)); do
    alive=0
    for k in "${nodes[@]}"; do [[ -n $k && -n $(node_pid "$k") ]] && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for k in "${nodes[@]}"; do [[ -n $k ]] && kill_all "$k"; done
  local f
  for f in "$FWD"/*.pid; do f=${f##*/}; stop_forward "${f%.pid}"; done
  local ns
  for ns in /run/netns/"$NODE_NS_PREFIX"* /run/netns/"$LAN_NS"; do
    [[ -e $ns ]] && ip netns del "${ns##*/}"
  done
  # a container mount left in the host's table (there should be none: engines have their own
  # mount namespaces)
  local m
  while read -r m; do umount -l "$m" 2> /dev/null || true; done < <(awk -v r="$RUN" -v d="$DATA" \
    'index($2, r) == 1 || index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r)
  rm -rf "$RUN"
  echo "$stopped ${#nodes[@]}"
}

cmd_down() {
  need_root
  local purge=
  case ${1:-} in
    --purge) purge=1 ;;
    '') ;;
    *) die "down takes only --purge, not '$1'" ;;
  esac
  lock
  STEP_COUNT=1
  step down
  local r
  r=$(teardown)
  if [[ -n $purge ]]; then
    rm -rf "$DATA"
    r+=" purged"
  fi
  set -- $r
  if (($2 == 0)) && [[ -z $purge ]]; then
    done_step "nothing to do (no cluster)"
  elif (($2 == 0)); then
    done_step "no cluster; data $DATA removed"
  else
    done_step "stopped $1 engines, removed ${2} nodes' namespaces and $LAN_NS${3:+; data $DATA removed}"
  fi
}

cmd_stop_node() {
  need_root
  local k=${1:-} how=term
  case ${2:-} in --kill) how="kill" ;; '') ;; *) die "stop-node K [--kill], not '$2'" ;; esac
  check_k "$k"
  lock
  local pid t0
  pid=$(node_pid "$k")
  if [[ -z $pid ]]; then
    say "node$k's engine is not running (nothing to do)"
    return
  fi
  t0=$(now_us)
  if [[ $how == kill ]]; then
    # a crash: dockerd and its containerd die; shims and containers stay as orphans
    local cpid
    cpid=$(pid_from "$(node_run "$k")/exec/containerd/containerd.pid")
    kill -KILL "$pid" 2> /dev/null || true
    [[ -n $cpid ]] && is_proc "$cpid" containerd && kill -KILL "$cpid" 2> /dev/null || true
    while is_proc "$pid" dockerd; do sleep 0.05; done
    say "node$k: dockerd (pid $pid) killed with SIGKILL; its containers run on as orphans until start-node $k or down"
  else
    stop_engine "$k"
    say "node$k: dockerd (pid $pid) stopped (SIGTERM) in $(fmt_s $(($(now_us) - t0))) s"
  fi
}

cmd_start_node() {
  need_root
  local k=${1:-}
  check_k "$k"
  lock
  if node_ok "$k"; then
    say "node$k's engine is running already (pid $(node_pid "$k"); nothing to do)"
    return
  fi
  local t0
  t0=$(now_us)
  if [[ -z $(node_pid "$k") ]]; then launch "$k"; fi
  wait_engine "$k"
  say "node$k: dockerd started (pid $(node_pid "$k")), answering after $(fmt_s $(($(now_us) - t0))) s; swarm $(swarm_state "$k")"
}

cmd_link() {
  need_root
  local k=${2:-} updown=$1
  check_k "$k"
  lock
  local veth cur
  veth=$(veth_name "$k")
  cur=$(ip -n "$LAN_NS" -o link show "$veth" 2> /dev/null) || die "no link $veth in $LAN_NS (scripts/cluster.sh up)"
  if [[ $updown == down && $cur != *,UP* && $cur != *'<UP'* ]]; then say "node$k's link is down already"; return; fi
  if [[ $updown == up && ($cur == *,UP* || $cur == *'<UP'*) ]]; then say "node$k's link is up already"; return; fi
  ip -n "$LAN_NS" link set "$veth" "$updown"
  if [[ $updown == down ]]; then say "node$k's link ($veth in $LAN_NS) cut"
  else say "node$k's link ($veth in $LAN_NS) up again"; fi
}

cmd_load() {
  need_root
  (($#)) || die "load IMAGE... (images of the machine's engine)"
  lock
  local nodes=() k image
  for k in $(known_nodes); do
    node_ok "$k" && nodes+=("$k") || say "node$k's engine is not running: skipped"
  done
  ((${#nodes[@]})) || die "no node is running (scripts/cluster.sh up)"
  local r
  for image in "$@"; do
    r=$(load_into "$image" "${nodes[@]}") || exit 1
    say "$image: $r"
  done
}

cmd_publish() {
  need_root
  local k=${1:-} port=${2:-} hostport=${3:-${2:-}}
  check_k "$k"
  [[ $port =~ ^[0-9]+$ && $hostport =~ ^[0-9]+$ ]] && ((port > 0 && port < 65536 && hostport > 0 && hostport < 65536)) ||
    die "publish K PORT [HOSTPORT]: ports are 1..65535"
  lock
  ns_exists "$(ns_name "$k")" || die "no node$k (scripts/cluster.sh up)"
  local name=publish-$hostport sock=$FWD/publish-$hostport.sock
  if [[ -r $FWD/$name.target && $(< "$FWD/$name.target") != "$k $port" ]]; then stop_forward "$name-node"; stop_forward "$name"; fi
  if [[ -z $(pid_from "$FWD/$name.pid") ]] && answers - 127.0.0.1 "$hostport"; then
    die "127.0.0.1:$hostport is in use on this machine"
  fi
  mkdir -p "$FWD"
  echo "$k $port" > "$FWD/$name.target"
  forward "$name-node" "$(ns_name "$k")" "UNIX-LISTEN:$sock,fork,unlink-early,mode=600" "TCP:127.0.0.1:$port" > /dev/null
  wait_sock "$sock" || die "the forwarder in node$k did not start ($FWD/$name-node.log)"
  forward "$name" - "TCP-LISTEN:$hostport,bind=127.0.0.1,reuseaddr,fork" "UNIX-CONNECT:$sock" > /dev/null
  local i
  for ((i = 0; i < 50; i++)); do answers - 127.0.0.1 "$hostport" && break; sleep 0.02; done
  say "node$k's 127.0.0.1:$port answers on 127.0.0.1:$hostport"
}

cmd_unpublish() {
  need_root
  local hostport=${1:-}
  [[ $hostport =~ ^[0-9]+$ ]] || die "unpublish HOSTPORT"
  lock
  stop_forward "publish-$hostport"
  stop_forward "publish-$hostport-node"
  rm -f "$FWD/publish-$hostport.target"
  say "127.0.0.1:$hostport no longer forwarded"
}

cmd_status() {
  local k nodes=() bad=0
  mapfile -t nodes < <(known_nodes)
  if ((${#nodes[@]} == 0)) || [[ -z ${nodes[0]} ]]; then
    echo "no cluster (scripts/cluster.sh up)"
    return 1
  fi
  local mgr_ok=
  node_ok 0 && mgr_ok=1
  printf '%-6s %-12s %-8s %-38s %-26s %-8s %s\n' NODE ADDRESS PID SOCKET SWARM-ID STATE AVAILABILITY
  for k in "${nodes[@]}"; do
    local pid id state avail link
    pid=$(node_pid "$k")
    id=
    [[ -n $pid ]] && id=$(node_id "$k")
    [[ -z $id && -r $(node_data "$k")/node-id ]] && id=$(< "$(node_data "$k")/node-id")
    [[ -n $id ]] && echo "$id" > "$(node_data "$k")/node-id" 2> /dev/null || true
    state='?' avail='?'
    if [[ -n $mgr_ok && -n $id ]]; then
      read -r state avail < <(nd 0 node inspect "$id" --format '{{.Status.State}} {{.Spec.Availability}}' 2> /dev/null || echo "unknown ?")
    fi
    link=$(ip -n "$LAN_NS" -o link show "$(veth_name "$k")" 2> /dev/null || true)
    [[ $link == *'<'*UP*'>'* || $link == *',UP'* ]] && link= || link=" (link cut)"
    [[ $state == ready && -n $pid && -z $link ]] || bad=1
    printf '%-6s %-12s %-8s %-38s %-26s %-8s %s\n' "node$k" "$(node_addr "$k")" "${pid:--}" "$(node_sock "$k")" \
      "${id:--}" "$state" "$avail$link"
  done
  [[ -n $mgr_ok ]] || echo "(the manager's engine does not answer: states unknown)"
  return "$bad"
}

usage() { sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$SELF"; }

main() {
  local cmd=${1:-help}
  (($#)) && shift
  case $cmd in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status ;;
    load) cmd_load "$@" ;;
    stop-node) cmd_stop_node "$@" ;;
    start-node) cmd_start_node "$@" ;;
    cut-link) cmd_link down "$@" ;;
    heal-link) cmd_link up "$@" ;;
    publish) cmd_publish "$@" ;;
    unpublish) cmd_unpublish "$@" ;;
    env) echo "export DOCKER_HOST=unix://$(node_sock 0)" ;;
    help | -h | --help) usage ;;
    *)
      echo "scripts/cluster.sh: unknown command '$cmd' (up, status, load, stop-node, start-node, cut-link, heal-link, publish, unpublish, down, env, help)" >&2
      exit 2
      ;;
  esac
}

main "$@"
