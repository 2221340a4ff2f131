#!/usr/bin/env bash
# Prints one closing line "N passed, N failed, N skipped" summed over the .trx files of a test run and the
# JUnit XML files (the Python client's pytest run) beside them.
set -euo pipefail
dir=${1:-artifacts/test-results}
passed=0 failed=0 skipped=0
shopt -s nullglob
for trx in "$dir"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed)))
  skipped=$((skipped + $(get notExecuted)))
done
for junit in "$dir"/*.xml; do
  suite=$(grep -o '<testsuite [^>]*>' "$junit" | head -1)
  attr() { echo "$suite" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  tests=$(attr tests) failures=$(attr failures) errors=$(attr errors) skips=$(attr skipped)
  passed=$((passed + tests - failures - errors - skips))
  failed=$((failed + failures + errors))
  skipped=$((skipped + skips))
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
