#!/usr/bin/env bash
# The demo: a power meter wired to a power logger, deployed through the orchestrator's REST API.
#   scripts/demo.sh        set up what is missing, build, deploy, print where to look
#   scripts/demo.sh down   remove the demo's processes and the orchestrator
# Safe to re-run: an existing demo is replaced.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

API=http://127.0.0.1:8484
PASSWORD_FILE=/var/lib/defpi/admin-password
POOL=local
step() { printf '\n==> %s\n' "$*"; }

api() { # api METHOD PATH [JSON]
  local method=$1 path=$2 body=${3:-}
  curl -sS -u "admin:$(cat "$PASSWORD_FILE")" -X "$method" -H 'Content-Type: application/json' \
    ${body:+--data "$body"} -w '\n%{http_code}' "$API$path"
}

expect() { # expect STATUS RESPONSE -> prints the body, fails with it otherwise
  local want=$1 response=$2 status body
  status=${response##*$'\n'}
  body=${response%$'\n'*}
  if [[ $status != "$want" ]]; then
    echo "defpi demo: the orchestrator answered $status: $body" >&2
    exit 1
  fi
  printf '%s' "$body"
}

remove_demo_processes() {
  local ids
  ids=$(expect 200 "$(api GET /process)" | jq -r '.[] | select(.name | startswith("demo-")) | .id')
  for id in $ids; do
    expect 204 "$(api DELETE "/process/$id")" >/dev/null
    echo "removed process $id"
  done
}

if [[ ${1:-} == down ]]; then
  if curl -sf "$API/health" >/dev/null 2>&1; then
    step "Removing the demo's processes"
    remove_demo_processes
  fi
  step "Removing the orchestrator"
  scripts/orchestrator.sh down
  exit 0
fi

command -v jq >/dev/null || { step "Installing jq"; apt-get install -y -q jq >/dev/null; }

step "Environment: Docker engine, swarm, registry, base image"
scripts/env.sh up

step "Building the platform and the example services (images go to 127.0.0.1:5000)"
./mvnw -B -q install -DskipTests

step "Deploying the orchestrator"
scripts/orchestrator.sh up

step "This machine's Swarm node: public, in pool $POOL (processes go to public nodes)"
node=$(docker info --format '{{.Swarm.NodeID}}' < /dev/null)
if [[ $(expect 200 "$(api GET "/node/$node")" | jq -r .kind) == public ]]; then
  echo "node $node is public already"
else
  pool=$(expect 200 "$(api GET "/nodepool?name=$POOL")" | jq -r '.[0].id // empty')
  [[ -n $pool ]] || pool=$(expect 201 "$(api POST /nodepool "{\"name\":\"$POOL\"}")" | jq -r .id)
  expect 200 "$(api PUT "/node/$node" "{\"kind\":\"public\",\"poolId\":\"$pool\"}")" >/dev/null
  echo "node $node is public in pool $POOL ($pool)"
fi

step "Deploying the demo: power meter -> power logger"
remove_demo_processes
meter=$(expect 201 "$(api POST /process '{"serviceId":"power-meter","name":"demo-meter","configuration":{"count":"1000000","intervalMillis":"1000"}}')" | jq -r .id)
logger=$(expect 201 "$(api POST /process '{"serviceId":"power-logger","name":"demo-logger","configuration":{}}')" | jq -r .id)
for id in "$meter" "$logger"; do
  for _ in $(seq 1 120); do
    state=$(expect 200 "$(api GET "/process/$id")" | jq -r .state)
    [[ $state == RUNNING ]] && break
    [[ $state == FAILED ]] && { echo "defpi demo: process $id failed" >&2; exit 1; }
    sleep 0.5
  done
  echo "process $id is $state"
done
expect 201 "$(api POST /connection "{\"endpoint1\":{\"processId\":\"$meter\",\"interfaceId\":\"power-meter/power-measurement\"},\"endpoint2\":{\"processId\":\"$logger\",\"interfaceId\":\"power-logger/power-measurement\"}}")" | jq -r '"connection " + .id + " created"'

step "Ready"
cat <<INFO
Orchestrator API:  $API   (user admin, password in $PASSWORD_FILE)
Watch the logger:  curl -u admin:\$(cat $PASSWORD_FILE) '$API/process/$logger/log?tail=20'
Remove the demo:   ./defpi demo down
INFO
