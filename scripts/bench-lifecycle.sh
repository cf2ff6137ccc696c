#!/usr/bin/env bash
# scripts/bench-lifecycle.sh [N] — how long the orchestrator takes to deploy and to connect
# processes, next to what Swarm alone takes (issue 5). N rounds of each (default 5).
#
#   deploy   raw:   `docker service create --detach` of the power-meter image (the reference the
#                   orchestrator uses, repository:tag@digest, the same kind of network — an encrypted
#                   attachable overlay of the bench's own, bench-lifecycle-net — and endpoint mode, the
#                   entrypoint replaced by `sleep 600`), timed until its task is running
#            defpi: POST /process (power-meter, count=0), timed until GET /process/{id} says RUNNING
#                   (the container runs, the process triggers and is configured)
#            the two alternate; target p50(defpi) / p50(raw) <= 1.2
#   connect  with a meter and a logger RUNNING: POST /connection, timed until GET /connection/{id}
#            says ACTIVE (both ends answered CREATE); then DELETE; target p50 <= 200 ms
#
# Timing in milliseconds (date +%s%3N), polling every 20 ms. Everything it creates is removed,
# also on failure or Ctrl-C. It measures, it does not gate: exit 0 whether or not targets are met.
# Needs the example images (./mvnw -B install) in the registry 127.0.0.1:5000.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${1:-5}
[[ $N =~ ^[1-9][0-9]*$ ]] || { echo "usage: scripts/bench-lifecycle.sh [N]   (N rounds, default 5)" >&2; exit 2; }

API=http://127.0.0.1:8484
PASSWORD_FILE=${DEFPI_PASSWORD_FILE:-/var/lib/defpi/admin-password}
PREFIX=bench-lifecycle
NETWORK=$PREFIX-net
TIMEOUT_MS=120000
export DOCKER_HOST=unix:///var/run/docker.sock
unset DOCKER_CONTEXT

die() { echo "defpi bench lifecycle: $*" >&2; exit 1; }
now_ms() { date +%s%3N; }
log() { printf '[bench] %s\n' "$*" >&2; }

command -v jq > /dev/null || die "jq is missing (apt-get install jq)"

