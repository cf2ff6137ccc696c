#!/usr/bin/env bash
# The energy demo: a house with PV, a battery and a household load (with an electric car) behind
# one grid connection, an energy manager (CEM) that keeps the grid within its import and export
# limits by steering the battery, and a dashboard that plots it live. Every part is a service built
# with the defpi SDK; the demo deploys them as a demo user's processes through the REST API.
#
#   ./defpi demo [OPTIONS]   set up what is missing, build, start the orchestrator, deploy, print
#                            where to look. Safe to re-run: a running demo is left as it is.
#       --speed S            simulated seconds per second (720: a day in two minutes)
#       --seed N             the random seed of clouds and household noise (42)
#       --start ISO          the simulated day's start (2026-06-21T00:00:00Z, midsummer)
#       --dashboard-port P   the host port of the dashboard (8090)
#       --skip-build         use the images in the registry as they are (or DEFPI_DEMO_BUILD=skip)
#       --restart            deploy afresh even when the demo is running (a new day from the start)
#       --nodes N            on a test cluster of this machine (scripts/cluster.sh): a manager and N
#                            workers, each a Docker engine of its own (N >= 2). node1 is the demo
#                            user's home gateway (private: PV, household, battery, grid meter), the
#                            others a public pool (energy manager, dashboard); the orchestrator runs
#                            on the manager, its API at 127.0.0.1:8485
#   ./defpi demo down [--purge] [--nodes]
#                            remove the demo's processes and its user, then the orchestrator
#                            (--purge: also the orchestrator's data; see scripts/orchestrator.sh);
#                            --nodes: the test cluster's demo, and then the cluster itself
#
# What it leaves running after `down`: the Docker engine, the swarm and the registry with its
# images (`./defpi env` made them; the tests use them too).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export JAVA_HOME=${JAVA_HOME:-${DEFPI_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}}

