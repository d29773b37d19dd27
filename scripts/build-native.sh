#!/usr/bin/env bash
# Builds agent/native/seccomp-capture (libbpf CO-RE skeleton, libbpf and libelf linked statically so
# the binary runs in the image without them). Without clang/bpftool/libbpf-dev it says so and builds
# nothing (the agent then runs without kernel-side capture); under CI that is an error.
#
#   build-native.sh                         for this machine, with its own libbpf-dev: agent/native/build/
#   build-native.sh --arch ARCH --deps DIR  for linux/ARCH (amd64, arm64) with Debian's cross compiler,
#                                           libbpf, libelf and zlib of that architecture from the Debian
#                                           tree DIR (the image build extracts it): agent/native/build/linux-ARCH/
set -euo pipefail
cd "$(dirname "$0")/../agent/native"
target=
deps=
missing=()
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) target=$2; shift 2 ;;
    --deps) deps=$2; shift 2 ;;
    *) echo "build-native: unknown argument $1" >&2; exit 2 ;;
  esac
done

if [ -n "$target" ]; then
  case "$target" in
    amd64) triplet=x86_64-linux-gnu; bpfarch=x86 ;;
    arm64) triplet=aarch64-linux-gnu; bpfarch=arm64 ;;
    *) echo "build-native: no cross build for $target" >&2; exit 2 ;;
  esac
  [ -n "$deps" ] || { echo "build-native: --arch needs --deps DIR" >&2; exit 2; }
  out=build/linux-$target
  cc=$triplet-gcc
  libs="$deps/usr/lib/$triplet"
  command -v "$cc" >/dev/null || missing+=("gcc-$triplet")
  for f in "$deps/usr/include/bpf/libbpf.h" "$deps/usr/include/libelf.h" "$deps/usr/include/zlib.h" "$libs/libbpf.a" "$libs/libelf.a" "$libs/libz.a"; do
    [ -e "$f" ] || missing+=("$f")
  done
else
  [ -z "$deps" ] || { echo "build-native: --deps needs --arch" >&2; exit 2; }
  arch=$(uname -m)
  triplet=$arch-linux-gnu
  bpfarch=$(echo "$arch" | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
  out=build
  cc=cc
  [ -e /usr/include/bpf/libbpf.h ] || missing+=(libbpf-dev)
  [ -e /usr/include/libelf.h ] || missing+=(libelf-dev)
  [ -e /usr/include/zlib.h ] || missing+=(zlib1g-dev)
fi
command -v clang >/dev/null || missing+=(clang)
command -v bpftool >/dev/null || missing+=(bpftool)
if [ ${#missing[@]} -gt 0 ]; then
  echo "build-native: not building seccomp-capture${target:+ for $target}, missing: ${missing[*]} (scripts/setup.sh installs them)" >&2
  [ -n "${CI:-}" ] && exit 1
  exit 0
fi
mkdir -p "$out"
if [ "$out/seccomp-capture" -nt seccomp-capture.c ] && [ "$out/seccomp-capture" -nt procs.bpf.c ] && [ "$out/seccomp-capture" -nt procs.h ]; then
  exit 0
fi
clang -g -O2 -target bpf -D__TARGET_ARCH_"$bpfarch" -I"${deps:-}/usr/include/$triplet" ${deps:+-I"$deps/usr/include"} -c procs.bpf.c -o "$out/procs.bpf.o"
llvm-strip -g "$out/procs.bpf.o" 2>/dev/null || true
bpftool gen skeleton "$out/procs.bpf.o" name procs_bpf > "$out/procs.skel.h"
if [ -n "$deps" ]; then
  # The cross compiler's own C library headers first; the tree adds only what it lacks (bpf/, libelf,
  # zlib). Its static libraries are named by path: its libc.so is a linker script for the tree's root.
  "$cc" -O2 -Wall -Wextra -I"$out" -I. -idirafter "$deps/usr/include" seccomp-capture.c -o "$out/seccomp-capture" \
    "$libs/libbpf.a" "$libs/libelf.a" "$libs/libz.a"
else
  "$cc" -O2 -Wall -Wextra -I"$out" -I. seccomp-capture.c -o "$out/seccomp-capture" \
    -Wl,-Bstatic -lbpf -lelf -lz -Wl,-Bdynamic
fi
echo "build-native: agent/native/$out/seccomp-capture" >&2
