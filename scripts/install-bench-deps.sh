#!/usr/bin/env bash
# Installs what `dotnet run --project bench/RnnLab.Bench -- fanova` needs to run Optuna beside RnnLab:
# Debian's python3-optuna (3.1) and python3-sklearn. Safe to run again: it does nothing once they import.
set -euo pipefail

# Debian's packages land in the system interpreter, which need not be the first python3 on PATH.
python=/usr/bin/python3

if [ -x "$python" ] && "$python" -c 'import optuna, sklearn' >/dev/null 2>&1; then
    echo "optuna $("$python" -c 'import optuna; print(optuna.__version__)') and sklearn already installed"
    exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    as_root=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends python3-optuna python3-sklearn
"$python" -c 'import optuna, sklearn; print("optuna", optuna.__version__, "sklearn", sklearn.__version__)'
