#!/usr/bin/env bash
# `npm run pg`: the throwaway cluster of scripts/pg-cluster.sh in .pg/ of the repo (gitignored),
# with the lines to paste into a shell. `npm run pg -- stop` stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-start}" = stop ]; then
  scripts/pg-cluster.sh stop .pg
  exit 0
fi
url=$(scripts/pg-cluster.sh start .pg)
echo "export KEEL_STORE_URL='$url'"
echo "export KEEL_TEST_PG_URL='$url'"