# --nodes N anywhere: the demo on the test cluster (its own API, passwords and dashboard forwarder)
nodes=0
args=()
while (($#)); do
  if [[ $1 == --nodes ]]; then
    if [[ ${2:-} =~ ^[0-9]+$ ]]; then nodes=$2; shift 2; else nodes=-1; shift; fi
  else
    args+=("$1")
    shift
  fi
done
set -- "${args[@]+"${args[@]}"}"
if ((nodes != 0)); then
  API=http://127.0.0.1:${DEFPI_CLUSTER_API_PORT:-8485}
  ADMIN_PASSWORD_FILE=${DEFPI_PASSWORD_FILE:-/var/lib/defpi/cluster/admin-password}
  DEMO_PASSWORD_FILE=/var/lib/defpi/cluster/demo-password
  CLUSTER_FLAG=(--cluster)
else
  API=http://127.0.0.1:8484
  ADMIN_PASSWORD_FILE=${DEFPI_PASSWORD_FILE:-/var/lib/defpi/admin-password}
  DEMO_PASSWORD_FILE=/var/lib/defpi/demo-password
  CLUSTER_FLAG=()
fi
DEMO_USER=demo
POOL=local
REGISTRY=127.0.0.1:5000
STATE_DIR=$ROOT/.defpi
BUILD_STAMP=$STATE_DIR/demo-build-stamp
SERVICES=(pv-resource-manager household-load battery-resource-manager grid-meter energy-manager energy-dashboard)

speed=720 seed=42 start=2026-06-21T00:00:00Z dashboard_port=8090 skip_build=false restart=false
# DEFPI_DEMO_BUILD=skip is --skip-build for scripts that built already (the tutorial's test)
[[ ${DEFPI_DEMO_BUILD:-} == skip ]] && skip_build=true
import_limit=5000 export_limit=4000

started=$SECONDS
STEPS=7
step_no=0
step() { # step TEXT: a numbered progress line with the time since the start
  step_no=$((step_no + 1))
  printf '\n[%d/%d] %s  (%ds)\n' "$step_no" "$STEPS" "$*" $((SECONDS - started))
}
say() { printf '      %s\n' "$*"; }
die() { printf 'defpi demo: %s\n' "$*" >&2; exit 1; }

# --- the REST API ------------------------------------------------------------------------------
# api USER PASSWORD_FILE METHOD PATH [JSON] -> the body, a newline, the HTTP status
api_as() {
  local user=$1 password_file=$2 method=$3 path=$4 body=${5:-}
  curl -sS -K- -X "$method" -H 'Content-Type: application/json' ${body:+--data "$body"} \
    -w '\n%{http_code}' "$API$path" <<<"user = \"$user:$(cat "$password_file")\""
}
admin() { api_as admin "$ADMIN_PASSWORD_FILE" "$@"; }
demo() { api_as "$DEMO_USER" "$DEMO_PASSWORD_FILE" "$@"; }

# expect STATUSES RESPONSE: prints the body if the status is one of STATUSES (like 200|202), else
# fails with the API's reason
expect() {
  local want=$1 response=$2 status body
  status=${response##*$'\n'}
  body=${response%$'\n'*}
  if ! [[ $status =~ ^($want)$ ]]; then
    local reason
    reason=$(jq -r '.detail // .title // empty' <<<"$body" 2>/dev/null || true)
    die "the orchestrator answered $status: ${reason:-$body}"
  fi
  printf '%s' "$body"
}

demo_user_id() { expect 200 "$(admin GET "/user?name=$DEMO_USER")" | jq -r '.[0].id // empty'; }

# The demo's processes (id name state), read as the admin so it works without the demo's password.
demo_processes() { # demo_processes USER_ID
  expect 200 "$(admin GET "/process?userId=$1&limit=1000")" |
    jq -r '.[] | select(.name | startswith("demo-")) | "\(.id) \(.name) \(.state)"'
}

remove_demo_processes() { # remove_demo_processes USER_ID
  local id name state pids=()
  while read -r id name state; do
    [[ -n $id ]] || continue
    (expect '204|202' "$(admin DELETE "/process/$id")" >/dev/null && say "removed $name") &
    pids+=($!)
  done < <(demo_processes "$1")
  local pid
  for pid in "${pids[@]}"; do wait "$pid" || die "could not remove every demo process"; done
}

if [[ ${1:-} == down ]]; then
  shift
  STEPS=2
  ((nodes == 0)) || STEPS=3
  if curl -sf "$API/health" >/dev/null 2>&1 && [[ -r $ADMIN_PASSWORD_FILE ]]; then
    step "Removing the demo's processes and its user"
    user_id=$(demo_user_id)
    if [[ -n $user_id ]]; then
      remove_demo_processes "$user_id"
      for ((i = 0; i < 120; i++)); do # a removal answered 202 finishes in the background
        [[ -z $(demo_processes "$user_id") ]] && break
        sleep 0.5
      done
      if ((nodes)); then # its home gateway goes back to unidentified: a user owning a node cannot be deleted
        while read -r gateway; do
          [[ -n $gateway ]] || continue
          expect 200 "$(admin PUT "/node/$gateway" '{"kind":"unidentified"}')" >/dev/null
          say "node $gateway is unidentified again"
        done < <(expect 200 "$(admin GET "/node?limit=1000")" | jq -r --arg u "$user_id" '.[] | select(.userId == $u) | .id')
      fi
      expect 204 "$(admin DELETE "/user/$user_id")" >/dev/null
      say "removed user $DEMO_USER"
    else
      say "no demo user"
    fi
  else
    step "The orchestrator is not running: no processes to remove"
  fi
  rm -f "$DEMO_PASSWORD_FILE"
  step "Removing the orchestrator"
  scripts/orchestrator.sh down "$@" "${CLUSTER_FLAG[@]+"${CLUSTER_FLAG[@]}"}" 2>&1 | sed -u -E 's/^\[orchestrator\] /      /'
  if ((nodes != 0)); then
    step "Removing the test cluster"
    [[ -r /run/defpi/cluster/forward/dashboard-port ]] &&
      scripts/cluster.sh unpublish "$(cat /run/defpi/cluster/forward/dashboard-port)" >/dev/null 2>&1 || true
    scripts/cluster.sh down 2>&1 | sed -u -E 's/^\[cluster\] /      /'
  fi
  printf '\nDone in %ds. Left running: the Docker engine, the swarm, the registry (./defpi env status).\n' \
    $((SECONDS - started))
  exit 0
fi

while (($#)); do
  case $1 in
    --speed) speed=${2:?--speed needs a value}; shift 2 ;;
    --seed) seed=${2:?--seed needs a value}; shift 2 ;;
    --start) start=${2:?--start needs a value}; shift 2 ;;
    --dashboard-port) dashboard_port=${2:?--dashboard-port needs a value}; shift 2 ;;
    --skip-build) skip_build=true; shift ;;
    --restart) restart=true; shift ;;
    -h | --help) sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    *) die "unknown option '$1' (see ./defpi demo --help)" ;;
  esac
