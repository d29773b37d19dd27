#!/usr/bin/env bash
# Fresh machine to the whole loop, no cluster: install and build, check this machine the way the agent
# checks a node, lint and push the catalog, then run a demo container (examples/demo) under the
# catalog's audit profile while `watch` records what it does, lint the profile watch suggests, and run
# the demo again under it: it must finish, and the kernel must log no call the profile would deny.
# The trial profile is the catalog's audit-all plus what runc itself calls (examples/demo/README.md).
# Everything it starts is removed at exit. --skip-setup: the install and build are done already.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${1:-}" = --skip-setup ] || scripts/setup.sh
source scripts/env.sh
bin=node_modules/.bin/kubectl-seccomp
work=$(mktemp -d /tmp/kubectl-seccomp-quickstart.XXXXXX)
profiles=$work/profiles
pod_uid=$(cat /proc/sys/kernel/random/uuid)
containers=()
watch_pid=
audit_pid=

say() { printf '== %s\n' "$*"; }

cleanup() {
  [ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null && wait "$watch_pid" 2>/dev/null
  [ -n "$audit_pid" ] && kill "$audit_pid" 2>/dev/null && wait "$audit_pid" 2>/dev/null
  for id in "${containers[@]}"; do runc delete -f "$id" >/dev/null 2>&1 || true; done
  # runc removes each container's cgroup; the pod level above it is ours.
  for root in /sys/fs/cgroup /sys/fs/cgroup/*; do rmdir "$root/kubepods/besteffort/pod$pod_uid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Runs the demo to its end under PROFILE (a file in the profile dir, as the kubelet hands it to runc),
# in a kubepods cgroup like a pod's container; its output goes to $work/NAME.out.
run_demo() {
  local name=$1 profile=$2 id
  id=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
  containers+=("$id")
  examples/demo/bundle.sh "$work/$name" "$profile" "/kubepods/besteffort/pod$pod_uid/$id"
  runc run --bundle "$work/$name" "$id" < /dev/null > "$work/$name.out" 2>&1
}

say "doctor --local: is seccomp going to work on this machine, and if not, why"
"$bin" doctor --local || echo "(doctor exited $?: see the failed checks above)"

say "lint: the shipped catalog parses, validates and lints clean"
"$bin" lint profiles/catalog

say "push --local (twice) into a scratch profile dir: the second push changes nothing"
"$bin" push --local --profile-dir "$profiles"
"$bin" push --local --profile-dir "$profiles"

say "push --local examples/demo/trial.json: audit-all (log every call) that lets runc's own calls through"
"$bin" push --local --profile-dir "$profiles" examples/demo/trial.json > /dev/null

# The kernel's default printk limits stay: the agent reads every record from the audit multicast
# group and names short-lived processes from BPF process events (docs/capture.md).
say "watch --local: following this kernel's seccomp records (every record, each named by its container)"
"$bin" watch --local -o json --stats --duration 5m --suggest "$work/suggested.json" --base examples/demo/trial.json \
  > "$work/watch.jsonl" 2> "$work/watch.err" &
watch_pid=$!
for _ in $(seq 300); do grep -q '"kind":"stats"' "$work/watch.jsonl" 2>/dev/null && break; sleep 0.1; done
grep -q '"kind":"stats"' "$work/watch.jsonl" || { cat "$work/watch.err" >&2; echo "watch did not start" >&2; exit 1; }

say "demo: examples/demo in kubepods pod $pod_uid under kubectl-seccomp/trial.json (blocks nothing, logs every call of the demo's)"
run_demo trial "$profiles/kubectl-seccomp/trial.json"
sed 's/^/   demo| /' "$work/trial.out"
# The agent polls the kernel log: a moment for the last records, then stop the watch as Ctrl-C does.
sleep 2
kill -INT "$watch_pid"
status=0
wait "$watch_pid" || status=$?
watch_pid=
# 130: stopped by Ctrl-C (SIGINT), the way a user ends a watch.
[ "$status" = 130 ] || [ "$status" = 0 ] || { cat "$work/watch.err" >&2; echo "watch failed ($status)" >&2; exit 1; }
node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map(JSON.parse);
  const v = lines.filter((l) => l.kind === "violation");
  const unnamed = v.filter((x) => x.identity === "unnamed").length;
  console.log(`== watch saw ${v.length} violations of ${new Set(v.map((x) => x.syscall)).size} syscalls (${unnamed} from processes that exited before they could be named)`);
' "$work/watch.jsonl"
sed 's/^/   watch| /' "$work/watch.err"
test -s "$work/suggested.json" || { echo "watch wrote no suggestion" >&2; exit 1; }

say "lint suggested.json: the trial's allow list plus every syscall seen, denying the rest (EPERM)"
"$bin" lint "$work/suggested.json"

say "push --local suggested.json, and its audit-mode twin (what it would deny is logged, not denied)"
"$bin" push --local --profile-dir "$profiles" "$work/suggested.json" > /dev/null
"$bin" push --local --profile-dir "$profiles" --audit --prefix check "$work/suggested.json" > /dev/null

say "demo again under suggested.json (enforcing): it must run to its end"
run_demo enforce "$profiles/kubectl-seccomp/suggested.json" || { cat "$work/enforce.out" >&2; echo "the demo failed under the suggested profile" >&2; exit 1; }
grep -q 'main loop done' "$work/enforce.out" || { cat "$work/enforce.out" >&2; echo "the demo did not reach its end" >&2; exit 1; }

say "demo again under the audit-mode twin: the kernel's own records must hold no call the profile would deny"
# The oracle is the kernel, not watch: the audit multicast group carries every record unthrottled
# (seccomp-capture prints them as they come), else the kernel log, which printk's limit may thin.
capture=agent/native/build/seccomp-capture
marker="kubectl-seccomp quickstart check $(basename "$work")"
echo "$marker" > /dev/kmsg
audit_src="kernel log"
if [ -x "$capture" ]; then
  "$capture" audit > "$work/check.audit" 2> "$work/check.audit.err" &
  audit_pid=$!
  for _ in $(seq 100); do grep -q '^ready' "$work/check.audit" 2>/dev/null && break; sleep 0.1; done
  if grep -q '^ready' "$work/check.audit"; then audit_src="audit multicast group"; else kill "$audit_pid"; wait "$audit_pid" 2>/dev/null || true; audit_pid=; fi
fi
run_demo check "$profiles/check/suggested.json"
window=$(dmesg | sed -n "/$marker/,\$p")
if [ -n "$audit_pid" ]; then
  sleep 1 # the last records of the demo's exit reach the group
  kill "$audit_pid"; wait "$audit_pid" 2>/dev/null || true; audit_pid=
  records=$(grep '^seccomp ' "$work/check.audit" || true)
  # Records the audit backlog dropped never reach the group; the kernel logs how many.
  dropped='audit_lost='
else
  records=$(grep 'type=1326' <<< "$window" || true)
  dropped='callbacks suppressed|audit_lost='
fi
if grep -qE "$dropped" <<< "$window"; then
  echo "the kernel dropped records during the check: cannot vouch for 0 violations" >&2
  exit 1
fi
denied=$(grep -cE 'exe="(/bin/demo-busybox|/)"' <<< "$records" || true)
if [ "$denied" != 0 ]; then
  grep -E 'exe="(/bin/demo-busybox|/)"' <<< "$records" >&2
  echo "the demo made $denied call(s) the suggested profile denies" >&2
  exit 1
fi
echo "== the demo ran with 0 violations under the suggested profile (checked in the kernel's $audit_src)"

echo
echo "On a cluster (kubectl apply -k manifests/base first), the same loop:"
echo "  kubectl seccomp push --audit my-app.json                      # trial: log what the profile would deny"
echo "  kubectl seccomp watch -n my-ns --suggest suggested.json --base my-app.json   # run the workload, then quit"
echo "  kubectl seccomp push suggested.json                           # enforce what was seen"
