#!/usr/bin/env bash
# scripts/orchestrator.sh — the defpi orchestrator as a Swarm service (ARCHITECTURE.md, "Runtime layout").
#
#   scripts/orchestrator.sh up              deploy or update; idempotent; waits until /health answers
#   scripts/orchestrator.sh status          one line per part; exit 0 only when the API answers
#   scripts/orchestrator.sh down            remove the orchestrator's service
#   scripts/orchestrator.sh down --purge    also every process service (any with label org.defpi.managed),
#                                           the network defpi-processes, the data volume, the admin
#                                           password (secret and file)
#
# Needs what `scripts/env.sh up` makes (engine, swarm, network defpi-control, registry on
# 127.0.0.1:5000) and the image 127.0.0.1:5000/defpi/orchestrator:latest
# (`./mvnw -B -f orchestrator/pom.xml install` pushes it).
#
# Steps of `up`:
#   1 network    attachable overlay network defpi-processes
#   2 password   Docker secret defpi-admin-password; when missing, a new random password is made,
#                written to /var/lib/defpi/admin-password (0600) and stored as the secret. The
#                password is never printed. The orchestrator makes its first admin from it when
#                its database has no users; later password changes go through the API.
#   3 image      the digest 127.0.0.1:5000/defpi/orchestrator:latest has now, read from the registry
#   4 service    defpi-orchestrator pinned to that digest: created, updated when the digest changed
#                (a new image rolls the service), re-created when the rest of its spec changed
#   5 health     wait until the task of that digest runs and http://127.0.0.1:8484/health answers
#
# Environment: DEFPI_ORCHESTRATOR_TIMEOUT (s to wait for /health, 120), DEFPI_PASSWORD_FILE
# (/var/lib/defpi/admin-password), DEFPI_ORCHESTRATOR_IMAGE (127.0.0.1:5000/defpi/orchestrator:latest).
set -euo pipefail

readonly SERVICE=defpi-orchestrator
readonly CONTROL_NET=defpi-control
readonly PROCESS_NET=defpi-processes
readonly SECRET=defpi-admin-password
readonly VOLUME=defpi-orchestrator-data
readonly PORT=8484
readonly REG_ADDR=127.0.0.1:5000
readonly IMAGE=${DEFPI_ORCHESTRATOR_IMAGE:-$REG_ADDR/defpi/orchestrator:latest}
readonly PASSWORD_FILE=${DEFPI_PASSWORD_FILE:-/var/lib/defpi/admin-password}
readonly TIMEOUT=${DEFPI_ORCHESTRATOR_TIMEOUT:-120}
readonly API=http://127.0.0.1:$PORT
readonly SPEC_LABEL=org.defpi.spec-hash
readonly MANAGED_LABEL=org.defpi.managed
readonly MANIFEST_ACCEPT='application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.index.v1+json'

export DOCKER_HOST=unix:///var/run/docker.sock
unset DOCKER_CONTEXT

# ---------------------------------------------------------------------------------------------
# output and helpers

STEP_NO=0
STEP_COUNT=5
STEP_NAME=
now_s() { date +%s.%N | cut -c1-14; }
step() { STEP_NO=$((STEP_NO + 1)); STEP_NAME=$1; STEP_T0=$(now_s); }
done_step() {
  printf '[orchestrator] %d/%d %-8s %-64s %6.2f s\n' "$STEP_NO" "$STEP_COUNT" "$STEP_NAME" "$1" \
    "$(awk -v a="$STEP_T0" -v b="$(now_s)" 'BEGIN { print b - a }')"
}
note() { printf '[orchestrator]     %-8s %s\n' "$STEP_NAME" "$1"; }
die() {
  printf '[orchestrator] ERROR%s: %s\n' "${STEP_NAME:+ in step $STEP_NAME}" "$1" >&2
  shift
  local line
  for line in "$@"; do printf '[orchestrator]   %s\n' "$line" >&2; done
  exit 1
}
dk() { docker "$@" < /dev/null; }
exists() { dk "$1" inspect "$2" > /dev/null 2>&1; } # exists KIND NAME (network, secret, service, volume)

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

need_swarm() {
  docker info > /dev/null 2>&1 < /dev/null || die "the Docker engine does not answer" "run scripts/env.sh up first"
  [[ $(dk info --format '{{.Swarm.LocalNodeState}}') == active ]] || die "this engine is not in a swarm" \
    "run scripts/env.sh up first"
}

# ---------------------------------------------------------------------------------------------
# up

