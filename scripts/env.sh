#!/usr/bin/env bash
# scripts/env.sh — the defpi runtime environment on this machine (ARCHITECTURE.md, "Runtime layout").
#
#   scripts/env.sh up       install, start and build whatever is missing; idempotent and quick when
#                           everything is already there
#   scripts/env.sh status   one line per part; exit 0 only when every part is ready
#   scripts/env.sh verify   run the JRE base image (java -version, sh -c 'echo ok'), also its
#                           linux/arm64 image under emulation
#
# Steps of `up`:
#   1 packages   apt-get install docker.io docker-registry busybox-static curl iptables jq socat tcpdump chromium
#                chromium-driver (for the browser tests), and qemu-user-static unless DEFPI_ARM64=0,
#                only if missing
#   2 node       checks Node.js 20.19+ and npm (the web UI's build); Debian 12's own is too old
#   3 dockerd    start dockerd (pidfile /var/run/docker.pid, log /var/log/defpi/dockerd.log) if
#                `docker info` fails; stale pidfiles are detected and removed
#   4 swarm      single-node swarm on loopback; after a dockerd restart wait until the node is Ready
#   5 network    attachable overlay network defpi-control
#   6 registry   image defpi/registry:local (Debian's docker-registry binary + its libraries, config
#                scripts/env/registry.yml), container defpi-registry on defpi-control, published on
#                127.0.0.1:5000 only, data in /var/lib/defpi/registry
#   7 jre        linux/amd64 base image 127.0.0.1:5000/defpi/jre:25-<hash of its inputs> (jlink'd
#                Temurin 25 + libraries + busybox); skipped when the registry has that tag
#   8 jre-arm64  arm64 emulation (qemu-user-static, binfmt_misc) and the linux/arm64 base image
#                defpi/jre:25-arm64-<hash of its recipe>: Debian trixie's OpenJDK 25 jmods linked by
#                our jlink, trixie's libc/libstdc++/zlib, busybox; pushed with curl, no daemon;
#                skipped when the registry has that tag, and entirely with DEFPI_ARM64=0 (or when
#                emulation cannot be set up here and DEFPI_ARM64 is auto: a line says why)
#   9 jre-index  defpi/jre:25 = a manifest list of both (linux/amd64, linux/arm64); without the
#                arm64 image it names the amd64 image alone
#
# Environment: DEFPI_JDK (default /usr/lib/jvm/temurin-25-jdk-amd64), DEFPI_DOCKERD_TIMEOUT (s, 60),
#              DEFPI_SWARM_TIMEOUT (s, 90), DEFPI_ARM64 (auto: arm64 when emulation can be set up
#              here, else a note and amd64 only; 1: no emulation is an error; 0: amd64 only, no qemu),
#              DEFPI_ARM64_CACHE (/var/cache/defpi/arm64: apt lists and .debs of the arm64 image),
#              DEFPI_POSTGRES (1: also the tests' PostgreSQL on 127.0.0.1:54329; 0: not it);
#              for tests of this script only: DEFPI_DOCKER_SOCK,
#              DEFPI_DOCKERD_PIDFILE, DEFPI_DOCKERD_EXEC_ROOT, DEFPI_DOCKERD_DATA_ROOT,
#              DEFPI_DOCKERD_LOG, DEFPI_REGISTRY_DATA, DEFPI_ENV_LOCK.
set -euo pipefail
shopt -s nullglob

ENV_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly ENV_DIR
readonly SELF="$ENV_DIR/env.sh"

