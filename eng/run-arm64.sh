#!/usr/bin/env bash
# Runs a linux-arm64 program (such as the published gateway) on an x64 Linux machine under qemu
# user-mode emulation:
#
#   bash eng/run-arm64.sh out/publish/linux-arm64/edgegateway replay flight.cap
#
# What the emulated process needs, and why:
# - QEMU_LD_PREFIX: the arm64 loader, libc, libstdc++ and libgcc_s from Debian's libc6-arm64-cross,
#   libstdc++6-arm64-cross and libgcc-s1-arm64-cross (the .NET host and runtime are C++).
# - OpenSSL for arm64 (the runtime's hashing and TLS use it): Debian has no cross package for it, so
#   eng/install-test-deps.sh unpacks libssl3:arm64 into /usr/local/lib/aarch64-linux-gnu, and the
#   emulated loader is pointed there (QEMU_SET_ENV sets LD_LIBRARY_PATH for the arm64 process only).
# - QEMU_CPU=cortex-a76 (a real core, as in a Raspberry Pi 5): with qemu's "max" CPU, ONNX Runtime's
#   int8 MatMulInteger returns wrong values under emulation.
# - An ARM /proc/cpuinfo: qemu-user shows the host's x86 file, and ONNX Runtime's arm64 library crashes
#   parsing it. A private mount namespace (unshare -m, needs root) bind-mounts an ARM file over
#   /proc/cpuinfo for this process only; the host's view does not change.
# - Globalisation: the gateway builds with InvariantGlobalization, so no arm64 ICU is needed.
#
# Environment: EG_ARM64_CPUINFO picks another cpuinfo file; QEMU_CPU may be set to another core.
# Exit code: the program's own, or 125 when the emulation itself cannot be set up.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cpuinfo=${EG_ARM64_CPUINFO:-$root/tests/EdgeGateway.Integration.Tests/Arm64/cpuinfo-cortex-a76.txt}
prefix=/usr/aarch64-linux-gnu
armlibs=/usr/local/lib/aarch64-linux-gnu

fail() {
  echo "run-arm64: $*" >&2
  exit 125
}

[ $# -ge 1 ] || fail "usage: run-arm64.sh PROGRAM [ARGS...]"
command -v qemu-aarch64-static >/dev/null 2>&1 || fail "qemu-aarch64-static not found (apt-get install qemu-user-static, or bash eng/install-test-deps.sh)"
command -v unshare >/dev/null 2>&1 || fail "unshare not found (util-linux)"
for lib in lib/ld-linux-aarch64.so.1 lib/libc.so.6 lib/libstdc++.so.6 lib/libgcc_s.so.1; do
  [ -e "$prefix/$lib" ] || fail "$prefix/$lib missing (apt-get install libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross)"
done
[ -e "$armlibs/libssl.so.3" ] || fail "$armlibs/libssl.so.3 missing (bash eng/install-test-deps.sh unpacks libssl3:arm64 there)"
[ -r "$cpuinfo" ] || fail "ARM cpuinfo file '$cpuinfo' not readable"
[ -e "$1" ] || fail "program '$1' not found"

export QEMU_LD_PREFIX=$prefix
export QEMU_CPU=${QEMU_CPU:-cortex-a76}
export QEMU_SET_ENV=LD_LIBRARY_PATH=$armlibs

# The inner shell bind-mounts the file, then becomes qemu; "$@" passes the arguments through untouched.
exec unshare --mount --propagation private -- /bin/sh -c '
  mount --bind "$1" /proc/cpuinfo || { echo "run-arm64: cannot bind-mount $1 over /proc/cpuinfo (needs root)" >&2; exit 125; }
  shift
  exec qemu-aarch64-static "$@"' run-arm64 "$cpuinfo" "$@"
