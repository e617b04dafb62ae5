#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, if they are missing:
# Chromium (driven by Playwright; never `playwright install`), PostgreSQL
# (the scale-out backend's test leg) and Redis (the Celery broker of the
# distributed tests and benchmark). `--bench` adds wrk, the HTTP load tool
# of `make bench`. Safe to run again.
set -euo pipefail
need=()
if [ "${1:-}" = "--bench" ]; then
  command -v wrk >/dev/null 2>&1 || need+=(wrk)
fi
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing Debian packages: ${need[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
