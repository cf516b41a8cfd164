#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks for SESIOR: Debian packages (as root) and the
# Python test tools into the project-local venv .venv, and the Engine.IO v3 client (python-socketio
# 4.x, which cannot share a venv with 5.x) into .venv-eio3. Without root it prints the exact command.
# Usage: scripts/install-deps.sh [run|test|bench]
set -euo pipefail
cd "$(dirname "$0")/.."
purpose=${1:-test}

apt_packages=(pkg-config libhiredis-dev libssl-dev zlib1g-dev redis-server)
case "$purpose" in
  test|bench) apt_packages+=(nodejs node-express node-cookie-signature node-cookie node-redis node-ws chromium) ;;
esac
[ "$purpose" = bench ] && apt_packages+=(wrk hyperfine)

if ! command -v swift >/dev/null 2>&1; then
  echo "error: the Swift 6.3 toolchain is not on PATH; install it from swift.org and retry." >&2
  exit 1
fi

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "error: missing Debian packages. Run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

[ "$purpose" = run ] && exit 0

stamp=.venv/.requirements.sha
want=$(sha256sum requirements-dev.txt | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "Installing Python test tools into .venv"
  python3 -m venv .venv || {
    echo "error: python3 -m venv failed; install it with: sudo apt-get install -y python3-venv" >&2
    exit 1
  }
  .venv/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
  echo "$want" > "$stamp"
fi

[ "$purpose" = test ] || exit 0
stamp=.venv-eio3/.requirements.sha
want=$(sha256sum requirements-eio3.txt | cut -d' ' -f1)
if [ ! -x .venv-eio3/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "Installing the Engine.IO v3 test client into .venv-eio3"
  python3 -m venv .venv-eio3
  .venv-eio3/bin/pip install -q --disable-pip-version-check -r requirements-eio3.txt
  echo "$want" > "$stamp"
fi