# DEFPI_ARM64: auto (default) = build the arm64 image when arm64 emulation can be set up here, else
# say why and go on with amd64 alone; 1 = the same, but no emulation is an error; 0 = amd64 only.
readonly ARM64=${DEFPI_ARM64:-auto}
[[ $ARM64 == @(0|1|auto) ]] || { echo "scripts/env.sh: DEFPI_ARM64 must be 0, 1 or auto, not '$ARM64'" >&2; exit 2; }
# set by step jre-arm64: whether defpi/jre:25 gets its arm64 image in this run
ARM64_ACTIVE=0
PACKAGES=(docker.io docker-registry busybox-static curl iptables jq socat tcpdump chromium chromium-driver)
[[ $ARM64 == 0 ]] || PACKAGES+=(qemu-user-static)
readonly PACKAGES

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
# --generate-cds-archive: the JDK's default class-data archive (lib/server/classes.jsa), which jlink
# leaves out unless asked; with it every process's JVM starts some 30 ms sooner, 70 -> 40 ms for
# `java -version` (measured; the arm64 image cannot have it: making it runs the target's JVM).
readonly JLINK_OPTS=(--no-header-files --no-man-pages --strip-debug --compress=zip-6 --generate-cds-archive)
readonly JRE_EXTRA_LIBS=(/lib/x86_64-linux-gnu/libgcc_s.so.1 /lib/x86_64-linux-gnu/libz.so.1)
readonly BUSYBOX_APPLETS=(sh ash ls cat nc ps env echo sleep grep sed awk head tail wc id hostname
  mkdir rm cp mv ln chmod find test true false kill nslookup netstat top du df)

# The arm64 image: Debian's OpenJDK 25 for arm64 (its jmods, linked by our jlink, which can link for
# another platform), Debian's libraries and busybox. Only the recipe is hashed, not the package
# versions (that would need the network on every run): a new Debian update is picked up when the
# recipe changes or the tag is deleted from the registry.
readonly ARM64_CACHE=${DEFPI_ARM64_CACHE:-/var/cache/defpi/arm64}
readonly ARM64_SOURCES=(
  "http://deb.debian.org/debian trixie main"
  "http://deb.debian.org/debian trixie-updates main"
  "http://deb.debian.org/debian-security trixie-security main")
readonly ARM64_JDK_PACKAGE=openjdk-25-jdk-headless
readonly ARM64_LIB_PACKAGES=(libc6 libgcc-s1 libstdc++6 zlib1g liblcms2-2 libjpeg62-turbo libpng16-16t64 libgif7)
# --strip-debug would also strip native symbols with the host's objcopy, which cannot read arm64
readonly ARM64_JLINK_OPTS=(--no-header-files --no-man-pages --strip-java-debug-attributes --compress=zip-6)
readonly JRE_ARM64_PREFIX=$JRE_TAG-arm64
readonly BINFMT=/proc/sys/fs/binfmt_misc
readonly QEMU_BINFMT_CONF=/usr/lib/binfmt.d/qemu-aarch64.conf

readonly HASH_LABEL=org.defpi.env.hash
readonly DOCKER_MANIFEST_TYPE=application/vnd.docker.distribution.manifest.v2+json
readonly DOCKER_LIST_TYPE=application/vnd.docker.distribution.manifest.list.v2+json
readonly MANIFEST_ACCEPT='application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.index.v1+json'

# We start and talk to the default engine, whatever the caller's environment points at.
export DOCKER_HOST=unix://$DOCKER_SOCK
unset DOCKER_CONTEXT
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/local/sbin:/usr/sbin:/sbin ;; esac
export PATH

# ---------------------------------------------------------------------------------------------
# output and small helpers

# shellcheck disable=SC2034 # read by lib/progress.sh
readonly STEP_COUNT=9
# shellcheck disable=SC2034 # read by lib/progress.sh
LOG_TAG=env STEP_WIDTH=9
# shellcheck source=lib/progress.sh
source "$ENV_DIR/lib/progress.sh"
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