# api METHOD PATH [JSON] WANT -> the body on stdout; fails with the answer when the status differs
api() {
  local method=$1 path=$2 body=${3:-} want=${4:-200} response status
  response=$(curl -sS -u "admin:$(< "$PASSWORD_FILE")" -X "$method" -H 'Content-Type: application/json' \
    ${body:+--data "$body"} -w '\n%{http_code}' "$API$path") || die "$method $path: no answer from $API"
  status=${response##*$'\n'}
  if [[ $status != "$want" ]]; then
    echo "defpi bench lifecycle: $method $path answered $status: ${response%$'\n'*}" >&2
    return 1
  fi
  printf '%s' "${response%$'\n'*}"
}

# ---------------------------------------------------------------------------------------------
# cleanup: whatever this script made, by name prefix / label, also from an earlier broken run

cleanup() {
  local ids id name
  if curl -sf --max-time 2 "$API/health" > /dev/null 2>&1; then
    ids=$(api GET /process 2> /dev/null | jq -r --arg p "$PREFIX-" '.[] | select(.name | startswith($p)) | .id' 2> /dev/null || true)
    if [[ -n $ids ]]; then
      for id in $(api GET /connection 2> /dev/null | jq -r --arg ids "$ids" '($ids | split("\n")) as $mine | .[]
          | select([.endpoint1.processId, .endpoint2.processId] | any(. as $p | $mine | index($p))) | .id' 2> /dev/null || true); do
        api DELETE "/connection/$id" '' 204 > /dev/null 2>&1 || true
      done
      for id in $ids; do
        api DELETE "/process/$id" '' 204 > /dev/null 2>&1 || true
      done
    fi
  fi
  for name in $(docker service ls -q --filter "label=org.defpi.bench=$PREFIX" 2> /dev/null < /dev/null || true); do
    docker service rm "$name" > /dev/null 2>&1 < /dev/null || true
  done
  for _ in $(seq 1 20); do # endpoints of just-removed tasks linger a moment
    docker network inspect "$NETWORK" > /dev/null 2>&1 < /dev/null || break
    docker network rm "$NETWORK" > /dev/null 2>&1 < /dev/null || sleep 0.5
  done
}
on_exit() { trap - EXIT INT TERM; cleanup; }
on_signal() { trap - EXIT INT TERM; echo >&2; log "interrupted: cleaning up"; cleanup; exit 130; }
trap on_exit EXIT
trap on_signal INT TERM

# ---------------------------------------------------------------------------------------------
# set-up

out=$(bash scripts/env.sh up 2>&1) || { echo "$out" >&2; die "scripts/env.sh up failed"; }
out=$(bash scripts/orchestrator.sh up 2>&1) || { echo "$out" >&2; die "scripts/orchestrator.sh up failed"; }
[[ -r $PASSWORD_FILE ]] || die "cannot read the admin password in $PASSWORD_FILE"

for svc in power-meter power-logger; do
  api GET "/service/$svc" '' 200 > /dev/null 2>&1 ||
    die "the example image services/$svc is not in the registry 127.0.0.1:5000 (build it: ./mvnw -B install -DskipTests)"
done
meter_json=$(api GET /service/power-meter)
IMAGE=$(jq -r '.version as $v | (.versions[] | select(.version == $v) | .digest) as $d
  | "127.0.0.1:5000/services/power-meter:\($v)@\($d)"' <<< "$meter_json")
[[ $IMAGE == *@sha256:* ]] || die "GET /service/power-meter gives no digest for its version"
docker pull -q "$IMAGE" > /dev/null < /dev/null || die "cannot pull $IMAGE"
cleanup # leftovers of an earlier run
# What the orchestrator gives each user: an encrypted attachable overlay network.
docker network create --driver overlay --attachable --opt encrypted --label "org.defpi.bench=$PREFIX" "$NETWORK" \
  > /dev/null < /dev/null || die "cannot create network $NETWORK"

# ---------------------------------------------------------------------------------------------
# one measurement each

# wait_process ID -> returns when RUNNING; fails on FAILED or after the timeout
wait_process() {
  local id=$1 t0 state
  t0=$(now_ms)
  while :; do
    state=$(api GET "/process/$1" | jq -r .state)
    [[ $state == RUNNING ]] && return 0
    [[ $state == FAILED ]] && die "process $id FAILED: $(api GET "/process/$id" | jq -c .)"
    (($(now_ms) - t0 > TIMEOUT_MS)) && die "process $id still $state after $((TIMEOUT_MS / 1000)) s"
    sleep 0.02
  done
}

# new_process NAME SERVICE CONFIG_JSON -> id
new_process() {
  api POST /process "{\"serviceId\":\"$2\",\"name\":\"$1\",\"configuration\":$3}" 201 | jq -r .id
}

# deploy_raw I -> ms until the task of a plain Swarm service of the image runs
deploy_raw() {
  local name=$PREFIX-raw-$1 t0 t1 state
  t0=$(now_ms)
  docker service create --detach --quiet --no-resolve-image --name "$name" \
    --label "org.defpi.bench=$PREFIX" --container-label "org.defpi.bench=$PREFIX" \
    --network "name=$NETWORK,alias=$name" --endpoint-mode dnsrr \
    --restart-condition any --restart-delay 1s --stop-grace-period 1s \
    --entrypoint sleep "$IMAGE" 600 > /dev/null < /dev/null
  while :; do
    state=$(docker service ps --filter desired-state=running --format '{{.CurrentState}}' "$name" < /dev/null 2> /dev/null | head -1)
    [[ $state == Running* ]] && break
    (($(now_ms) - t0 > TIMEOUT_MS)) && die "raw service $name still '$state' after $((TIMEOUT_MS / 1000)) s"
    sleep 0.02
  done
  t1=$(now_ms)
  docker service rm "$name" > /dev/null < /dev/null
  # as DELETE /process does: wait until its container is gone, so rounds do not overlap
  for _ in $(seq 1 300); do
    [[ -z $(docker ps -aq --filter "label=com.docker.swarm.service.name=$name" < /dev/null) ]] && break
    sleep 0.1
  done
  echo $((t1 - t0))
}

# deploy_defpi I -> ms until a new power-meter process is RUNNING
deploy_defpi() {
  local t0 t1 id
  t0=$(now_ms)
  id=$(new_process "$PREFIX-meter-$1" power-meter '{"count":"0"}')
  wait_process "$id"
  t1=$(now_ms)
  api DELETE "/process/$id" '' 204 > /dev/null
  echo $((t1 - t0))
}

# connect METER LOGGER -> ms until the connection is ACTIVE
connect() {
  local t0 t1 id state
  t0=$(now_ms)
  id=$(api POST /connection "{\"endpoint1\":{\"processId\":\"$1\",\"interfaceId\":\"power-meter/power-measurement\"},\"endpoint2\":{\"processId\":\"$2\",\"interfaceId\":\"power-logger/power-measurement\"}}" 201 | jq -r .id)
  while :; do
    state=$(api GET "/connection/$id" | jq -r .state)
    [[ $state == ACTIVE ]] && break
    [[ $state == FAILED ]] && die "connection $id FAILED: $(api GET "/connection/$id" | jq -c .)"
    (($(now_ms) - t0 > TIMEOUT_MS)) && die "connection $id still $state after $((TIMEOUT_MS / 1000)) s"
    sleep 0.02
  done
  t1=$(now_ms)
  api DELETE "/connection/$id" '' 204 > /dev/null
  echo $((t1 - t0))
}

# stats MS... -> "p50 max" in ms (p50: nearest rank)
stats() {
  printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)], v[NR] }'
}

