#!/usr/bin/env bash
# The test command: sets up what the tests need on a fresh Debian machine, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${RNNLAB_DATA_DIR:-}" ] && [ -d ../shared/data ]; then
  export RNNLAB_DATA_DIR=$(cd ../shared/data && pwd)
fi
export RNNLAB_TEST_POSTGRES=${RNNLAB_TEST_POSTGRES:-$(scripts/ensure-postgres.sh)}
scripts/ensure-chromium.sh  # the dashboard's browser tests drive Debian's Chromium
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build RnnLab.sln -c Release
mkdir -p artifacts/test-results
dotnet test RnnLab.sln -c Release --no-build --results-directory artifacts/test-results \
  --logger "trx" --logger "console;verbosity=minimal" "$@"
