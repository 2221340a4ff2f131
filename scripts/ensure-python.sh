#!/usr/bin/env bash
# Installs what the Python client needs to build and test, from Debian's packages (idempotent): the
# interpreter and venv, grpcio and protobuf, protoc with the gRPC Python plugin, pandas, matplotlib (the
# example) and pytest.
set -euo pipefail
packages=(python3 python3-venv python3-pip python3-setuptools python3-wheel python3-grpcio python3-protobuf
  protobuf-compiler protobuf-compiler-grpc libprotobuf-dev python3-pandas python3-matplotlib python3-pytest)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq "${missing[@]}" >&2
