#!/usr/bin/env bash
# scripts/orchestrator.sh — the defpi orchestrator as a plain container (ARCHITECTURE.md, "Runtime layout").
#
#   scripts/orchestrator.sh up              deploy or update; idempotent; waits until /health answers
#   scripts/orchestrator.sh status          one line per part; exit 0 only when the API answers
#   scripts/orchestrator.sh down            remove the orchestrator's container
#   scripts/orchestrator.sh down --purge    also every process service (any with label org.defpi.managed),
#                                           every user network (label org.defpi.user-id), the data
#                                           volume and the admin password file
#
# With --cluster (any command), the same on the test cluster's manager (scripts/cluster.sh up first):
# the container runs on node0's engine, reaches the registry at <range>.0.1:5000 (the cluster's
# forwarder), keeps its password in /var/lib/defpi/cluster/admin-password, and its API answers on
# the machine at 127.0.0.1:8485 (DEFPI_CLUSTER_API_PORT; `scripts/cluster.sh publish`).
#
# A plain container, not a Swarm service: it joins each user's encrypted overlay network
# (defpi-user-<id>) when it makes it and at start, and a Swarm task cannot be attached to a network
# by hand (moby/moby#39391). `--restart always` brings it back after a crash.
#
# Needs what `scripts/env.sh up` makes (engine, swarm, network defpi-control, registry on
# 127.0.0.1:5000) and the image 127.0.0.1:5000/defpi/orchestrator:latest
# (`./mvnw -B -f orchestrator/pom.xml install` pushes it).
#
# Steps of `up`:
#   1 legacy     upgrade from the Swarm-service deployment: the service defpi-orchestrator is removed,
#                with the process services on the shared network defpi-processes (the orchestrator's
#                reconciler re-creates them on their users' networks), then that network (left, with
#                a note, while something else still uses it) and the secret defpi-admin-password
#   2 password   /var/lib/defpi/admin-password (root only, 0600), bind-mounted read-only; when missing,
#                a new random password is written there. It is never printed. The orchestrator makes
#                its first admin from it when its database has no users; later password changes go
#                through the API.
#   3 image      the digest 127.0.0.1:5000/defpi/orchestrator:latest has now, read from the registry
#   4 container  defpi-orchestrator pinned to that digest: created, re-created when the digest or its
#                settings changed (stopped with a 20 s grace period first), started when stopped
#   5 health     wait until it runs and http://127.0.0.1:8484/health answers
#
# Environment: DEFPI_ORCHESTRATOR_TIMEOUT (s to wait for /health, 120), DEFPI_PASSWORD_FILE
# (/var/lib/defpi/admin-password), DEFPI_ORCHESTRATOR_IMAGE (127.0.0.1:5000/defpi/orchestrator:latest),
# DEFPI_LOG_FORMAT (text, or json: one JSON object a line, for a log collector; `docker logs` shows it).
# These, when set, are passed to the orchestrator as they are (see its Settings): DEFPI_NODE_SYNC,
# DEFPI_RECONCILE, DEFPI_TLS, DEFPI_CERT_TTL, DEFPI_OVERLAY_ENCRYPTION, DEFPI_OVERLAY_CHECK.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CLUSTER=0
ARGS=()
for a in "$@"; do
  if [[ $a == --cluster ]]; then CLUSTER=1; else ARGS+=("$a"); fi
done
set -- "${ARGS[@]+"${ARGS[@]}"}"
readonly CLUSTER
readonly PASSTHROUGH=(DEFPI_NODE_SYNC DEFPI_RECONCILE DEFPI_TLS DEFPI_CERT_TTL DEFPI_OVERLAY_ENCRYPTION DEFPI_OVERLAY_CHECK)

readonly NAME=defpi-orchestrator
readonly CONTROL_NET=defpi-control
readonly LEGACY_NET=defpi-processes
readonly LEGACY_SECRET=defpi-admin-password
readonly VOLUME=defpi-orchestrator-data
readonly PORT=8484
readonly REG_ADDR=127.0.0.1:5000
readonly IMAGE=${DEFPI_ORCHESTRATOR_IMAGE:-$REG_ADDR/defpi/orchestrator:latest}
if ((CLUSTER)); then
  readonly PASSWORD_FILE=${DEFPI_PASSWORD_FILE:-/var/lib/defpi/cluster/admin-password}
  readonly HOST_PORT=${DEFPI_CLUSTER_API_PORT:-8485}
  readonly ENGINE_SOCK=/run/defpi/cluster/node0/docker.sock
  readonly REGISTRY_URL=http://${DEFPI_CLUSTER_RANGE:-10.213}.0.1:5000