# Node.js for the web UI's build (web/: Vite 8 wants 20.19+ or 22.12+). Debian 12's own package is
# 18, too old, so this checks rather than installs: these machines come with Node.js 20 and npm.
step_node() {
  step node
  command -v node > /dev/null && command -v npm > /dev/null ||
    die "Node.js and npm are needed to build the web UI (web/); install Node.js 20.19 or later with npm"
  local v major minor
  v=$(node --version 2> /dev/null) || die "node --version failed"
  v=${v#v}
  major=${v%%.*}
  minor=${v#*.}
  minor=${minor%%.*}
  if ((major < 20 || (major == 20 && minor < 19) || (major == 22 && minor < 12))); then
    die "Node.js $v is too old for the web UI's build (Vite 8): install 20.19 or later (or 22.12+)"
  fi
  done_step "node $v, npm $(npm --version 2> /dev/null)"
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
  local htag
  htag=$(jre_amd64_tag)
  if [[ -n $(manifest_digest "$JRE_REPO" "$htag") ]]; then
    done_step ":$htag (linux/amd64) in registry"
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
  # the local :25 tag is for `docker run` by hand; the registry's :25 is set in step jre-index
  dk tag "$local_img" "$JRE_IMAGE"
  push_quiet "$local_img"
  [[ -n $(manifest_digest "$JRE_REPO" "$htag") ]] || die "after the push, the registry has no :$htag"
  # drop older local builds of the base image
  local old
  while read -r old; do
    [[ $old == "$local_img" ]] || dk rmi "$old" > /dev/null 2>&1 || true
  done < <(dk image ls "$REG_ADDR/$JRE_REPO" --format '{{.Repository}}:{{.Tag}}' | grep ":$JRE_TAG-[0-9a-f]*$" || true)
  done_step "$how (linux/amd64)"
}

jre_amd64_tag() { echo "$JRE_TAG-$(jre_inputs_hash | cut -c1-12)"; }

# ---------------------------------------------------------------------------------------------
# 7 jre-arm64

# arm64_emulation: qemu-aarch64 registered with binfmt_misc (the kernel forgets it at reboot and no
# service registers it here). The F flag of Debian's entry makes the kernel open the interpreter at
# registration, so it also works inside containers, which do not have the host's /usr/libexec.
arm64_emulation() {
  if [[ -r $BINFMT/qemu-aarch64 ]]; then
    if [[ $(head -n 1 "$BINFMT/qemu-aarch64") != enabled ]] && ! echo 1 > "$BINFMT/qemu-aarch64" 2> /dev/null; then
      echo "qemu-aarch64 is registered in $BINFMT but disabled, and could not be enabled"
      return 1
    fi
    echo "registered"
    return
  fi
  if ((EUID != 0)); then
    echo "arm64 emulation is not set up (qemu-aarch64 in $BINFMT), and setting it up needs root"
    return 1
  fi
  if [[ ! -r $QEMU_BINFMT_CONF ]]; then
    echo "$QEMU_BINFMT_CONF missing (package qemu-user-static)"
    return 1
  fi
  if [[ ! -e $BINFMT/register ]] && ! mount -t binfmt_misc binfmt_misc "$BINFMT" 2> /dev/null; then
    echo "cannot mount binfmt_misc on $BINFMT (a container without that privilege?)"
    return 1
  fi
  if ! grep -v '^#' "$QEMU_BINFMT_CONF" | head -n 1 > "$BINFMT/register" 2> /dev/null; then
    echo "could not register qemu-aarch64 with $BINFMT/register"
    return 1
  fi
  echo "registered now"
}

# arm64_apt ARGS...: apt-get with a private arm64-only view of Debian trixie under $ARM64_CACHE;
# the host's sources, architectures, lists and dpkg status are left alone
arm64_apt() {
  local d=$ARM64_CACHE/apt
  "${APT_CMD:-apt-get}" -q \
    -o "Dir::Etc::sourcelist=$d/sources.list" -o "Dir::Etc::sourceparts=$d/empty" \
    -o "Dir::Etc::preferences=$d/empty/preferences" -o "Dir::Etc::preferencesparts=$d/empty" \
    -o "Dir::State=$d/state" -o "Dir::State::lists=$d/lists" -o "Dir::State::status=$d/status" \
    -o "Dir::Cache=$d/cache" -o APT::Architecture=arm64 -o APT::Architectures::=arm64 \
    -o Acquire::Languages=none -o APT::Sandbox::User=root "$@"
}

# arm64_fetch DIR: the .debs of the arm64 image, newest versions, into DIR (kept between builds)
arm64_fetch() {
  local d=$ARM64_CACHE/apt src
  mkdir -p "$d/empty" "$d/state" "$d/lists/partial" "$d/cache/archives/partial" "$1"
  : > "$d/status"
  for src in "${ARM64_SOURCES[@]}"; do
    echo "deb [arch=arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $src"
  done > "$d/sources.list"
  local log
  log=$(arm64_apt update 2>&1) || die "apt-get update for Debian arm64 failed:" "$(tail -n 5 <<< "$log")"
  # apt-get download skips a .deb it already has; older versions a former build left are removed
  local packages=("$ARM64_JDK_PACKAGE" "${ARM64_LIB_PACKAGES[@]}" libc-bin busybox-static) wanted f
  wanted=$(arm64_apt download --print-uris "${packages[@]}" 2>&1 | awk '$1 ~ /^'"'"'http/ { print $2 }') ||
    die "apt-get could not resolve the arm64 packages (${packages[*]})"
  for f in "$1"/*.deb; do grep -qxF "${f##*/}" <<< "$wanted" || rm -f "$f"; done
  (cd "$1" && arm64_apt download "${packages[@]}") > "$ARM64_CACHE/download.log" 2>&1 ||
    die "apt-get download of the arm64 packages failed:" "$(tail -n 5 "$ARM64_CACHE/download.log")"
}

# build_arm64_rootfs ROOT DEBS WORK: like build_jre_rootfs, from Debian's arm64 packages in DEBS
build_arm64_rootfs() {
  local root=$1 debs=$2 work=$3 p deb modules
  modules=$(IFS=,; echo "${JRE_MODULES[*]}")
  mkdir -p "$root/opt" "$root/bin" "$root/etc" "$root/tmp" "$root/root" "$root/usr" "$work/jdk" "$work/libs"
  dpkg-deb -x "$debs/${ARM64_JDK_PACKAGE}"_*_arm64.deb "$work/jdk"
  for p in "${ARM64_LIB_PACKAGES[@]}"; do
    for deb in "$debs/${p}"_*_arm64.deb; do dpkg-deb -x "$deb" "$work/libs"; done
  done
  local jmods=("$work"/jdk/usr/lib/jvm/*/jmods)
  [[ -d ${jmods[0]:-} ]] || die "no jmods in $ARM64_JDK_PACKAGE"
  # jlink of a JDK 25.0.x links the jmods of any 25.0.y, for any platform
  "$JDK/bin/jlink" --module-path "${jmods[0]}" --add-modules "$modules" "${ARM64_JLINK_OPTS[@]}" \
    --output "$root/opt/java" > /dev/null
  # trixie is merged-/usr: the libraries are in /usr/lib, the ELF interpreter is /lib/ld-linux-aarch64.so.1
  cp -a "$work/libs/usr/lib" "$root/usr/"
  ln -s usr/lib "$root/lib"
  dpkg-deb --fsys-tarfile "$debs"/libc-bin_*_arm64.deb | tar -x -C "$root" ./usr/lib/locale/C.utf8
  dpkg-deb --fsys-tarfile "$debs"/busybox-static_*_arm64.deb | tar -xO ./usr/bin/busybox > "$root/bin/busybox"
  chmod 755 "$root/bin/busybox"
  local a
  for a in "${BUSYBOX_APPLETS[@]}"; do ln -sf busybox "$root/bin/$a"; done
  chmod 1777 "$root/tmp"
  chmod 700 "$root/root"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' > "$root/etc/group"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"
}

# arm64_missing_libs ROOT: libraries the runtime's ELF files need that the rootfs lacks (reported,
# not fatal: e.g. X11 only matters to a non-headless AWT)
arm64_missing_libs() {
  command -v readelf > /dev/null || return 0
  local root=$1
  find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec readelf -d {} + 2> /dev/null |
    sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u | while read -r lib; do
      [[ -e $root/usr/lib/aarch64-linux-gnu/$lib || -e $root/usr/lib/$lib || -e $root/opt/java/lib/$lib ||
        -e $root/opt/java/lib/server/$lib ]] || echo "$lib"
    done | tr '\n' ' '
}

arm64_inputs_hash() {
  {
    cat "$JDK/release"
    printf '%s\n' "${ARM64_SOURCES[@]}"
    echo "$ARM64_JDK_PACKAGE ${ARM64_LIB_PACKAGES[*]} ${JRE_MODULES[*]} ${ARM64_JLINK_OPTS[*]} ${BUSYBOX_APPLETS[*]}"
    declare -f arm64_fetch build_arm64_rootfs push_rootfs_image
  } | sha
}

jre_arm64_tag() { echo "$JRE_ARM64_PREFIX-$(arm64_inputs_hash | cut -c1-12)"; }

# push_blob REPO FILE: upload FILE as a blob (monolithic), unless the registry has it; prints its digest
push_blob() {
  local repo=$1 file=$2 digest location
  digest=sha256:$(sha256sum < "$file" | cut -c1-64)
  if [[ $(http_code "$REG_URL/v2/$repo/blobs/$digest" -I) != 200 ]]; then
    location=$(curl -sf --max-time 10 -X POST -D - -o /dev/null "$REG_URL/v2/$repo/blobs/uploads/" |
      tr -d '\r' | awk 'tolower($1) == "location:" { print $2 }') || die "registry refused a blob upload to $repo"
    [[ $location == http* ]] || location=$REG_URL$location
    [[ $location == *\?* ]] && location+="&" || location+="?"
    curl -sf --max-time 300 -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$file" \
      "${location}digest=$digest" -o /dev/null || die "upload of $file ($digest) to $repo failed"
  fi
  echo "$digest"
}

# put_manifest REPO REF TYPE FILE
put_manifest() {
  curl -sf --max-time 30 -X PUT -H "Content-Type: $3" --data-binary "@$4" "$REG_URL/v2/$1/manifests/$2" -o /dev/null ||
    die "the registry refused manifest $1:$2: $(curl -s -X PUT -H "Content-Type: $3" --data-binary "@$4" "$REG_URL/v2/$1/manifests/$2")"
}

# push_rootfs_image ROOT WORK REPO TAG ARCH: ROOT as a one-layer image pushed straight to the registry
# (Docker image manifest v2; no daemon: engine 20.10's `docker import --platform` is ignored). No
# labels, like the amd64 image: a service image inherits its base's labels.
push_rootfs_image() {
  local root=$1 work=$2 repo=$3 tag=$4 arch=$5 diff_id layer config
  tar -C "$root" --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -cf "$work/layer.tar" .
  diff_id=sha256:$(sha256sum < "$work/layer.tar" | cut -c1-64)
  gzip -n -6 < "$work/layer.tar" > "$work/layer.tar.gz"
  rm -f "$work/layer.tar"
  jq -cn --arg arch "$arch" --arg diff "$diff_id" '{
      architecture: $arch, os: "linux", created: "1970-01-01T00:00:00Z",
      config: {Env: ["PATH=/opt/java/bin:/bin", "JAVA_HOME=/opt/java", "LANG=C.UTF-8"]},
      rootfs: {type: "layers", diff_ids: [$diff]},
      history: [{created: "1970-01-01T00:00:00Z", created_by: "defpi scripts/env.sh"}]}' > "$work/config.json"
  layer=$(push_blob "$repo" "$work/layer.tar.gz")
  config=$(push_blob "$repo" "$work/config.json")
  jq -cn --arg mt "$DOCKER_MANIFEST_TYPE" --arg config "$config" --argjson csize "$(stat -c %s "$work/config.json")" \
    --arg layer "$layer" --argjson lsize "$(stat -c %s "$work/layer.tar.gz")" '{
      schemaVersion: 2, mediaType: $mt,
      config: {mediaType: "application/vnd.docker.container.image.v1+json", size: $csize, digest: $config},
      layers: [{mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", size: $lsize, digest: $layer}]}' \
    > "$work/manifest.json"
  put_manifest "$repo" "$tag" "$DOCKER_MANIFEST_TYPE" "$work/manifest.json"
}

# jre_verify_arm64 IMAGE: java -version and sh under emulation; prints java's first line
jre_verify_arm64() {
  local image=$1 out ok
  out=$(dk pull -q --platform linux/arm64 "$image" 2>&1) || die "docker pull --platform linux/arm64 $image failed:" "$out"
  out=$(dk run --rm --platform linux/arm64 --network none "$image" java -version 2>&1) ||
    die "'docker run --platform linux/arm64 $image java -version' failed:" "$out"
  ok=$(dk run --rm --platform linux/arm64 --network none "$image" sh -c 'echo ok; uname -m' 2>&1) || true
  [[ $ok == $'ok\naarch64' ]] || die "'docker run --platform linux/arm64 $image sh -c \"echo ok; uname -m\"' printed '$ok'"
  head -n 1 <<< "$out"
}

step_jre_arm64() {
  step jre-arm64
  if [[ $ARM64 == 0 ]]; then
    done_step "skipped (DEFPI_ARM64=0)"
    return
  fi
  local emulation
  if ! emulation=$(arm64_emulation); then
    [[ $ARM64 == auto ]] || die "$emulation" "run with DEFPI_ARM64=0 (or auto) to go on without arm64"
    done_step "NOT BUILT: $emulation; base image amd64 only (DEFPI_ARM64=0 skips this quietly)"
    return
  fi
  ARM64_ACTIVE=1
  local htag image
  htag=$(jre_arm64_tag)
  image=$REG_ADDR/$JRE_REPO:$htag
  if [[ -n $(manifest_digest "$JRE_REPO" "$htag") ]]; then
    done_step ":$htag (linux/arm64) in registry; qemu $emulation"
    return
  fi
  note "building :$htag (Debian trixie arm64 packages, jlink ${#JRE_MODULES[@]} modules; qemu $emulation)"
  local tmp t0
  tmp=$(new_tmp_dir defpi-jre-arm64)
  # shellcheck disable=SC2064 # expand now: tmp is local
  trap "rm -rf '$tmp'" EXIT
  t0=$(now_us)
  arm64_fetch "$ARM64_CACHE/debs"
  local f versions=
  for f in "$ARM64_CACHE/debs/${ARM64_JDK_PACKAGE}"_*.deb "$ARM64_CACHE/debs"/libc6_*.deb; do
    f=${f##*/}
    f=${f%_arm64.deb}
    versions+="${f//%3a/:} "
  done
  note "packages fetched in $(fmt_s $(($(now_us) - t0))) s: $versions"
  build_arm64_rootfs "$tmp/root" "$ARM64_CACHE/debs" "$tmp/work"
  local missing
  missing=$(arm64_missing_libs "$tmp/root")
  [[ -z ${missing// /} ]] || note "libraries not in the image, left out: $missing"
  note "image rootfs $(du -sm "$tmp/root" | cut -f1) MB; pushing"
  push_rootfs_image "$tmp/root" "$tmp" "$JRE_REPO" "$htag" arm64
  rm -rf "$tmp"
  trap - EXIT
  local version
  version=$(jre_verify_arm64 "$image")
  note "verified under emulation: $version; sh ok"
  local old
  while read -r old; do
    [[ $old == "$image" ]] || dk rmi "$old" > /dev/null 2>&1 || true
  done < <(dk image ls "$REG_ADDR/$JRE_REPO" --format '{{.Repository}}:{{.Tag}}' | grep ":$JRE_ARM64_PREFIX-" || true)
  done_step "built and pushed :$htag (linux/arm64)"
}

# ---------------------------------------------------------------------------------------------
# 8 jre-index

manifest_size() {
  curl -sf -I --max-time 5 -H "Accept: $MANIFEST_ACCEPT" "$REG_URL/v2/$1/manifests/$2" 2> /dev/null |
    tr -d '\r' | awk 'tolower($1) == "content-length:" { print $2 }' || true
}

# jre_index_json: the manifest list :25 should be (bytes fixed by its inputs, so its digest is too)
jre_index_json() {
  local amd=$1 arm=$2
  jq -cn --arg mt "$DOCKER_LIST_TYPE" --arg im "$DOCKER_MANIFEST_TYPE" \
    --arg ad "$(manifest_digest "$JRE_REPO" "$amd")" --argjson asize "$(manifest_size "$JRE_REPO" "$amd")" \
    --arg rd "$(manifest_digest "$JRE_REPO" "$arm")" --argjson rsize "$(manifest_size "$JRE_REPO" "$arm")" '{
      schemaVersion: 2, mediaType: $mt, manifests: [
        {mediaType: $im, size: $asize, digest: $ad, platform: {architecture: "amd64", os: "linux"}},
        {mediaType: $im, size: $rsize, digest: $rd, platform: {architecture: "arm64", os: "linux", variant: "v8"}}]}'
}

step_jre_index() {
  step jre-index
  local amd want cur
  amd=$(jre_amd64_tag)
  cur=$(manifest_digest "$JRE_REPO" "$JRE_TAG")
  if [[ $ARM64_ACTIVE == 0 ]]; then
    want=$(manifest_digest "$JRE_REPO" "$amd")
    if [[ $cur == "$want" ]]; then
      done_step ":$JRE_TAG = :$amd (amd64 only)"
    else
      retag_in_registry "$JRE_REPO" "$amd" "$JRE_TAG" || die "could not point :$JRE_TAG at :$amd in the registry"
      done_step ":$JRE_TAG re-pointed to :$amd (amd64 only)"
    fi
    return
  fi
  local arm json
  arm=$(jre_arm64_tag)
  [[ -n $(manifest_digest "$JRE_REPO" "$amd") && -n $(manifest_digest "$JRE_REPO" "$arm") ]] ||
    die "the registry lacks :$amd or :$arm (steps jre and jre-arm64 push them)"
  json=$(jre_index_json "$amd" "$arm")
  want=sha256:$(printf '%s' "$json" | sha)
  if [[ $cur == "$want" ]]; then
    done_step ":$JRE_TAG = list of :$amd, :$arm"
    return
  fi
  local tmp
  tmp=$(mktemp)
  printf '%s' "$json" > "$tmp"
  put_manifest "$JRE_REPO" "$JRE_TAG" "$DOCKER_LIST_TYPE" "$tmp"
  rm -f "$tmp"
  [[ $(manifest_digest "$JRE_REPO" "$JRE_TAG") == "$want" ]] || die "after the PUT, :$JRE_TAG is not the manifest list $want"
  done_step ":$JRE_TAG ${cur:+re-}pointed to a list of :$amd, :$arm"
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
  step_node
  step_dockerd
  step_swarm
  step_network
  step_registry
  step_jre
  step_jre_arm64
  step_jre_index
  # the store's tests also run against PostgreSQL: a throw-away cluster on 127.0.0.1:54329
  # (DEFPI_POSTGRES=0 leaves it out: the demo runs on the embedded database)
  if [[ ${DEFPI_POSTGRES:-1} != 0 ]]; then
    local pg_url
    # 9>&-: the server must not inherit our lock, or every later run waits for it to exit
    pg_url=$(bash "$ENV_DIR/postgres.sh" up 9>&-)
    printf '[env] postgres %s\n' "$pg_url"
  fi
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
    printf '%-9s %s\n' swarm "? (no engine)" network "? (no engine)" registry "? (no engine)" jre "? (no engine)" \
      jre-arm64 "? (no engine)" jre-index "? (no engine)"
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

  local htag atag hd ad td want
  htag=$(jre_amd64_tag)
  hd=$(manifest_digest "$JRE_REPO" "$htag")
  if [[ -n $hd ]]; then line=":$htag (linux/amd64) $hd"; else line=":$htag (linux/amd64) MISSING"; bad=1; fi
  printf '%-9s %s\n' jre "$line"
  local emulated=
  [[ -r $BINFMT/qemu-aarch64 && $(head -n 1 "$BINFMT/qemu-aarch64") == enabled ]] && emulated=1
  if [[ $ARM64 == 0 ]]; then
    printf '%-9s %s\n' jre-arm64 "off (DEFPI_ARM64=0)"
    want=$hd
  elif [[ $ARM64 == auto && -z $emulated ]]; then
    printf '%-9s %s\n' jre-arm64 "off: no arm64 emulation here (qemu-aarch64 not in $BINFMT)"
    want=$hd
  else
    atag=$(jre_arm64_tag)
    ad=$(manifest_digest "$JRE_REPO" "$atag")
    if [[ -n $ad ]]; then line=":$atag (linux/arm64) $ad"; else line=":$atag (linux/arm64) MISSING"; bad=1; fi
    if [[ -n $emulated ]]; then line+=", qemu registered"
    else line+=", qemu NOT REGISTERED"; bad=1; fi
    printf '%-9s %s\n' jre-arm64 "$line"
    want=
    [[ -z $hd || -z $ad ]] || want=sha256:$(jre_index_json "$htag" "$atag" | tr -d '\n' | sha)
  fi
  td=$(manifest_digest "$JRE_REPO" "$JRE_TAG")
  if [[ -n $want && $td == "$want" ]]; then line="$JRE_IMAGE = ${ad:+list of }:$htag${ad:+, :$atag} ($td)"
  elif [[ -n $td ]]; then line="$JRE_IMAGE OUTDATED ($td)"; bad=1
  else line="$JRE_IMAGE MISSING"; bad=1; fi
  printf '%-9s %s\n' jre-index "$line"
  return "$bad"
}

cmd_verify() {
  docker_ok || die "dockerd is not running (scripts/env.sh up)"
  [[ $(http_code "$REG_URL/v2/") == 200 ]] || die "registry $REG_URL does not answer"
  STEP_NAME=verify
  dk pull -q "$JRE_IMAGE" > /dev/null || die "docker pull $JRE_IMAGE failed"
  local v
  v=$(jre_verify "$JRE_IMAGE")
  echo "[env] $JRE_IMAGE linux/amd64: $v; sh -c 'echo ok' ok"
  if [[ $ARM64 != 0 && -n $(manifest_digest "$JRE_REPO" "$(jre_arm64_tag)") ]]; then
    [[ -r $BINFMT/qemu-aarch64 ]] || die "qemu-aarch64 is not registered in $BINFMT (scripts/env.sh up)"
    # by its own tag: pulling :25 for arm64 would make the engine's local :25 the arm64 image
    local arm
    arm=$REG_ADDR/$JRE_REPO:$(jre_arm64_tag)
    v=$(jre_verify_arm64 "$arm")
    echo "[env] $arm linux/arm64 (emulated): $v; sh -c 'echo ok; uname -m' aarch64"
  fi
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