# The service's arguments apart from its image: a change re-creates the service.
service_args() {
  SERVICE_ARGS=(
    --name "$SERVICE"
    --label "$MANAGED_LABEL.platform=true"
    --network "name=$CONTROL_NET,alias=$SERVICE"
    --network "name=$PROCESS_NET,alias=$SERVICE"
    --endpoint-mode dnsrr
    --publish "mode=host,published=$PORT,target=$PORT"
    --mount "type=bind,source=/var/run/docker.sock,target=/var/run/docker.sock"
    --mount "type=volume,source=$VOLUME,target=/var/lib/defpi"
    --constraint node.role==manager
    --secret "source=$SECRET,target=$SECRET,mode=0400"
    --restart-condition any --restart-delay 1s
    --stop-grace-period 20s
    --env "DEFPI_PORT=$PORT"
    --env "DEFPI_ADMIN_PASSWORD_FILE=/run/secrets/$SECRET"
    --env "DEFPI_DATA_DIR=/var/lib/defpi"
    --env "DEFPI_REGISTRY_URL=http://defpi-registry:5000"
    --env "DEFPI_IMAGE_PREFIX=$REG_ADDR"
    --env "DEFPI_PROCESS_NETWORK=$PROCESS_NET"
    --env "DEFPI_ORCHESTRATOR_HOST=$SERVICE"
    --env "DEFPI_ORCHESTRATOR_PORT=$PORT"
  )
}

ensure_network() {
  step network
  if exists network "$PROCESS_NET"; then
    [[ $(dk network inspect -f '{{.Driver}} {{.Attachable}}' "$PROCESS_NET") == "overlay true" ]] ||
      die "network $PROCESS_NET exists but is not an attachable overlay network" \
        "remove it (scripts/orchestrator.sh down --purge) and run up again"
    done_step "$PROCESS_NET exists"
  else
    dk network create --driver overlay --attachable --label "$MANAGED_LABEL=true" "$PROCESS_NET" > /dev/null
    done_step "$PROCESS_NET created (overlay, attachable)"
  fi
}