else
  readonly PASSWORD_FILE=${DEFPI_PASSWORD_FILE:-/var/lib/defpi/admin-password}
  readonly HOST_PORT=8484
  readonly ENGINE_SOCK=/var/run/docker.sock
  readonly REGISTRY_URL=http://defpi-registry:5000
fi
readonly PASSWORD_TARGET=/run/secrets/defpi-admin-password
readonly TIMEOUT=${DEFPI_ORCHESTRATOR_TIMEOUT:-120}
readonly LOG_FORMAT=${DEFPI_LOG_FORMAT:-text}
readonly API=http://127.0.0.1:$HOST_PORT
readonly SPEC_LABEL=org.defpi.spec-hash
readonly MANAGED_LABEL=org.defpi.managed
readonly USER_LABEL=org.defpi.user-id
readonly MANIFEST_ACCEPT='application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.index.v1+json'

export DOCKER_HOST=unix://$ENGINE_SOCK
unset DOCKER_CONTEXT

# ---------------------------------------------------------------------------------------------
# output and helpers

STEP_NO=0
STEP_COUNT=5
STEP_NAME=
now_s() { date +%s.%N | cut -c1-14; }
step() { STEP_NO=$((STEP_NO + 1)); STEP_NAME=$1; STEP_T0=$(now_s); }
done_step() {
  printf '[orchestrator] %d/%d %-9s %-64s %6.2f s\n' "$STEP_NO" "$STEP_COUNT" "$STEP_NAME" "$1" \
    "$(awk -v a="$STEP_T0" -v b="$(now_s)" 'BEGIN { print b - a }')"
}
note() { printf '[orchestrator]     %-9s %s\n' "$STEP_NAME" "$1"; }
die() {
  printf '[orchestrator] ERROR%s: %s\n' "${STEP_NAME:+ in step $STEP_NAME}" "$1" >&2
  shift
  local line
  for line in "$@"; do printf '[orchestrator]   %s\n' "$line" >&2; done
  exit 1
}
dk() { docker "$@" < /dev/null; }
exists() { dk "$1" inspect "$2" > /dev/null 2>&1; } # exists KIND NAME (container, network, secret, service, volume)

