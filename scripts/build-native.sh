#!/usr/bin/env bash
# Builds agent/native/seccomp-capture (libbpf CO-RE skeleton, libbpf and libelf linked statically so
# the binary runs in the image without them). Without clang/bpftool/libbpf-dev it says so and builds
# nothing (the agent then runs without kernel-side capture); under CI that is an error.
set -euo pipefail
cd "$(dirname "$0")/../agent/native"
out=build
missing=()
command -v clang >/dev/null || missing+=(clang)
command -v bpftool >/dev/null || missing+=(bpftool)
[ -e /usr/include/bpf/libbpf.h ] || missing+=(libbpf-dev)
[ -e /usr/include/libelf.h ] || missing+=(libelf-dev)
[ -e /usr/include/zlib.h ] || missing+=(zlib1g-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "build-native: not building seccomp-capture, missing: ${missing[*]} (scripts/setup.sh installs them)" >&2
  [ -n "${CI:-}" ] && exit 1
  exit 0
fi
mkdir -p "$out"
if [ "$out/seccomp-capture" -nt seccomp-capture.c ] && [ "$out/seccomp-capture" -nt procs.bpf.c ] && [ "$out/seccomp-capture" -nt procs.h ]; then
  exit 0
fi
arch=$(uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
clang -g -O2 -target bpf -D__TARGET_ARCH_"$arch" -I/usr/include/"$(uname -m)"-linux-gnu -c procs.bpf.c -o "$out/procs.bpf.o"
llvm-strip -g "$out/procs.bpf.o" 2>/dev/null || true
bpftool gen skeleton "$out/procs.bpf.o" name procs_bpf > "$out/procs.skel.h"
cc -O2 -Wall -Wextra -I"$out" -I. seccomp-capture.c -o "$out/seccomp-capture" \
  -Wl,-Bstatic -lbpf -lelf -lz -Wl,-Bdynamic
echo "build-native: agent/native/$out/seccomp-capture" >&2