# ---------------------------------------------------------------------------------------------
# runs

raw=() defpi=() conn=()
log "image $IMAGE, $N rounds"
for ((i = 1; i <= N; i++)); do
  raw+=("$(deploy_raw "$i")")
  defpi+=("$(deploy_defpi "$i")")
  log "deploy  round $i/$N: raw ${raw[-1]} ms, defpi ${defpi[-1]} ms"
done

meter=$(new_process "$PREFIX-conn-meter" power-meter '{"count":"0"}')
logger=$(new_process "$PREFIX-conn-logger" power-logger '{}')
wait_process "$meter"
wait_process "$logger"
for ((i = 1; i <= N; i++)); do
  conn+=("$(connect "$meter" "$logger")")
  log "connect round $i/$N: ${conn[-1]} ms"
done

read -r raw_p50 raw_max <<< "$(stats "${raw[@]}")"
read -r def_p50 def_max <<< "$(stats "${defpi[@]}")"
read -r con_p50 con_max <<< "$(stats "${conn[@]}")"
awk -v rp="$raw_p50" -v rm="$raw_max" -v dp="$def_p50" -v dm="$def_max" -v cp="$con_p50" -v cm="$con_max" -v n="$N" '
  BEGIN {
    ratio = dp / rp
    printf "deploy   raw p50 %5.2f s max %5.2f s | defpi p50 %5.2f s max %5.2f s | ratio %.2f (target <= 1.2: %s)\n",
      rp / 1000, rm / 1000, dp / 1000, dm / 1000, ratio, ratio <= 1.2 ? "met" : "missed"
    printf "connect  p50 %4d ms max %4d ms (target p50 <= 200 ms: %s)   [%d rounds each]\n",
      cp, cm, cp <= 200 ? "met" : "missed", n
  }'
