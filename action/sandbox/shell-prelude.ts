/**
 * The sandbox's shell, which is the container's main process (`bash -c SHELL_BOOT_SCRIPT` under
 * Docker's init). It boots once, then reads one line at a time from stdin and evaluates it. The
 * host that attaches first sends `__ih_hello NONCE`, then the verbs below, one line each (payloads
 * follow as exact byte counts, so quoting and newlines cannot break framing):
 *
 *   __ih_run ID LEN TIMEOUT_MS GRACE_MS PERSIST; eval "$__ih_restore_env"; __ih_finish ID  + LEN bytes
 *   __ih_put ID PATHLEN DATALEN                                                      + path + data bytes
 *   __ih_get ID PATHLEN                                                              + path bytes
 *
 * The nonce marks the shell's own lines in the output; it is sent per attachment, so a sandbox
 * booted ahead of need (the warm pool) learns it only from the task that claims it.
 *
 * Each command runs in one forked subshell that is its own process group (`set -m`), stdin from
 * /dev/null; its EXIT trap saves cwd and exported variables to a file and reports the exit code
 * through a FIFO. Forks are the cost of a round trip, so there is exactly one per command. The main
 * shell waits with the `read -t` builtin, so a timeout, a kill and even a fork bomb that exhausts
 * the pids limit are handled without forking; it also notices a subshell that ended without
 * reporting (exec, killed by a signal) within a 250 ms slice. Stdin closes when the attached host
 * goes away (`StdinOnce`), the loop ends and the container stops: a sandbox never outlives the
 * process that drives it.
 */
import { WORKSPACE_PATH_SHELL_FUNCTION } from "./workspace-path.ts";

/** Printed once the functions are defined, before any host has attached (the pool waits for it). */
export const SHELL_BOOTED_LINE = "inhouse-shell-booted";

/** The first line a host sends after attaching: the nonce of its markers; the shell answers `ready`. */
export function shellHello(nonce: string): string {
  return `__ih_hello '${nonce}'\n`;
}

