#!/usr/bin/env bash
# scripts/env.sh — the defpi runtime environment on this machine (ARCHITECTURE.md, "Runtime layout").
#
#   scripts/env.sh up       install, start and build whatever is missing; idempotent and quick when
#                           everything is already there
#   scripts/env.sh status   one line per part; exit 0 only when every part is ready
#   scripts/env.sh verify   run the JRE base image (java -version, sh -c 'echo ok')
#
# Steps of `up`:
#   1 packages   apt-get install docker.io docker-registry busybox-static curl iptables jq, only if missing
#   2 dockerd    start dockerd (pidfile /var/run/docker.pid, log /var/log/defpi/dockerd.log) if
#                `docker info` fails; stale pidfiles are detected and removed
#   3 swarm      single-node swarm on loopback; after a dockerd restart wait until the node is Ready
#   4 network    attachable overlay network defpi-control
#   5 registry   image defpi/registry:local (Debian's docker-registry binary + its libraries, config
#                scripts/env/registry.yml), container defpi-registry on defpi-control, published on
#                127.0.0.1:5000 only, data in /var/lib/defpi/registry
#   6 jre        base image 127.0.0.1:5000/defpi/jre:25 (jlink'd Temurin 25 + libraries + busybox),
#                also tagged 25-<hash of its inputs>; skipped when the registry has that tag
#
# Environment: DEFPI_JDK (default /usr/lib/jvm/temurin-25-jdk-amd64), DEFPI_DOCKERD_TIMEOUT (s, 60),
#              DEFPI_SWARM_TIMEOUT (s, 90); for tests of this script only: DEFPI_DOCKER_SOCK,
#              DEFPI_DOCKERD_PIDFILE, DEFPI_DOCKERD_EXEC_ROOT, DEFPI_DOCKERD_DATA_ROOT,
#              DEFPI_DOCKERD_LOG, DEFPI_REGISTRY_DATA, DEFPI_ENV_LOCK.
set -euo pipefail
shopt -s nullglob

ENV_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly ENV_DIR
readonly SELF="$ENV_DIR/env.sh"

readonly PACKAGES=(docker.io docker-registry busybox-static curl iptables jq)

