#!/usr/bin/env bash
# Installs (Debian) what the deployment checks need: docker-compose to validate docker-compose.yml without an engine,
# and python3-yaml + python3-jsonschema for the Helm chart checks. Idempotent.
set -euo pipefail
missing=()
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
/usr/bin/python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || missing+=(python3-jsonschema)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