done
[[ $speed =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "--speed takes a positive number, like 720"
[[ $seed =~ ^-?[0-9]+$ ]] || die "--seed takes a whole number, like 42"
[[ $dashboard_port =~ ^[0-9]+$ ]] && ((dashboard_port > 0 && dashboard_port < 65536)) ||
  die "--dashboard-port takes a port number, like 8090"
date -d "$start" >/dev/null 2>&1 || die "--start takes an ISO-8601 time, like 2026-06-21T00:00:00Z"
((nodes == 0 || nodes >= 2)) || die "--nodes takes the number of workers, 2 or more (a home gateway and a pool)"

# --- 1 environment -------------------------------------------------------------------------------
step "Environment: Docker engine, swarm, registry, base image"
command -v jq >/dev/null || { say "installing jq"; apt-get install -y -q jq >/dev/null; }
# Their own progress lines, indented under the step.
DEFPI_POSTGRES=0 scripts/env.sh up 2>&1 | sed -u -E 's/^\[env\] /      /' || die "the environment could not be set up (above)"
if ((nodes)); then
  say "the test cluster: a manager and $nodes workers"
  scripts/cluster.sh up "$nodes" 2>&1 | sed -u -E 's/^\[cluster\] /      /' || die "the test cluster could not be started (above)"
fi

# --- 2 build ---------------------------------------------------------------------------------------
# The build is skipped when the sources are those of the last demo build and the images are still
# in the registry: that is what makes a second start fast.
# What the build reads: the poms and the modules the demo's images come from (docs, scripts and
# tests elsewhere do not make it build again).
BUILD_INPUTS=(pom.xml .mvn wire sdk maven-plugin examples web orchestrator cli)
source_stamp() {
  git rev-parse --is-inside-work-tree >/dev/null 2>&1 || { date +%s%N; return; } # not a clone: always build
  {
    git ls-tree HEAD -- "${BUILD_INPUTS[@]}"
    git diff HEAD --binary -- "${BUILD_INPUTS[@]}"
    git ls-files -o --exclude-standard -z -- "${BUILD_INPUTS[@]}" | xargs -0 -r sha256sum
  } | sha256sum | cut -c1-32
}
image_present() { # image_present REPOSITORY TAG
  curl -sf -o /dev/null -H 'Accept: application/vnd.oci.image.index.v1+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY/v2/$1/manifests/$2"
}
images_present() {
  image_present defpi/orchestrator latest || return 1
  local s
  for s in "${SERVICES[@]}"; do image_present "services/$s" latest || return 1; done
}

stamp=$(source_stamp)
if $skip_build; then
  step "Build: skipped (--skip-build)"
  images_present || die "an image is missing from the registry; run without --skip-build"
elif [[ -f $BUILD_STAMP && $(cat "$BUILD_STAMP") == "$stamp" ]] && images_present; then
  step "Build: up to date (the sources and images of the last demo build)"
else
  step "Build: the platform and the demo's services (images go to $REGISTRY; a few minutes the first time)"
  mkdir -p "$STATE_DIR"
  build_log=$STATE_DIR/demo-build.log
  modules=orchestrator,cli$(printf ',examples/%s' "${SERVICES[@]}")
  # Maven's module lines as progress; the whole log is kept for when it fails.
  if ! bash ./mvnw -B --no-transfer-progress install -DskipTests -pl "$modules" -am 2>&1 | tee "$build_log" |
    sed -un -E 's/^\[INFO\] Building (.*[^ ]) +\[([0-9]+\/[0-9]+)\]$/      \2 \1/p'; then
    tail -40 "$build_log" >&2
    die "the build failed (the whole log: $build_log)"
  fi
  echo "$stamp" >"$BUILD_STAMP"
fi

# --- 3 orchestrator ----------------------------------------------------------------------------------
step "Orchestrator: $API"
scripts/orchestrator.sh up "${CLUSTER_FLAG[@]+"${CLUSTER_FLAG[@]}"}" 2>&1 |
  sed -u -E '/^\[orchestrator\] (ready|log in)/d; s/^\[orchestrator\] /      /' || die "the orchestrator did not start (above)"

# --- 4 node and user ---------------------------------------------------------------------------------
# public NODE_ID: the node public in pool $POOL (made if missing)
public() {
  [[ $(expect 200 "$(admin GET "/node/$1")" | jq -r .kind) == public ]] && return
  [[ -n ${pool:-} ]] || pool=$(expect 200 "$(admin GET "/nodepool?name=$POOL")" | jq -r '.[0].id // empty')
  [[ -n $pool ]] || pool=$(expect 201 "$(admin POST /nodepool "{\"name\":\"$POOL\"}")" | jq -r .id)
  expect 200 "$(admin PUT "/node/$1" "{\"kind\":\"public\",\"poolId\":\"$pool\"}")" >/dev/null
}
cluster_node() { cat "/var/lib/defpi/cluster/node$1/node-id"; }
if ((nodes)); then
  step "The demo user; node1 its home gateway, node2..node$nodes public in pool '$POOL'"
else
  step "This machine's node public in pool '$POOL'; the demo user"
  node=$(docker info --format '{{.Swarm.NodeID}}' </dev/null)
  public "$node"
  say "node $node is public"
fi

# The demo user's password is generated once, kept root-only, and printed at the end of every run.
new_password() { head -c 18 /dev/urandom | base64 | tr '+/' '-_' | tr -d '\n='; }
user_id=$(demo_user_id)
if [[ -z $user_id || ! -s $DEMO_PASSWORD_FILE ]]; then
  # Kept beside the admin's (the directory's mode is left alone: the tests' PostgreSQL lives there
  # too); put in place only once the orchestrator took it, so the file never holds a wrong one.
  mkdir -p "$(dirname "$DEMO_PASSWORD_FILE")"
  password_tmp=$(umask 077 && mktemp "$DEMO_PASSWORD_FILE.XXXXXX")
  trap 'rm -f "$password_tmp"' EXIT
  new_password >"$password_tmp"
  password_json=$(jq -Rn --rawfile p "$password_tmp" '$p | rtrimstr("\n")')
  if [[ -z $user_id ]]; then
    user_id=$(expect 201 "$(admin POST /user "{\"name\":\"$DEMO_USER\",\"password\":$password_json}")" | jq -r .id)
    say "made user $DEMO_USER"
  else
    expect 200 "$(admin PUT "/user/$user_id" "{\"password\":$password_json}")" >/dev/null
    say "gave user $DEMO_USER a new password"
  fi
  mv -f "$password_tmp" "$DEMO_PASSWORD_FILE"
else
  say "user $DEMO_USER exists"
fi
if ((nodes)); then
  gateway=$(cluster_node 1)
  if [[ $(expect 200 "$(admin GET "/node/$gateway")" | jq -r '.userId // empty') != "$user_id" ]]; then
    expect 200 "$(admin PUT "/node/$gateway" "{\"kind\":\"private\",\"userId\":\"$user_id\"}")" >/dev/null
  fi
  say "node1 ($gateway) is $DEMO_USER's home gateway"
  for ((k = 2; k <= nodes; k++)); do public "$(cluster_node "$k")"; done
  pool=${pool:-$(expect 200 "$(admin GET "/nodepool?name=$POOL")" | jq -r '.[0].id')}
  say "node2..node$nodes are public in pool '$POOL'"
  home=",\"nodeId\":\"$gateway\""
  shared=",\"nodePoolId\":\"$pool\""
else
  home=''
  shared=''
fi

# --- 5 processes -----------------------------------------------------------------------------------
# name service configuration(JSON object) [extra JSON members]
HOLD=2100-01-01T00:00:00Z # the clocks hold at the day's start until everything is wired
sim="\"simulationStart\":\"$start\",\"speed\":\"$speed\",\"seed\":\"$seed\""
limits="\"importLimitWatts\":\"$import_limit\",\"exportLimitWatts\":\"$export_limit\""
PROCESSES=(
  "demo-pv|pv-resource-manager|{$sim,\"wallClockStart\":\"$HOLD\"}|$home"
  "demo-load|household-load|{$sim,\"wallClockStart\":\"$HOLD\"}|$home"
  "demo-battery|battery-resource-manager|{$sim,\"wallClockStart\":\"$HOLD\"}|$home"
  "demo-grid|grid-meter|{\"speed\":\"$speed\"}|$home"
  "demo-cem|energy-manager|{$limits}|$shared"
  "demo-dashboard|energy-dashboard|{$limits,\"title\":\"defpi energy demo\"}|,\"ports\":[{\"target\":8080,\"published\":$dashboard_port}]$shared"
)
CONNECTIONS=(
  "demo-pv:pv-resource-manager/observations demo-grid:grid-meter/resource-observations"
  "demo-load:household-load/observations demo-grid:grid-meter/resource-observations"
  "demo-battery:battery-resource-manager/observations demo-grid:grid-meter/resource-observations"
  "demo-grid:grid-meter/observations demo-cem:energy-manager/observations"
  "demo-pv:pv-resource-manager/observations demo-cem:energy-manager/observations"
  "demo-load:household-load/observations demo-cem:energy-manager/observations"
  "demo-battery:battery-resource-manager/frbc-control demo-cem:energy-manager/frbc-control"
  "demo-pv:pv-resource-manager/observations demo-dashboard:energy-dashboard/observations"
  "demo-load:household-load/observations demo-dashboard:energy-dashboard/observations"
  "demo-battery:battery-resource-manager/observations demo-dashboard:energy-dashboard/observations"
  "demo-grid:grid-meter/observations demo-dashboard:energy-dashboard/observations"
)

declare -A ids=()
running_demo() { # true when every demo process runs and every connection is ACTIVE
  local id name state n=0
  while read -r id name state; do
    [[ -n $id ]] || continue
    [[ $state == RUNNING ]] || return 1
    ids[$name]=$id
    n=$((n + 1))
  done < <(demo_processes "$user_id")
  ((n == ${#PROCESSES[@]})) || return 1
  local active
  active=$(expect 200 "$(admin GET "/connection?userId=$user_id&state=ACTIVE&limit=1000")" | jq length)
  ((active == ${#CONNECTIONS[@]}))
}

work=$(mktemp -d)
trap 'rm -rf "$work" "${password_tmp:-}"' EXIT

if ! $restart && running_demo; then
  step "The demo's ${#PROCESSES[@]} processes are running already (./defpi demo --restart starts a new day)"
  step "Its ${#CONNECTIONS[@]} connections are active"
else
  step "Deploying ${#PROCESSES[@]} processes as user $DEMO_USER"
  remove_demo_processes "$user_id"
  ids=()
  pids=()
  for p in "${PROCESSES[@]}"; do
    IFS='|' read -r name service config extra <<<"$p"
    (
      body="{\"serviceId\":\"$service\",\"name\":\"$name\",\"configuration\":$config$extra}"
      expect 201 "$(demo POST /process "$body")" | jq -r .id >"$work/$name"
    ) &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || die "a process could not be created (above)"; done
  for p in "${PROCESSES[@]}"; do
    name=${p%%|*}
    ids[$name]=$(cat "$work/$name")
  done
  # Each process RUNNING (the API answered 201 once its container was asked for; it configures itself)
  for name in "${!ids[@]}"; do
    id=${ids[$name]}
    for ((i = 0; i < 240; i++)); do
      state=$(expect 200 "$(demo GET "/process/$id")" | jq -r .state)
      [[ $state == RUNNING ]] && break
      [[ $state == FAILED ]] && die "process $name failed: $(expect 200 "$(demo GET "/process/$id")" | jq -r '.reason // "see ./defpi logs '"$id"'"')"
      sleep 0.25
    done
    [[ $state == RUNNING ]] || die "process $name is still $state after a minute"
    say "$name  ${ids[$name]}  RUNNING"
  done

  step "Wiring ${#CONNECTIONS[@]} connections, then starting the clocks"
  pids=()
  for c in "${CONNECTIONS[@]}"; do
    read -r end1 end2 <<<"$c"
    body=$(jq -cn --arg p1 "${ids[${end1%%:*}]}" --arg i1 "${end1#*:}" --arg p2 "${ids[${end2%%:*}]}" --arg i2 "${end2#*:}" \
      '{endpoint1:{processId:$p1,interfaceId:$i1},endpoint2:{processId:$p2,interfaceId:$i2}}')
    (expect 201 "$(demo POST /connection "$body")" >/dev/null && say "${end1%%:*} -> ${end2%%:*}") &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || die "a connection could not be made (above)"; done
  for ((i = 0; i < 120; i++)); do
    active=$(expect 200 "$(demo GET "/connection?state=ACTIVE&limit=1000")" | jq length)
    ((active == ${#CONNECTIONS[@]})) && break
    sleep 0.25
  done
  ((active == ${#CONNECTIONS[@]})) || die "only $active of ${#CONNECTIONS[@]} connections are ACTIVE after 30 s"
  # One wall-clock start for every simulated clock, a moment from now, so they run in step.
  clock=$(date -u -d '+2 seconds' +%Y-%m-%dT%H:%M:%SZ)
  pids=()
  for name in demo-pv demo-load demo-battery; do # the grid meter and the energy manager follow their clocks
    (expect '200|202' "$(demo PUT "/process/${ids[$name]}" \
      "{\"configuration\":{$sim,\"wallClockStart\":\"$clock\"}}")" >/dev/null) &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || die "a clock could not be started (above)"; done
  say "the simulated day $start starts at $clock, speed $speed (a day in $(awk "BEGIN{printf \"%.0f\", 86400/$speed}") s)"
fi

# --- 7 where to look -------------------------------------------------------------------------------
if ((nodes)); then
  # The dashboard publishes its port on the node it runs on; forward that to this machine.
  dash_node=
  for ((i = 0; i < 60; i++)); do
    dash_node=$(expect 200 "$(admin GET "/process/${ids[demo-dashboard]}")" | jq -r '.runsOn // empty')
    [[ -n $dash_node ]] && break
    sleep 0.5
  done
  [[ -n $dash_node ]] || die "the dashboard's node is not known after 30 s"
  for ((k = 0; k <= nodes; k++)); do [[ $(cluster_node "$k") == "$dash_node" ]] && dash_k=$k; done
  scripts/cluster.sh publish "${dash_k:?}" "$dashboard_port" "$dashboard_port" >/dev/null
  echo "$dashboard_port" >/run/defpi/cluster/forward/dashboard-port
  placement=$(expect 200 "$(admin GET "/process?userId=$user_id&limit=1000")" |
    jq -r '.[] | select(.name | startswith("demo-")) | "\(.name)@\(.runsOn // "?")"' | sort | tr '\n' ' ')
  for ((k = 0; k <= nodes; k++)); do placement=${placement//$(cluster_node "$k")/node$k}; done
  say "placed: $placement"
fi
step "Ready in $((SECONDS - started)) s"
cat <<INFO

  Dashboard     http://127.0.0.1:$dashboard_port/
  Web UI        $API/            user $DEMO_USER, password $(cat "$DEMO_PASSWORD_FILE")
  API docs      $API/docs
  CLI           ./defpi login --url $API --user $DEMO_USER      then ./defpi processes, ./defpi top
  Metrics       $API/metrics     (admin; password in $ADMIN_PASSWORD_FILE)
  Stop it all   ./defpi demo down${CLUSTER_FLAG:+ --nodes}

INFO