ensure_password() {
  step password
  if exists secret "$SECRET"; then
    if [[ -s $PASSWORD_FILE ]]; then
      done_step "secret $SECRET exists; password in $PASSWORD_FILE"
    else
      done_step "secret $SECRET exists"
      note "WARNING: $PASSWORD_FILE is missing; Docker cannot show a secret's value."
      note "To get a new password: scripts/orchestrator.sh down --purge, then up."
    fi
    return
  fi
  mkdir -p "$(dirname "$PASSWORD_FILE")"
  local tmp
  tmp=$(mktemp "$(dirname "$PASSWORD_FILE")/.admin-password.XXXXXX")
  chmod 600 "$tmp"
  # 24 random bytes -> 32 characters of base64url: no shell or URL quoting trouble, bcrypt-sized.
  head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '\n=' > "$tmp"
  dk secret create --label "$MANAGED_LABEL.platform=true" "$SECRET" "$tmp" > /dev/null
  mv -f "$tmp" "$PASSWORD_FILE"
  chmod 600 "$PASSWORD_FILE"
  done_step "secret $SECRET created; password written to $PASSWORD_FILE (0600)"
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

ensure_service() {
  step service
  service_args
  local spec_hash
  spec_hash=$(printf '%s\n' "${SERVICE_ARGS[@]}" | sha256sum | cut -c1-16)
  if exists service "$SERVICE"; then
    local current_hash current_image
    current_hash=$(dk service inspect -f "{{index .Spec.Labels \"$SPEC_LABEL\"}}" "$SERVICE")
    current_image=$(dk service inspect -f '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "$SERVICE")
    if [[ $current_hash != "$spec_hash" ]]; then
      note "the service's settings changed: re-creating it"
      dk service rm "$SERVICE" > /dev/null
      wait_gone "com.docker.swarm.service.name=$SERVICE" 60 || die "the old orchestrator container did not go away"
    elif [[ ${current_image#*@} != "$DIGEST" ]]; then
      dk service update --detach --quiet --no-resolve-image --image "$PINNED" "$SERVICE" > /dev/null
      done_step "updated to the new image ${DIGEST:0:19}…"
      return
    else
      done_step "$SERVICE is up to date"
      return
    fi
  fi
  dk service create --detach --quiet --no-resolve-image --label "$SPEC_LABEL=$spec_hash" "${SERVICE_ARGS[@]}" \
    "$PINNED" > /dev/null
  done_step "$SERVICE created from ${DIGEST:0:19}…"
}

wait_healthy() {
  step health
  local deadline=$((SECONDS + TIMEOUT)) last_report=$SECONDS task_state='' state='' error=''
  while ((SECONDS < deadline)); do
    # Only the task of the new image counts: until it runs, /health may still be the old one.
    task_state=$(dk service ps "$SERVICE" --filter desired-state=running --no-trunc \
      --format '{{.Image}}|{{.CurrentState}}|{{.Error}}' 2> /dev/null | awk -F'|' -v img="$PINNED" '$1 == img' | head -1)
    if [[ ${task_state#*|} == Running* ]] && health_ok; then
      done_step "$API/health answers"
      return
    fi
    if ((SECONDS - last_report >= 5)); then
      last_report=$SECONDS
      if [[ -n $task_state ]]; then
        IFS='|' read -r _ state error <<< "$task_state"
        note "waiting ($((deadline - SECONDS)) s left): task $state${error:+ ($error)}"
      else
        note "waiting ($((deadline - SECONDS)) s left): no task of the new image yet"
      fi
    fi
    sleep 0.5
  done
  die "$API/health did not answer within $TIMEOUT s" "task: ${task_state:-none}" \
    "logs: docker service logs --tail 50 $SERVICE"
}

cmd_up() {
  need_swarm
  exists network "$CONTROL_NET" || die "network $CONTROL_NET is missing" "run scripts/env.sh up first"
  ensure_network
  ensure_password
  resolve_image
  ensure_service
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
  step service
  if exists service "$SERVICE"; then
    dk service rm "$SERVICE" > /dev/null
    wait_gone "com.docker.swarm.service.name=$SERVICE" 60 || die "the orchestrator's container did not go away"
    done_step "$SERVICE removed"
  else
    done_step "$SERVICE is not there"
  fi
  [[ -n $purge ]] || return 0

  step processes
  local services
  services=$(dk service ls -q --filter "label=$MANAGED_LABEL")
  if [[ -n $services ]]; then
    # shellcheck disable=SC2086 # one id per word
    dk service rm $services > /dev/null
    wait_gone "$MANAGED_LABEL" 60 || note "WARNING: some process containers are still there"
    done_step "removed $(wc -w <<< "$services") process service(s)"
  else
    done_step "no process services"
  fi

  step network
  if exists network "$PROCESS_NET"; then
    local i
    for ((i = 0; i < 20; i++)); do # endpoints of just-removed tasks linger a moment
      dk network rm "$PROCESS_NET" > /dev/null 2>&1 && break
      sleep 0.5
    done
    exists network "$PROCESS_NET" && die "network $PROCESS_NET could not be removed"
    done_step "$PROCESS_NET removed"
  else
    done_step "$PROCESS_NET is not there"
  fi

  step data
  if exists volume "$VOLUME"; then
    dk volume rm "$VOLUME" > /dev/null
    done_step "volume $VOLUME removed"
  else
    done_step "volume $VOLUME is not there"
  fi

  step password
  exists secret "$SECRET" && dk secret rm "$SECRET" > /dev/null
  rm -f "$PASSWORD_FILE"
  done_step "secret $SECRET and $PASSWORD_FILE removed"
}

cmd_status() {
  local ok=0
  if ! docker info > /dev/null 2>&1 < /dev/null; then
    echo "engine     DOWN"
    return 1
  fi
  if exists network "$PROCESS_NET"; then echo "network    $PROCESS_NET present"; else echo "network    $PROCESS_NET MISSING"; ok=1; fi
  if exists secret "$SECRET"; then echo "password   secret $SECRET present${PASSWORD_FILE:+, file $PASSWORD_FILE $([[ -s $PASSWORD_FILE ]] && echo present || echo MISSING)}"; else echo "password   secret $SECRET MISSING"; ok=1; fi
  if exists service "$SERVICE"; then
    echo "service    $SERVICE $(dk service inspect -f '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "$SERVICE")"
    echo "task       $(dk service ps "$SERVICE" --filter desired-state=running --format '{{.CurrentState}} {{.Error}}' | head -1)"
  else
    echo "service    $SERVICE MISSING"
    ok=1
  fi
  if health_ok; then
    echo "api        $API UP, version $(curl -sf --max-time 2 "$API/version" | sed 's/.*"version":"\([^"]*\)".*/\1/')"
  else
    echo "api        $API DOWN"
    ok=1
  fi
  echo "processes  $(dk service ls -q --filter "label=$MANAGED_LABEL=defpi-orchestrator" | wc -l) service(s)"
  return $ok
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down "${2:-}" ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 up | status | down [--purge]" >&2
    exit 2
    ;;
esac