export const SHELL_BOOT_SCRIPT = `
__ih_dir=/tmp/.inhouse-shell
mkdir -p "$__ih_dir" && chmod 700 "$__ih_dir" && rm -f "$__ih_dir/notify" && mkfifo "$__ih_dir/notify"
exec 9<>"$__ih_dir/notify"
set -m
cd /workspace
# Inherited by every command: under memory pressure the kernel kills the biggest of them, which is
# the memory hog, rather than an init or the shell. Set once: a write costs a round trip's worth.
echo 500 2>/dev/null > /proc/self/oom_score_adj
${WORKSPACE_PATH_SHELL_FUNCTION}
__ih_read_exact() {
  local LC_ALL=C
  __ih_payload=''
  [ "$1" -gt 0 ] || return 0
  IFS= read -r -N "$1" __ih_payload
}
__ih_done() { printf '%s:DONE:%s:%s:%s\\n' "$__ih_nonce" "$1" "$2" "$3"; printf '%s:END:%s\\n' "$__ih_nonce" "$1" >&2; }
__ih_hello() { __ih_nonce=$1; __ih_done ready 0 ""; }
declare -gA __ih_keep=()
compgen -e -P '__ih_keep[' -S ']=1' > "$__ih_dir/init.sh"; . "$__ih_dir/init.sh"
# Forks and file writes are the cost of a round trip, so state travels in one file, written once;
# its first line names the command that wrote it.
__ih_save_state() {
  {
    printf '#%s\\n' "$__ih_id"
    compgen -e -P '__ih_keep[' -S ']=1'
    export -p
    printf 'cd -- %q 2>/dev/null || cd /workspace\\n' "$PWD"
  } > "$__ih_dir/state.sh"
}
__ih_exit_trap() {
  local code=$?
  if [ "$__ih_persist" = 1 ]; then __ih_save_state; fi
  printf '%s %s\\n' "$__ih_id" "$code" > "$__ih_dir/notify"
}
__ih_now_us() { __ih_now=\${EPOCHREALTIME/./}; }
__ih_nl=$'\\n'
__ih_run() {
  local line pid n=0 left slice end
  __ih_id=$1 __ih_persist=$5 __ih_code=0 __ih_timed_out=0
  __ih_read_exact "$2"
  (
    exec 9>&- </dev/null
    unset __ih_nonce __ih_line __ih_applied __ih_state
    trap __ih_exit_trap EXIT
    eval "$__ih_payload"
  ) &
  pid=$!
  __ih_now_us; end=$((__ih_now + $3 * 1000))
  while :; do
    __ih_now_us; left=$((end - __ih_now))
    if [ "$left" -le 0 ]; then __ih_timed_out=1; break; fi
    # Slices, because a command that replaces the subshell (exec) or dies of a signal never reports.
    slice=$((left < 250000 ? left : 250000))
    printf -v slice '%d.%06d' $((slice / 1000000)) $((slice % 1000000))
    if IFS= read -r -t "$slice" -u 9 line; then
      if [ "\${line%% *}" = "$__ih_id" ]; then __ih_code=\${line#* }; break; fi
    elif ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null; __ih_code=$?; break
    fi
  done
  if [ "$__ih_timed_out" = 1 ]; then
    kill -TERM -- "-$pid" 2>/dev/null
    __ih_now_us; end=$((__ih_now + $4 * 1000))
    while kill -0 -- "-$pid" 2>/dev/null; do
      __ih_now_us; [ "$__ih_now" -lt "$end" ] || break
      IFS= read -r -t 0.05 -u 9 line
    done
    kill -KILL -- "-$pid" 2>/dev/null
    __ih_code=124
  fi
  wait "$pid" 2>/dev/null
  while kill -0 -- "-$pid" 2>/dev/null && [ "$n" -lt 100 ]; do
    kill -KILL -- "-$pid" 2>/dev/null; n=$((n + 1)); IFS= read -r -t 0.01 -u 9 line
  done
}
# Evaluated at top level by the host line: "declare -x" lines evaluated inside a function would
# become locals. Most commands change neither cwd nor environment: when the saved state is the one
# applied last time, applying it again would change nothing, so it is skipped (sourcing the state
# costs more than the rest of a round trip, the fork aside). A file written by another command (this
# one was killed, or replaced itself with exec) is never applied.
__ih_restore_env='if [ "$__ih_persist" = 1 ] && [ "$__ih_timed_out" != 1 ]; then
  __ih_state=(); mapfile -d "" __ih_state 2>/dev/null < "$__ih_dir/state.sh"
  if [ "\${__ih_state%%"$__ih_nl"*}" = "#$__ih_id" ] && [ "\${__ih_state#*"$__ih_nl"}" != "$__ih_applied" ]; then
    __ih_applied=\${__ih_state#*"$__ih_nl"}
    __ih_prev=("\${!__ih_keep[@]}"); __ih_keep=()
    eval "$__ih_applied"
    for __ih_n in "\${__ih_prev[@]}"; do [ -n "\${__ih_keep[$__ih_n]}" ] || unset -v "$__ih_n" 2>/dev/null; done
  fi
fi'
__ih_finish() { __ih_done "$1" "$__ih_code" "$__ih_timed_out"; }
__ih_put() {
  local id=$1 tmp="$__ih_dir/put.data" err=''
  __ih_read_exact "$2"
  local path=$__ih_payload
  head -c "$3" > "$tmp"
  if ! __ih_resolve "$path"; then err=path-refused
  elif [ -d "$__ih_resolved" ]; then err=not-a-file
  elif ! mkdir -p -- "\${__ih_resolved%/*}" 2>/dev/null || ! cat "$tmp" 2>/dev/null > "$__ih_resolved"; then err=file-io
  fi
  rm -f "$tmp"
  __ih_done "$id" "\${err:+1}" "$err"
}
__ih_get() {
  local id=$1
  __ih_read_exact "$2"
  if ! __ih_resolve "$__ih_payload"; then __ih_done "$id" 1 path-refused
  elif [ ! -e "$__ih_resolved" ]; then __ih_done "$id" 1 file-not-found
  elif [ ! -f "$__ih_resolved" ]; then __ih_done "$id" 1 not-a-file
  else
    printf '%s:DATA:%s\\n' "$__ih_nonce" "$id"
    if base64 -w0 -- "$__ih_resolved" 2>/dev/null; then printf '\\n'; __ih_done "$id" 0 ""; else printf '\\n'; __ih_done "$id" 1 file-io; fi
  fi
}
printf '%s\\n' '${SHELL_BOOTED_LINE}'
while IFS= read -r __ih_line; do eval "$__ih_line"; done
`;
