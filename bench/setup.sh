#!/usr/bin/env bash
# Installs what the benchmarks need beyond scripts/setup (never needed by
# `make test`): the design's Celery sending path (../shared/bench/baseline-celery:
# python3-celery python3-redis python3-jinja2 python3-dkim redis-server), perf
# (Debian's linux-perf) for profiling, and postfix's smtp-sink, extracted from
# the postfix package into .cache/postfix (no MTA is installed).
# Idempotent: with everything present it only checks.
#
#   bench/setup.sh            # prints the smtp-sink folder on its last line
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(python3-celery python3-redis python3-jinja2 python3-dkim redis-server linux-perf openssl)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "bench/setup.sh: installing ${missing[*]}" >&2
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PF="$PWD/.cache/postfix"
if [[ ! -x "$PF/usr/sbin/smtp-sink" ]]; then
  echo "bench/setup.sh: extracting smtp-sink from the postfix package into $PF" >&2
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download postfix >/dev/null 2>&1) || {
    echo "apt-get download postfix failed" >&2
    exit 1
  }
  mkdir -p "$PF"
  dpkg -x "$tmp"/postfix_*.deb "$PF"
  rm -rf "$tmp"
fi
echo "$PF"
