#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian machine (run as root): the kernel-facing tools
# the tests and the local mode use, the pinned Node, then the npm packages, then builds.
set -euo pipefail
cd "$(dirname "$0")/.."

# --- Debian packages
need=()
# Only to fetch the pinned Node from the npm registry (below); the project never runs on this one.
command -v npm >/dev/null || need+=(npm)
command -v runc >/dev/null || need+=(runc)
# The kernel-side capture helper (agent/native): BPF CO-RE skeleton, libbpf and libelf linked statically.
for pkg in clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool gcc libc6-dev; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
dpkg -s busybox-static >/dev/null 2>&1 || need+=(busybox-static)
command -v scmp_sys_resolver >/dev/null || need+=(seccomp)
[ -x /lib/systemd/systemd-journald ] || need+=(systemd)
command -v journalctl >/dev/null || need+=(systemd)
# The fish completion test runs the generated script in a real fish.
command -v fish >/dev/null || need+=(fish)
# To run the arm64 single-file build in a test (qemu-user with the arm64 C and C++ runtimes).
command -v qemu-aarch64-static >/dev/null || need+=(qemu-user-static)
[ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] || need+=(libc6-arm64-cross)
[ -e /usr/aarch64-linux-gnu/lib/libstdc++.so.6 ] || need+=(libstdc++6-arm64-cross)
# The Docker-free image build (scripts/build-image.mjs) and the containerd e2e (test/src/containerd);
# the arm64 image's seccomp-capture is cross-built (scripts/build-native.sh --arch arm64).
for pkg in containerd umoci mmdebstrap binutils gcc-aarch64-linux-gnu libc6-dev-arm64-cross; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "setup: missing Debian packages (${need[*]}); run as root or install them" >&2
    [ -n "${CI:-}" ] && exit 1
  fi
fi

# --- Node: the pinned release (.node-version), first on PATH for everything below
# shellcheck source=scripts/env.sh
source scripts/env.sh

# --- npm packages and the build
npm ci --no-fund --no-audit --loglevel=error
npm run build --silent