# split_ref REF -> "REGISTRY REPO TAG" for REGISTRY/REPO:TAG
split_ref() {
  local ref=$1 registry rest repo tag
  registry=${ref%%/*}
  rest=${ref#*/}
  repo=${rest%:*}
  tag=${rest##*:}
  [[ $rest == *:* ]] || tag=latest
  echo "$registry $repo $tag"
}

# manifest_digest REGISTRY REPO TAG: the digest the registry serves for the tag, or nothing
manifest_digest() {
  curl -sf -I --max-time 5 -H "Accept: $MANIFEST_ACCEPT" "http://$1/v2/$2/manifests/$3" 2> /dev/null |
    tr -d '\r' | awk 'tolower($1) == "docker-content-digest:" { print $2 }' || true
}

health_ok() { curl -sf --max-time 2 "$API/health" > /dev/null 2>&1; }

# wait_gone FILTER SECONDS: until no container (running or not) matches the label filter
wait_gone() {
  local filter=$1 limit=$2 i
  for ((i = 0; i < limit * 5; i++)); do
    [[ -z $(dk ps -aq --filter "label=$filter") ]] && return 0
    sleep 0.2
  done
  return 1
}

# remove_network NAME: retries while endpoints of just-removed containers linger (on every node of
# the swarm, for a global service's); 1 if still there after 30 s
remove_network() {
  local i
  for ((i = 0; i < 60; i++)); do
    exists network "$1" || return 0
    dk network rm "$1" > /dev/null 2>&1 || true
    sleep 0.5
  done
  ! exists network "$1"
}

need_swarm() {
  local setup="run scripts/env.sh up first"
  ((CLUSTER)) && setup="run scripts/cluster.sh up first"
  docker info > /dev/null 2>&1 < /dev/null || die "the Docker engine ($DOCKER_HOST) does not answer" "$setup"
  [[ $(dk info --format '{{.Swarm.LocalNodeState}}') == active ]] || die "this engine is not in a swarm" "$setup"
}

# ---------------------------------------------------------------------------------------------
# up

# The container's arguments apart from its image: a change (or a new image) re-creates it.
container_args() {
  CONTAINER_ARGS=(
    --name "$NAME"
    --label "$MANAGED_LABEL.platform=true"
    --restart always
  )
  # on the cluster the registry is reached through the bridge's forwarder, not defpi-control
  ((CLUSTER)) || CONTAINER_ARGS+=(--network "$CONTROL_NET" --network-alias "$NAME")
  CONTAINER_ARGS+=(
    --publish "$PORT:$PORT"
    --mount "type=bind,source=$ENGINE_SOCK,target=/var/run/docker.sock"
    --mount "type=volume,source=$VOLUME,target=/var/lib/defpi"
    --mount "type=bind,source=$PASSWORD_FILE,target=$PASSWORD_TARGET,readonly"
    --stop-timeout 20
    --env "DEFPI_PORT=$PORT"
    --env "DEFPI_ADMIN_PASSWORD_FILE=$PASSWORD_TARGET"
    --env "DEFPI_DATA_DIR=/var/lib/defpi"
    --env "DEFPI_REGISTRY_URL=$REGISTRY_URL"
    --env "DEFPI_IMAGE_PREFIX=$REG_ADDR"
    --env "DEFPI_CONTAINER=$NAME"
    --env "DEFPI_ORCHESTRATOR_HOST=$NAME"
    --env "DEFPI_ORCHESTRATOR_PORT=$PORT"
    --env "DEFPI_LOG_FORMAT=$LOG_FORMAT"
  )
  local v
  for v in "${PASSTHROUGH[@]}"; do
    [[ -z ${!v:-} ]] || CONTAINER_ARGS+=(--env "$v=${!v}")
  done
}

# The services of this orchestrator on the legacy shared network, by id.
legacy_process_services() {
  local net_id
  net_id=$(dk network inspect -f '{{.Id}}' "$LEGACY_NET")
  dk service ls -q --filter "label=$MANAGED_LABEL=$NAME" | while read -r id; do
    dk service inspect -f '{{.ID}}{{range .Spec.TaskTemplate.Networks}} {{.Target}}{{end}}' "$id"
  done | awk -v id="$net_id" -v name="$LEGACY_NET" '{ for (i = 2; i <= NF; i++) if ($i == id || $i == name) { print $1; break } }'
}

migrate_legacy() {
  step legacy
  if ! exists service "$NAME"; then
    # Only on an upgrade: a defpi-processes without the old orchestrator may be a test's (down --purge removes it).
    exists secret "$LEGACY_SECRET" && { dk secret rm "$LEGACY_SECRET" > /dev/null 2>&1 || true; }
    done_step "no Swarm service $NAME: nothing to upgrade"
    return
  fi
  dk service rm "$NAME" > /dev/null
  wait_gone "com.docker.swarm.service.name=$NAME" 60 || die "the old orchestrator's container did not go away"
  local done="service $NAME removed"
  if exists network "$LEGACY_NET"; then
    local services
    services=$(legacy_process_services)
    if [[ -n $services ]]; then
      # shellcheck disable=SC2086 # one id per word
      dk service rm $services > /dev/null
      local id
      for id in $services; do wait_gone "com.docker.swarm.service.id=$id" 60 || true; done
      note "removed $(wc -w <<< "$services") process service(s) on $LEGACY_NET: re-created on their users' networks"
    fi
    if remove_network "$LEGACY_NET"; then
      done="$done, network $LEGACY_NET removed"
    else
      note "network $LEGACY_NET is still in use by something else: left (down --purge removes it)"
    fi
  fi
  exists secret "$LEGACY_SECRET" && { dk secret rm "$LEGACY_SECRET" > /dev/null && done="$done, secret removed"; }
  done_step "$done"
}

ensure_password() {
  step password
  if [[ -s $PASSWORD_FILE ]]; then
    chmod 600 "$PASSWORD_FILE"
    done_step "password in $PASSWORD_FILE"
    return
  fi
  mkdir -p "$(dirname "$PASSWORD_FILE")"
  local tmp
  tmp=$(mktemp "$(dirname "$PASSWORD_FILE")/.admin-password.XXXXXX")
  chmod 600 "$tmp"
  # 24 random bytes -> 32 characters of base64url: no shell or URL quoting trouble, bcrypt-sized.
  head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '\n=' > "$tmp"
  mv -f "$tmp" "$PASSWORD_FILE"
  done_step "a new password written to $PASSWORD_FILE (0600)"
  if exists volume "$VOLUME"; then
    note "WARNING: the data volume $VOLUME exists: if its database has users, the admin keeps their old"
    note "password and this file is not it. For a fresh start: scripts/orchestrator.sh down --purge, then up."
  fi
}

resolve_image() {
  step image
  local registry repo tag
  read -r registry repo tag <<< "$(split_ref "$IMAGE")"
  DIGEST=$(manifest_digest "$registry" "$repo" "$tag")
  [[ -n $DIGEST ]] || die "the registry has no image $IMAGE" \
    "build and push it: ./mvnw -B -f orchestrator/pom.xml install" \
    "(the registry must be up: scripts/env.sh up)"
  PINNED="${IMAGE%@*}@$DIGEST"
  done_step "$IMAGE is ${DIGEST:0:19}…"
}

stop_and_remove() {
  dk stop -t 20 "$NAME" > /dev/null 2>&1 || true
  dk rm -f "$NAME" > /dev/null 2>&1 || true
  ! exists container "$NAME"
}

ensure_container() {
  step container
  container_args
  local spec_hash
  spec_hash=$(printf '%s\n' "${CONTAINER_ARGS[@]}" "$PINNED" | sha256sum | cut -c1-16)
  if exists container "$NAME"; then
    local current state
    current=$(dk container inspect -f "{{index .Config.Labels \"$SPEC_LABEL\"}}" "$NAME")
    state=$(dk container inspect -f '{{.State.Status}}' "$NAME")
    if [[ $current == "$spec_hash" ]]; then
      if [[ $state == running || $state == restarting ]]; then
        done_step "$NAME is up to date ($state)"
      else
        dk start "$NAME" > /dev/null
        done_step "$NAME was $state: started"
      fi
      return
    fi
    note "a new image or new settings: re-creating $NAME"
    stop_and_remove || die "the old orchestrator container did not go away"
  fi
  dk image inspect "$PINNED" > /dev/null 2>&1 || dk pull --quiet "$PINNED" > /dev/null || die "cannot pull $PINNED"
  dk run --detach --label "$SPEC_LABEL=$spec_hash" "${CONTAINER_ARGS[@]}" "$PINNED" > /dev/null
  done_step "$NAME created from ${DIGEST:0:19}…"
}

wait_healthy() {
  step health
  local deadline=$((SECONDS + TIMEOUT)) last_report=$SECONDS state=''
  while ((SECONDS < deadline)); do
    state=$(dk container inspect -f '{{.State.Status}} (exit {{.State.ExitCode}}, {{.RestartCount}} restarts)' "$NAME" 2> /dev/null || echo missing)
    if [[ $state == running* ]] && health_ok; then
      done_step "$API/health answers"
      return
    fi
    if ((SECONDS - last_report >= 5)); then
      last_report=$SECONDS
      note "waiting ($((deadline - SECONDS)) s left): container $state"
    fi
    sleep 0.5
  done
  die "$API/health did not answer within $TIMEOUT s" "container: $state" "logs: docker logs --tail 50 $NAME"
}

cmd_up() {
  need_swarm
  ((CLUSTER)) || exists network "$CONTROL_NET" || die "network $CONTROL_NET is missing" "run scripts/env.sh up first"
  migrate_legacy
  ensure_password
  resolve_image
  ensure_container
  if ((CLUSTER)); then
    "$SCRIPT_DIR/cluster.sh" publish 0 "$PORT" "$HOST_PORT" > /dev/null
  fi
  wait_healthy
  echo "[orchestrator] ready: $API (user admin, password in $PASSWORD_FILE)"
  echo "[orchestrator] log in: ./defpi login --url $API --user admin --password-file $PASSWORD_FILE"
}

# ---------------------------------------------------------------------------------------------
# down, status

cmd_down() {
  local purge=${1:-}
  [[ -z $purge || $purge == --purge ]] || die "unknown option $purge" "usage: $0 down [--purge]"
  need_swarm
  STEP_COUNT=1
  [[ -n $purge ]] && STEP_COUNT=5
  step container
  local what="$NAME is not there"
  if exists container "$NAME"; then
    stop_and_remove || die "the orchestrator's container did not go away"
    what="container $NAME removed"
  fi
  if exists service "$NAME"; then # a deployment from before per-user networks
    dk service rm "$NAME" > /dev/null
    wait_gone "com.docker.swarm.service.name=$NAME" 60 || die "the old orchestrator's container did not go away"
    what="Swarm service $NAME removed"
  fi
  ((CLUSTER)) && "$SCRIPT_DIR/cluster.sh" unpublish "$HOST_PORT" > /dev/null 2>&1 || true
  done_step "$what"
  [[ -n $purge ]] || return 0

  step processes
  local services
  # the process services, and the overlay check's probes (label org.defpi.platform)
  services=$( (dk service ls -q --filter "label=$MANAGED_LABEL"; dk service ls -q --filter "label=org.defpi.platform") | sort -u)
  if [[ -n $services ]]; then
    # shellcheck disable=SC2086 # one id per word
    dk service rm $services > /dev/null
    wait_gone "$MANAGED_LABEL" 60 || note "WARNING: some process containers are still there"
    done_step "removed $(wc -w <<< "$services") process service(s)"
  else
    done_step "no process services"
  fi

  step networks
  local networks=() failed=() net
  mapfile -t networks < <( (dk network ls --filter "label=$USER_LABEL" --format '{{.Name}}'
    dk network ls --filter "label=org.defpi.platform" --format '{{.Name}}') | sort -u)
  exists network "$LEGACY_NET" && networks+=("$LEGACY_NET")
  for net in "${networks[@]}"; do
    remove_network "$net" || failed+=("$net")
  done
  ((${#failed[@]} == 0)) || die "could not remove network(s) ${failed[*]}" "docker network inspect shows what still uses them"
  done_step "removed ${#networks[@]} network(s)"

  step data
  if exists volume "$VOLUME"; then
    dk volume rm "$VOLUME" > /dev/null
    done_step "volume $VOLUME removed"
  else
    done_step "volume $VOLUME is not there"
  fi

  step password
  exists secret "$LEGACY_SECRET" && dk secret rm "$LEGACY_SECRET" > /dev/null
  rm -f "$PASSWORD_FILE"
  done_step "$PASSWORD_FILE removed"
}

cmd_status() {
  local ok=0
  if ! docker info > /dev/null 2>&1 < /dev/null; then
    echo "engine     DOWN"
    return 1
  fi
  if [[ -s $PASSWORD_FILE ]]; then echo "password   $PASSWORD_FILE present"; else echo "password   $PASSWORD_FILE MISSING"; ok=1; fi
  local networks joined=0
  networks=$(dk network ls -q --filter "label=$MANAGED_LABEL=$NAME" --filter "label=$USER_LABEL" | wc -l)
  if exists container "$NAME"; then
    echo "container  $NAME $(dk container inspect -f '{{.State.Status}} since {{.State.StartedAt}}, {{.RestartCount}} restart(s), {{.Config.Image}}' "$NAME")"
    # shellcheck disable=SC2016 # a Go template, not shell
    joined=$(dk container inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{end}}' "$NAME" | tr ' ' '\n' | grep -c '^defpi-user-' || true)
  else
    echo "container  $NAME MISSING"
    ok=1
  fi
  echo "networks   $networks user network(s), the orchestrator on $joined"
  if health_ok; then
    echo "api        $API UP, version $(curl -sf --max-time 2 "$API/version" | sed 's/.*"version":"\([^"]*\)".*/\1/')"
  else
    echo "api        $API DOWN"
    ok=1
  fi
  echo "processes  $(dk service ls -q --filter "label=$MANAGED_LABEL=$NAME" | wc -l) service(s)"
  # From before per-user networks: up upgrades an old deployment; a lone old network may be a test's.
  if exists service "$NAME"; then
    echo "legacy     Swarm service $NAME present: up upgrades it to the container"
  elif exists network "$LEGACY_NET"; then
    echo "legacy     network $LEGACY_NET present, unused by the orchestrator (down --purge removes it)"
  fi
  return $ok
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down "${2:-}" ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 up | status | down [--purge]   (each with --cluster: on the test cluster)" >&2
    exit 2
    ;;
esac
