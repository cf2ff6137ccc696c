# scripts/lib/progress.sh — the progress lines and small process helpers that scripts/env.sh and
# scripts/cluster.sh share. Source it after setting LOG_TAG (the line prefix, like env) and
# STEP_WIDTH (the width of the step-name column).

STEP_NO=0
STEP_NAME=
STEP_T0=0

now_us() { local t=${EPOCHREALTIME/./}; echo "$((10#$t))"; }
fmt_s() { printf '%d.%02d' $(($1 / 1000000)) $((($1 % 1000000) / 10000)); }
T_START=$(now_us)

step() { STEP_NO=$((STEP_NO + 1)); STEP_NAME=$1; STEP_T0=$(now_us); }
# done_step MESSAGE: the one progress line of a step, with its duration
done_step() {
  printf "[%s] %d/%d %-${STEP_WIDTH}s %-62s %6s s\n" "$LOG_TAG" "$STEP_NO" "$STEP_COUNT" "$STEP_NAME" "$1" \
    "$(fmt_s $(($(now_us) - STEP_T0)))"
}
# note MESSAGE: an extra line inside a long step
note() { printf "[%s]     %-${STEP_WIDTH}s %s\n" "$LOG_TAG" "$STEP_NAME" "$1"; }
die() {
  printf '[%s] ERROR%s: %s\n' "$LOG_TAG" "${STEP_NAME:+ in step $STEP_NAME}" "$1" >&2
  shift
  local line
  for line in "$@"; do printf '[%s]   %s\n' "$LOG_TAG" "$line" >&2; done
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
