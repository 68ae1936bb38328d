#!/usr/bin/env bash
# Installs the Debian packages the tests use, only when missing. Safe to run repeatedly.
set -euo pipefail
need=()
command -v socat >/dev/null 2>&1 || need+=(socat)
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need+=(mosquitto)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# The linux-arm64 publish runs under qemu user-mode emulation (eng/run-arm64.sh): the emulator, and the
# arm64 loader, C and C++ runtime libraries the .NET host needs.
command -v qemu-aarch64-static >/dev/null 2>&1 || need+=(qemu-user-static)
command -v unshare >/dev/null 2>&1 || need+=(util-linux)
command -v mount >/dev/null 2>&1 || need+=(mount)
[ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] || need+=(libc6-arm64-cross)
[ -e /usr/aarch64-linux-gnu/lib/libstdc++.so.6 ] || need+=(libstdc++6-arm64-cross)
[ -e /usr/aarch64-linux-gnu/lib/libgcc_s.so.1 ] || need+=(libgcc-s1-arm64-cross)
armlibs=/usr/local/lib/aarch64-linux-gnu
updated=false
if [ ! -e "$armlibs/libssl.so.3" ] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
  # arm64 package lists are needed to download libssl3:arm64 below.
  dpkg --add-architecture arm64
fi
# The crew page end-to-end test drives Debian's Chromium through Playwright (no browser download).
[ -x /usr/lib/chromium/chromium ] || [ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  updated=true
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# OpenSSL for arm64 (the .NET runtime's hashing and TLS load it): Debian ships no cross package, so the
# arm64 package is downloaded and unpacked beside, not installed (installing it would pull in a second
# arm64 C library that does not match the cross loader). eng/run-arm64.sh points the emulated loader here.
if [ ! -e "$armlibs/libssl.so.3" ]; then
  echo "unpacking libssl3:arm64 into $armlibs"
  export DEBIAN_FRONTEND=noninteractive
  $updated || apt-get update -qq
  work=$(mktemp -d)
  chmod 755 "$work"
  (cd "$work" && apt-get download -qq -o APT::Sandbox::User=root libssl3:arm64)
  dpkg-deb -x "$work"/libssl3_*_arm64.deb "$work/root"
  mkdir -p "$armlibs"
  cp -a "$work/root/usr/lib/aarch64-linux-gnu/." "$armlibs/"
  rm -rf "$work"
fi
