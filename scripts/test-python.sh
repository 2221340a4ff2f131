#!/usr/bin/env bash
# Builds and installs the Python client (clients/python) offline into a venv over Debian's packages, then runs
# its tests against a real server (the rnnlab CLI that `dotnet build` made). Writes JUnit XML into $1.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p "${1:-artifacts/test-results}"
results=$(cd "${1:-artifacts/test-results}" && pwd)
scripts/ensure-python.sh
venv=artifacts/python-venv
rm -rf "$venv" clients/python/build clients/python/rnnlab.egg-info
# Debian's own interpreter, whose site-packages hold grpcio, protobuf, pandas and pytest.
/usr/bin/python3 -m venv --system-site-packages "$venv"
# No build isolation and no index: everything comes from Debian, nothing from the network.
"$venv/bin/python" -m pip install --quiet --no-build-isolation --no-index ./clients/python
rm -rf clients/python/build clients/python/rnnlab.egg-info
cd clients/python/tests
"../../../$venv/bin/python" -m pytest -p no:cacheprovider -q --junitxml="$results/python-client.xml" .
