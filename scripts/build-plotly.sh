#!/usr/bin/env bash
# Rebuilds the dashboard's plotly.js bundle (src/RnnLab.Dashboard.Assets/wwwroot/lib/plotly-rnnlab.min.js) from the
# versions pinned in build/plotly/package-lock.json. The bundle is committed, so a build of RnnLab needs no Node.js;
# run this only to change plotly.js's version or the trace types in build/plotly/entry.js. Needs node and npm.
set -euo pipefail
cd "$(dirname "$0")/../build/plotly"
npm ci --no-audit --no-fund --ignore-scripts
node build.mjs