# The DEFPI_DOCKER* / DEFPI_REGISTRY_DATA / DEFPI_ENV_LOCK overrides exist to test this script
# against a second, isolated engine (own socket, data root, network namespace); defaults = the
# machine's engine.
readonly DOCKER_SOCK=${DEFPI_DOCKER_SOCK:-/var/run/docker.sock}
readonly DOCKERD_PIDFILE=${DEFPI_DOCKERD_PIDFILE:-/var/run/docker.pid}
readonly DOCKERD_EXEC_ROOT=${DEFPI_DOCKERD_EXEC_ROOT:-/var/run/docker}
readonly DOCKERD_DATA_ROOT=${DEFPI_DOCKERD_DATA_ROOT:-/var/lib/docker}
readonly CONTAINERD_PIDFILE=$DOCKERD_EXEC_ROOT/containerd/containerd.pid
readonly DOCKERD_LOG=${DEFPI_DOCKERD_LOG:-/var/log/defpi/dockerd.log}
readonly LOG_DIR=${DOCKERD_LOG%/*}
readonly ENV_LOCK=${DEFPI_ENV_LOCK:-/run/lock/defpi-env.lock}
readonly DOCKERD_TIMEOUT=${DEFPI_DOCKERD_TIMEOUT:-60}
readonly SWARM_TIMEOUT=${DEFPI_SWARM_TIMEOUT:-90}

readonly CONTROL_NET=defpi-control

readonly REG_NAME=defpi-registry
readonly REG_IMAGE=defpi/registry:local
readonly REG_ADDR=127.0.0.1:5000
readonly REG_URL=http://$REG_ADDR
readonly REG_DATA=${DEFPI_REGISTRY_DATA:-/var/lib/defpi/registry}
readonly REG_CONFIG=$ENV_DIR/env/registry.yml
readonly REG_BINARY=/usr/bin/docker-registry

readonly JDK=${DEFPI_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
readonly JRE_REPO=defpi/jre
readonly JRE_TAG=25
readonly JRE_IMAGE=$REG_ADDR/$JRE_REPO:$JRE_TAG
readonly JRE_MODULES=(java.base java.logging java.naming java.net.http java.sql java.management java.xml
  java.desktop java.instrument jdk.unsupported jdk.crypto.ec jdk.zipfs jdk.management)
readonly JLINK_OPTS=(--no-header-files --no-man-pages --strip-debug --compress=zip-6)
readonly JRE_EXTRA_LIBS=(/lib/x86_64-linux-gnu/libgcc_s.so.1 /lib/x86_64-linux-gnu/libz.so.1)
readonly BUSYBOX_APPLETS=(sh ash ls cat nc ps env echo sleep grep sed awk head tail wc id hostname
  mkdir rm cp mv ln chmod find test true false kill nslookup netstat top du df)

readonly HASH_LABEL=org.defpi.env.hash
readonly MANIFEST_ACCEPT='application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.index.v1+json'

# We start and talk to the default engine, whatever the caller's environment points at.
export DOCKER_HOST=unix://$DOCKER_SOCK
unset DOCKER_CONTEXT
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin ;; esac
export PATH

# ---------------------------------------------------------------------------------------------
# output and small helpers

STEP_NO=0
STEP_NAME=
STEP_T0=0
readonly STEP_COUNT=6

now_us() { local t=${EPOCHREALTIME/./}; echo "$((10#$t))"; }
fmt_s() { printf '%d.%02d' $(($1 / 1000000)) $((($1 % 1000000) / 10000)); }
T_START=$(now_us)

step() { STEP_NO=$((STEP_NO + 1)); STEP_NAME=$1; STEP_T0=$(now_us); }
# done_step MESSAGE: the one progress line of a step, with its duration
done_step() {
  printf '[env] %d/%d %-9s %-62s %6s s\n' "$STEP_NO" "$STEP_COUNT" "$STEP_NAME" "$1" "$(fmt_s $(($(now_us) - STEP_T0)))"
}
# note MESSAGE: an extra line inside a long step
note() { printf '[env]     %-9s %s\n' "$STEP_NAME" "$1"; }
die() {
  printf '[env] ERROR%s: %s\n' "${STEP_NAME:+ in step $STEP_NAME}" "$1" >&2
  shift
  local line
  for line in "$@"; do printf '[env]   %s\n' "$line" >&2; done
  exit 1
}

# is_proc PID NAME: a live process (not a zombie) with that pid and that command name
is_proc() {
  [[ $1 =~ ^[0-9]+$ && -r /proc/$1/stat ]] || return 1
  local stat
  stat=$(< "/proc/$1/stat") 2> /dev/null || return 1
  # "pid (comm) S ...": the state letter follows the last ')'
  local state=${stat##*) }
  state=${state%% *}
  [[ $state != [ZX] && $(< "/proc/$1/comm") == "$2" ]] 2> /dev/null
}
pid_from() { if [[ -r $1 ]]; then tr -dc '0-9' < "$1"; fi; }
pkg_installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2> /dev/null) == "install ok installed" ]]; }
docker_ok() { docker info --format '{{.ID}}' > /dev/null 2>&1 < /dev/null; }
dk() { docker "$@" < /dev/null; }
sha() { sha256sum | cut -c1-64; }

# http_code URL [curl args...]
http_code() {
  local url=$1
  shift
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" "$url" 2> /dev/null || true
}
# manifest_digest REPO REF: the digest the registry serves for that tag, or nothing
manifest_digest() {
  curl -sf -I --max-time 5 -H "Accept: $MANIFEST_ACCEPT" "$REG_URL/v2/$1/manifests/$2" 2> /dev/null |
    tr -d '\r' | awk 'tolower($1) == "docker-content-digest:" { print $2 }' || true
}

# copy_ldd_deps ROOT FILE...: copy every shared library `ldd` reports for the files into ROOT, at
# the path ldd found it (symlinks resolved), skipping libraries inside ROOT itself. Prints the
# names of libraries ldd could not find (one per line).
copy_ldd_deps() {
  local root=$1 line path name
  shift
  local -A seen=()
  while IFS= read -r line; do
    path=
    case $line in
      *'=> not found'*)
        name=${line%% =>*}
        name=${name//[[:space:]]/}
        [[ -n ${seen[missing:$name]:-} ]] || { seen[missing:$name]=1; echo "$name"; }
        continue
        ;;
      *'=> /'*) path=${line#*=> } ;;
      *[[:space:]]/*) path=${line#"${line%%/*}"} ;;
      *) continue ;;
    esac
    path=${path%% (*}
    [[ -n $path && -z ${seen[$path]:-} ]] || continue
    seen[$path]=1
    [[ $path == "$root"/* ]] && continue
    mkdir -p "$root$(dirname "$path")"
    cp -L "$path" "$root$path"
  done < <(for f in "$@"; do ldd "$f" 2> /dev/null || true; done)
}

# new_tmp_dir NAME: a fresh build directory under /var/tmp; leftovers of interrupted builds are
# removed first (we hold the lock, so no other run is using them)
new_tmp_dir() {
  local d
  for d in /var/tmp/"$1".*; do rm -rf "$d"; done
  mktemp -d "/var/tmp/$1.XXXXXX"
}

# ---------------------------------------------------------------------------------------------
# 1 packages

step_packages() {
  step packages
  local p missing=()
  for p in "${PACKAGES[@]}"; do pkg_installed "$p" || missing+=("$p"); done
  if ((${#missing[@]} == 0)); then
    done_step "installed (${PACKAGES[*]})"
    return
  fi
  ((EUID == 0)) || die "packages missing (${missing[*]}) and not root: run as root"
  note "installing ${missing[*]} (apt-get update first)"
  # Packages must not start their services (docker-registry's would take port 5000 with the
  # packaged config); dockerd is started below. Debian images usually have this file already.
  local policy=/usr/sbin/policy-rc.d made_policy=
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && made_policy=1
  fi
  local rc=0 aptlog
  aptlog=$(mktemp)
  {
    DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300 update &&
      DEBIAN_FRONTEND=noninteractive apt-get -y -q -o DPkg::Lock::Timeout=300 \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        install --no-install-recommends "${missing[@]}"
  } > "$aptlog" 2>&1 < /dev/null || rc=$?
  [[ -z $made_policy ]] || rm -f "$policy"
  if ((rc != 0)); then
    tail -n 30 "$aptlog" >&2
    rm -f "$aptlog"
    die "apt-get failed (exit $rc) installing ${missing[*]}"
  fi
  rm -f "$aptlog"
  done_step "installed ${missing[*]}"
}

# ---------------------------------------------------------------------------------------------
# 2 dockerd

cgroups_ok() {
  [[ -e /sys/fs/cgroup/cgroup.controllers || -d /sys/fs/cgroup/memory ]]
}

# launch_dockerd: clear stale pidfiles and start dockerd in the background; prints its pid
launch_dockerd() {
  local pid cpid
  pid=$(pid_from "$DOCKERD_PIDFILE")
  if [[ -e $DOCKERD_PIDFILE ]]; then
    note "removing stale pidfile $DOCKERD_PIDFILE (pid ${pid:-none} is not a live dockerd)" >&2
    rm -f "$DOCKERD_PIDFILE"
  fi
  # dockerd would wait for a containerd it believes alive (pid reused, or a zombie)
  cpid=$(pid_from "$CONTAINERD_PIDFILE")
  if [[ -e $CONTAINERD_PIDFILE ]] && ! is_proc "$cpid" containerd; then
    rm -f "$CONTAINERD_PIDFILE"
  fi
  if ! cgroups_ok && command -v cgroupfs-mount > /dev/null; then cgroupfs-mount > /dev/null 2>&1 || true; fi
  # keep the log bounded across many restarts
  if [[ -f $DOCKERD_LOG ]] && (($(stat -c %s "$DOCKERD_LOG") > 50 * 1024 * 1024)); then
    mv -f "$DOCKERD_LOG" "$DOCKERD_LOG.1"
  fi
  printf '\n==== %s scripts/env.sh starting dockerd ====\n' "$(date -u +%FT%TZ)" >> "$DOCKERD_LOG"
  local args=(--pidfile "$DOCKERD_PIDFILE")
  [[ $DOCKER_SOCK == /var/run/docker.sock ]] || args+=(-H "unix://$DOCKER_SOCK")
  [[ $DOCKERD_EXEC_ROOT == /var/run/docker ]] || args+=(--exec-root "$DOCKERD_EXEC_ROOT")
  [[ $DOCKERD_DATA_ROOT == /var/lib/docker ]] || args+=(--data-root "$DOCKERD_DATA_ROOT")
  # New session (no signals from our terminal or process group) and no inherited descriptors
  # (the lock on fd 9, the caller's pipes: CI's output pipe must close when its script ends).
  setsid dockerd "${args[@]}" < /dev/null >> "$DOCKERD_LOG" 2>&1 9>&- &
  echo $!
}

dockerd_log_tail() {
  echo "---- last lines of $DOCKERD_LOG ----" >&2
  grep -v 'module=grpc' "$DOCKERD_LOG" | tail -n 25 >&2 || true
}

step_dockerd() {
  step dockerd
  local pid
  if docker_ok; then
    pid=$(pid_from "$DOCKERD_PIDFILE")
    done_step "running${pid:+ (pid $pid)}"
    return
  fi
  ((EUID == 0)) || die "dockerd is not answering and starting it needs root"
  mkdir -p "$LOG_DIR"
  local started='' attempt=1 what
  pid=$(pid_from "$DOCKERD_PIDFILE")
  if [[ -n $pid ]] && is_proc "$pid" dockerd; then
    what="was starting (pid $pid)"
    note "dockerd pid $pid exists but does not answer yet; waiting"
  else
    pid=$(launch_dockerd)
    started=1
  fi
  local deadline=$(($(now_us) + DOCKERD_TIMEOUT * 1000000))
  until docker_ok; do
    if ! is_proc "$pid" dockerd && ! is_proc "$pid" setsid && ! is_proc "$(pid_from "$DOCKERD_PIDFILE")" dockerd; then
      # it died (or was never ours); a second try covers leftovers of a killed engine that
      # only went away meanwhile (zombie containerd, sockets)
      if ((attempt < 2)) && (($(now_us) < deadline)); then
        dockerd_log_tail
        note "dockerd exited during start-up; trying once more"
        attempt=2
        sleep 1
        pid=$(launch_dockerd)
        started=1
        continue
      fi
      dockerd_log_tail
      die "dockerd exited during start-up (log: $DOCKERD_LOG)"
    fi
    if (($(now_us) > deadline)); then
      dockerd_log_tail
      die "dockerd did not answer within ${DOCKERD_TIMEOUT} s (log: $DOCKERD_LOG)"
    fi
    sleep 0.2
  done
  if [[ -n $started ]]; then
    what="started (pid $(pid_from "$DOCKERD_PIDFILE"))"
    ((attempt == 1)) || what+=" on the second try"
  fi
  done_step "$what"
}

# ---------------------------------------------------------------------------------------------
# 3 swarm

swarm_state() { dk info --format '{{.Swarm.LocalNodeState}}' 2> /dev/null || echo unknown; }
node_state() { dk node inspect self --format '{{.Status.State}}/{{.ManagerStatus.Reachability}}' 2> /dev/null || true; }

swarm_init() {
  dk swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377 "$@" > /dev/null
}

step_swarm() {
  step swarm
  local state what=
  state=$(swarm_state)
  if [[ $state == inactive ]]; then
    swarm_init || die "docker swarm init failed"
    what="initialised (127.0.0.1:2377)"
  fi
  # After a dockerd restart the swarm comes back by itself: pending → active, node Down → Ready.
  local deadline=$(($(now_us) + SWARM_TIMEOUT * 1000000)) ns waited='' recovered=''
  while :; do
    state=$(swarm_state)
    ns=$(node_state)
    [[ $state == active && $ns == ready/reachable ]] && break
    if (($(now_us) > deadline)); then
      if [[ -n $recovered ]]; then
        die "swarm not usable after ${SWARM_TIMEOUT} s (state '$state', node '$ns')" \
          "see $DOCKERD_LOG; 'docker swarm leave --force' then 'scripts/env.sh up' starts a new one"
      fi
      # A single-node swarm that does not come back: make a new cluster from its own state,
      # and if even that fails start afresh (the networks are re-created below).
      note "swarm stuck (state '$state', node '$ns'); forcing a new cluster"
      recovered=1
      if ! swarm_init --force-new-cluster 2> /dev/null; then
        dk swarm leave --force > /dev/null 2>&1 || true
        swarm_init || die "docker swarm init failed after leaving the broken swarm"
      fi
      what="recovered (forced new cluster)"
      deadline=$(($(now_us) + SWARM_TIMEOUT * 1000000))
    fi
    [[ -n $waited ]] || { waited=1; note "waiting for the swarm (state '$state', node '${ns:-?}')"; }
    sleep 0.25
  done
  if [[ -z $what ]]; then
    what="active, node ready${waited:+ (waited)}"
  fi
  done_step "$what"
}

# ---------------------------------------------------------------------------------------------
# 4 network

step_network() {
  step network
  local info
  info=$(dk network inspect "$CONTROL_NET" --format '{{.Driver}} {{.Scope}} {{.Attachable}}' 2> /dev/null || true)
  if [[ $info == "overlay swarm true" ]]; then
    done_step "$CONTROL_NET present"
    return
  fi
  [[ -z $info ]] || die "network $CONTROL_NET exists but is '$info', not an attachable swarm overlay" \
    "remove it (docker network rm $CONTROL_NET) and run again"
  local i
  for i in 1 2 3 4 5; do
    dk network create -d overlay --attachable "$CONTROL_NET" > /dev/null 2>&1 && break
    ((i < 5)) || die "docker network create $CONTROL_NET failed: $(dk network create -d overlay --attachable "$CONTROL_NET" 2>&1)"
    sleep 1
  done
  done_step "$CONTROL_NET created (overlay, attachable)"
}

# ---------------------------------------------------------------------------------------------
# 5 registry

# build_registry_rootfs ROOT: Debian's registry binary, the libraries it links, our config
build_registry_rootfs() {
  local root=$1
  mkdir -p "$root/usr/bin" "$root/etc/docker/registry" "$root/var/lib/registry" "$root/tmp"
  chmod 1777 "$root/tmp"
  cp -L "$REG_BINARY" "$root/usr/bin/docker-registry"
  cp "$REG_CONFIG" "$root/etc/docker/registry/config.yml"
  chmod 644 "$root/etc/docker/registry/config.yml"
  local missing
  missing=$(copy_ldd_deps "$root" "$REG_BINARY")
  [[ -z $missing ]] || die "libraries of $REG_BINARY not found: $missing"
  printf 'root:x:0:0:root:/:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' > "$root/etc/group"
}

registry_run_args() {
  echo --name "$REG_NAME" --network "$CONTROL_NET" -p "$REG_ADDR:5000" \
    -v "$REG_DATA:/var/lib/registry" --restart unless-stopped \
    --log-opt max-size=10m --log-opt max-file=3
}

registry_inputs_hash() {
  {
    sha256sum "$REG_BINARY" "$REG_CONFIG" | cut -c1-64
    ldd "$REG_BINARY" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }' | xargs -r readlink -f | xargs -r sha256sum
    declare -f build_registry_rootfs copy_ldd_deps
  } | sha
}

wait_registry() {
  local deadline=$(($(now_us) + 30 * 1000000))
  until [[ $(http_code "$REG_URL/v2/") == 200 ]]; do
    if (($(now_us) > deadline)); then
      dk logs --tail 20 "$REG_NAME" >&2 || true
      die "registry did not answer 200 on $REG_URL/v2/ within 30 s"
    fi
    sleep 0.1
  done
}

step_registry() {
  step registry
  local ihash chash cur actions=() old_image=
  ihash=$(registry_inputs_hash)
  if [[ $(dk image inspect "$REG_IMAGE" --format "{{index .Config.Labels \"$HASH_LABEL\"}}" 2> /dev/null) != "$ihash" ]]; then
    old_image=$(dk image inspect "$REG_IMAGE" --format '{{.Id}}' 2> /dev/null || true)
    local tmp
    tmp=$(new_tmp_dir defpi-registry)
    # shellcheck disable=SC2064 # expand now: tmp is local
    trap "rm -rf '$tmp'" EXIT
    build_registry_rootfs "$tmp/root"
    tar -C "$tmp/root" --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -cf - . |
      docker import \
        --change "LABEL $HASH_LABEL=$ihash" \
        --change 'EXPOSE 5000' \
        --change 'CMD ["/usr/bin/docker-registry", "serve", "/etc/docker/registry/config.yml"]' \
        - "$REG_IMAGE" > /dev/null
    rm -rf "$tmp"
    trap - EXIT
    actions+=("image built")
  fi
  chash=$(echo "$ihash $(registry_run_args)" | sha)
  cur=$(dk container inspect "$REG_NAME" --format "{{.State.Running}} {{index .Config.Labels \"$HASH_LABEL\"}}" 2> /dev/null || true)
  mkdir -p "$REG_DATA"
  # shellcheck disable=SC2046 # registry_run_args is a word list by design
  if [[ $cur == "true $chash" ]]; then
    :
  elif [[ $cur == "false $chash" ]] && dk start "$REG_NAME" > /dev/null 2>&1; then
    actions+=("container started")
  else
    [[ -z $cur ]] || dk rm -f "$REG_NAME" > /dev/null
    local out
    if ! out=$(dk run -d $(registry_run_args) --label "$HASH_LABEL=$chash" "$REG_IMAGE" 2>&1); then
      die "docker run $REG_NAME failed: $out" "what listens on port 5000: $(ss -ltnp 2> /dev/null | awk '$4 ~ /:5000$/' | tr '\n' ' ')"
    fi
    actions+=("container ${cur:+re}created")
  fi
  if [[ -n $old_image ]]; then dk rmi "$old_image" > /dev/null 2>&1 || true; fi
  wait_registry
  if ((${#actions[@]} == 0)); then
    done_step "$REG_NAME up to date, $REG_URL/v2/ 200"
  else
    local joined
    joined=$(printf '%s, ' "${actions[@]}")
    done_step "${joined%, }; $REG_URL/v2/ 200"
  fi
}

# ---------------------------------------------------------------------------------------------
# 6 jre base image

# build_jre_rootfs ROOT: jlink'd runtime at /opt/java, the libraries it links, busybox, /etc basics
build_jre_rootfs() {
  local root=$1 modules
  modules=$(IFS=,; echo "${JRE_MODULES[*]}")
  mkdir -p "$root/opt" "$root/bin" "$root/etc" "$root/tmp" "$root/root"
  "$JDK/bin/jlink" --add-modules "$modules" "${JLINK_OPTS[@]}" --output "$root/opt/java" > /dev/null
  local files=("$root"/opt/java/bin/* "$root"/opt/java/lib/*.so "$root"/opt/java/lib/server/*.so
    "$root/opt/java/lib/jspawnhelper" "$root/opt/java/lib/jexec")
  local existing=() f missing
  for f in "${files[@]}"; do [[ -f $f ]] && existing+=("$f"); done
  missing=$(LD_LIBRARY_PATH="$root/opt/java/lib:$root/opt/java/lib/server" copy_ldd_deps "$root" "${existing[@]}")
  # libjvm.so resolves inside the image (RPATH); anything else missing only matters for the
  # module that needs it (e.g. X11 for a non-headless AWT), so it is reported, not fatal.
  missing=$(grep -v '^libjvm\.so$' <<< "$missing" | tr '\n' ' ' || true)
  [[ -z ${missing// /} ]] || note "libraries not on this host, left out: $missing"
  # libgcc_s is dlopen'ed by glibc for thread cancellation/unwinding, zlib is handy for JNI code:
  # neither shows up in ldd of the (self-contained) JDK
  for f in "${JRE_EXTRA_LIBS[@]}"; do
    [[ -e $f ]] || continue
    mkdir -p "$root$(dirname "$f")"
    cp -L "$f" "$root$f"
  done
  # Debian's glibc reads the C.UTF-8 locale from disk; without it LANG=C.UTF-8 falls back to
  # ASCII (sun.jnu.encoding, System.out of a non-terminal)
  if [[ -d /usr/lib/locale/C.utf8 ]]; then
    mkdir -p "$root/usr/lib/locale"
    cp -a /usr/lib/locale/C.utf8 "$root/usr/lib/locale/"
  fi
  cp -L /bin/busybox "$root/bin/busybox"
  local a
  for a in "${BUSYBOX_APPLETS[@]}"; do ln -sf busybox "$root/bin/$a"; done
  chmod 1777 "$root/tmp"
  chmod 700 "$root/root"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' > "$root/etc/group"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"
}

jre_inputs_hash() {
  {
    cat "$JDK/release"
    echo "${JRE_MODULES[*]}" "${JLINK_OPTS[*]}" "${BUSYBOX_APPLETS[*]}" "${JRE_EXTRA_LIBS[*]}"
    dpkg-query -W -f='${Package} ${Version}\n' libc6 libc-bin busybox-static 2> /dev/null || true
    declare -f build_jre_rootfs copy_ldd_deps jre_import
  } | sha
}

# jre_import ROOT IMAGE
jre_import() {
  tar -C "$1" --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -cf - . |
    docker import \
      --change 'ENV PATH=/opt/java/bin:/bin' \
      --change 'ENV JAVA_HOME=/opt/java' \
      --change 'ENV LANG=C.UTF-8' \
      - "$2" > /dev/null
}

jre_verify() {
  local image=$1 out
  out=$(dk run --rm --network none "$image" java -version 2>&1) ||
    die "'docker run $image java -version' failed:" "$out"
  local ok
  ok=$(dk run --rm --network none "$image" sh -c 'echo ok' 2>&1) || true
  [[ $ok == ok ]] || die "'docker run $image sh -c \"echo ok\"' printed '$ok'"
  head -n 1 <<< "$out"
}

push_quiet() {
  local out
  out=$(dk push "$1" 2>&1) || die "docker push $1 failed:" "$out"
}

# retag_in_registry REPO FROM TO: point tag TO at the manifest of FROM (no docker needed)
retag_in_registry() {
  local tmp ctype
  tmp=$(mktemp)
  ctype=$(curl -sf --max-time 10 -H "Accept: $MANIFEST_ACCEPT" -o "$tmp" -w '%{content_type}' "$REG_URL/v2/$1/manifests/$2") ||
    { rm -f "$tmp"; return 1; }
  curl -sf --max-time 10 -X PUT -H "Content-Type: $ctype" --data-binary "@$tmp" "$REG_URL/v2/$1/manifests/$3" > /dev/null ||
    { rm -f "$tmp"; return 1; }
  rm -f "$tmp"
}

step_jre() {
  step jre
  [[ -x $JDK/bin/jlink && -r $JDK/release ]] || die "no JDK with jlink at $JDK (Temurin 25 expected; set DEFPI_JDK)"
  [[ -x /bin/busybox ]] || die "/bin/busybox missing (package busybox-static)"
  local hash short htag hdigest tdigest
  hash=$(jre_inputs_hash)
  short=${hash:0:12}
  htag=$JRE_TAG-$short
  hdigest=$(manifest_digest "$JRE_REPO" "$htag")
  if [[ -n $hdigest ]]; then
    tdigest=$(manifest_digest "$JRE_REPO" "$JRE_TAG")
    if [[ $tdigest == "$hdigest" ]]; then
      done_step "$JRE_IMAGE = :$htag, in registry"
      return
    fi
    retag_in_registry "$JRE_REPO" "$htag" "$JRE_TAG" || die "could not point :$JRE_TAG at :$htag in the registry"
    done_step "$JRE_IMAGE re-pointed to :$htag"
    return
  fi
  local local_img=$REG_ADDR/$JRE_REPO:$htag how
  if dk image inspect "$local_img" > /dev/null 2>&1; then
    how="pushed local :$htag"
  else
    note "building :$htag (jlink ${#JRE_MODULES[@]} modules + libraries + busybox)"
    local tmp
    tmp=$(new_tmp_dir defpi-jre)
    # shellcheck disable=SC2064 # expand now: tmp is local
    trap "rm -rf '$tmp'" EXIT
    build_jre_rootfs "$tmp/root"
    note "image rootfs $(du -sm "$tmp/root" | cut -f1) MB; importing"
    jre_import "$tmp/root" "$local_img"
    rm -rf "$tmp"
    trap - EXIT
    how="built and pushed :$htag"
  fi
  local version
  version=$(jre_verify "$local_img")
  note "verified: $version; sh ok"
  dk tag "$local_img" "$JRE_IMAGE"
  push_quiet "$local_img"
  push_quiet "$JRE_IMAGE"
  [[ $(manifest_digest "$JRE_REPO" "$JRE_TAG") == "$(manifest_digest "$JRE_REPO" "$htag")" ]] ||
    die "after the push, :$JRE_TAG and :$htag differ in the registry"
  # drop older local builds of the base image
  local old
  while read -r old; do
    [[ $old == "$local_img" ]] || dk rmi "$old" > /dev/null 2>&1 || true
  done < <(dk image ls "$REG_ADDR/$JRE_REPO" --format '{{.Repository}}:{{.Tag}}' | grep ":$JRE_TAG-" || true)
  done_step "$JRE_IMAGE $how"
}

# ---------------------------------------------------------------------------------------------
# commands

lock() {
  mkdir -p "${ENV_LOCK%/*}" 2> /dev/null || true
  exec 9> "$ENV_LOCK"
  flock -w 900 9 || die "another scripts/env.sh is still running after 900 s"
}

cmd_up() {
  lock
  step_packages
  step_dockerd
  step_swarm
  step_network
  step_registry
  step_jre
  printf '[env] ready in %s s: registry %s, base image %s, network %s\n' \
    "$(fmt_s $(($(now_us) - T_START)))" "$REG_ADDR" "$JRE_IMAGE" "$CONTROL_NET"
}

cmd_status() {
  local bad=0 p missing=() line
  for p in "${PACKAGES[@]}"; do pkg_installed "$p" || missing+=("$p"); done
  if ((${#missing[@]})); then line="MISSING ${missing[*]}"; bad=1; else line="ok (${PACKAGES[*]})"; fi
  printf '%-9s %s\n' packages "$line"

  local pid
  pid=$(pid_from "$DOCKERD_PIDFILE")
  if docker_ok; then
    printf '%-9s %s\n' dockerd "running${pid:+ (pid $pid)}, engine $(dk version --format '{{.Server.Version}}' 2> /dev/null)"
  else
    if [[ -n $pid ]] && is_proc "$pid" dockerd; then line="NOT ANSWERING (pid $pid)"
    elif [[ -e $DOCKERD_PIDFILE ]]; then line="NOT RUNNING (stale pidfile, pid ${pid:-?})"
    else line="NOT RUNNING"; fi
    printf '%-9s %s\n' dockerd "$line"
    printf '%-9s %s\n' swarm "? (no engine)" network "? (no engine)" registry "? (no engine)" jre "? (no engine)"
    return 1
  fi

  local state ns
  state=$(swarm_state)
  ns=$(node_state)
  if [[ $state == active && $ns == ready/reachable ]]; then
    line="active, node ready, addr $(dk info --format '{{.Swarm.NodeAddr}}' 2> /dev/null)"
  else
    line="NOT READY (state $state, node ${ns:-?})"
    bad=1
  fi
  printf '%-9s %s\n' swarm "$line"

  line=$(dk network inspect "$CONTROL_NET" --format '{{.Driver}} {{.Scope}} {{.Attachable}}' 2> /dev/null || true)
  if [[ $line == "overlay swarm true" ]]; then line="$CONTROL_NET ok (overlay, attachable)"
  else line="$CONTROL_NET ${line:+WRONG ($line)}${line:-MISSING}"; bad=1; fi
  printf '%-9s %s\n' network "$line"

  local cur want code
  cur=$(dk container inspect "$REG_NAME" --format "{{.State.Status}} {{index .Config.Labels \"$HASH_LABEL\"}}" 2> /dev/null || true)
  want=$(echo "$(registry_inputs_hash) $(registry_run_args)" | sha)
  code=$(http_code "$REG_URL/v2/")
  if [[ -z $cur ]]; then line="$REG_NAME MISSING"; bad=1
  else
    line="$REG_NAME ${cur%% *}"
    [[ ${cur#* } == "$want" ]] || { line+=", OUTDATED"; bad=1; }
    [[ ${cur%% *} == running ]] || bad=1
  fi
  line+=", $REG_URL/v2/ $code"
  [[ $code == 200 ]] || bad=1
  printf '%-9s %s\n' registry "$line"

  local htag hd td
  htag=$JRE_TAG-$(jre_inputs_hash | cut -c1-12)
  hd=$(manifest_digest "$JRE_REPO" "$htag")
  td=$(manifest_digest "$JRE_REPO" "$JRE_TAG")
  if [[ -n $hd && $hd == "$td" ]]; then line="$JRE_IMAGE = :$htag ($hd)"
  elif [[ -n $td ]]; then line="$JRE_IMAGE OUTDATED (current inputs are :$htag)"; bad=1
  else line="$JRE_IMAGE MISSING"; bad=1; fi
  printf '%-9s %s\n' jre "$line"
  return "$bad"
}

cmd_verify() {
  docker_ok || die "dockerd is not running (scripts/env.sh up)"
  [[ $(http_code "$REG_URL/v2/") == 200 ]] || die "registry $REG_URL does not answer"
  STEP_NAME=verify
  dk pull -q "$JRE_IMAGE" > /dev/null || die "docker pull $JRE_IMAGE failed"
  local v
  v=$(jre_verify "$JRE_IMAGE")
  echo "[env] $JRE_IMAGE: $v; sh -c 'echo ok' ok"
}

usage() {
  sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$SELF"
}

main() {
  local cmd=${1:-up}
  case $cmd in
    up) cmd_up ;;
    status) cmd_status ;;
    verify) cmd_verify ;;
    help | -h | --help) usage ;;
    *)
      echo "scripts/env.sh: unknown command '$cmd' (up, status, verify, help)" >&2
      exit 2
      ;;
  esac
}

main "$@"
