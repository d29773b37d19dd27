#!/usr/bin/env bash
# Builds the demo's OCI bundle for runc: a busybox-static root filesystem (installed as
# /bin/demo-busybox, so the kernel's records name it) with entrypoint.sh, and a config.json that runs
# it under the seccomp profile PROFILE (an OCI profile file, as the kubelet hands it to the runtime)
# in the cgroup CGROUPS_PATH.
# Usage: bundle.sh DIR PROFILE CGROUPS_PATH
set -euo pipefail
dir=$1 profile=$2 cgroups=$3
here=$(cd "$(dirname "$0")" && pwd)
busybox=${BUSYBOX:-/bin/busybox}
mkdir -p "$dir/rootfs/bin" "$dir/rootfs/tmp"
cp "$busybox" "$dir/rootfs/bin/demo-busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -sf demo-busybox "$dir/rootfs/bin/$applet"
done
cp "$here/entrypoint.sh" "$dir/rootfs/entrypoint.sh"
runc spec --bundle "$dir"
node - "$dir/config.json" "$profile" "$cgroups" <<'JS'
const fs = require('node:fs');
const [file, profile, cgroupsPath] = process.argv.slice(2);
const config = JSON.parse(fs.readFileSync(file, 'utf8'));
config.process.terminal = false;
config.process.args = ['/bin/sh', '/entrypoint.sh'];
config.process.env.push(`DEMO_TICKS=${process.env.DEMO_TICKS ?? 3}`);
config.root.readonly = false;
config.hostname = 'demo';
config.linux.seccomp = JSON.parse(fs.readFileSync(profile, 'utf8'));
config.linux.cgroupsPath = cgroupsPath;
fs.writeFileSync(file, JSON.stringify(config, null, 2));
JS
